import { ContainerModule } from 'inversify';
import { COIN_PLUGIN } from '@lode/plugin-api';
import { WarthogCoinPlugin } from './warthog-coin-plugin';

/**
 * Binds the "wart" WarthogCoinPlugin to COIN_PLUGIN (DESIGN.md "Plugins and
 * discovery"). Nothing native loads until the coin hashes.
 */
export const warthogPluginModule = new ContainerModule((options) => {
  options.bind(COIN_PLUGIN).toConstantValue(new WarthogCoinPlugin());
});
