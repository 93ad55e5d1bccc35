import { ContainerModule } from 'inversify';
import { COIN_PLUGIN } from '@lode/plugin-api';
import { BitcoinCoinPlugin } from './bitcoin-coin-plugin';

/**
 * Binds BitcoinCoinPlugin to COIN_PLUGIN (singleton), so that
 * `container.getAll(COIN_PLUGIN)` finds the "btc" coin (DESIGN.md "Plugins
 * and discovery").
 */
export const bitcoinPluginModule = new ContainerModule((options) => {
  options.bind(COIN_PLUGIN).to(BitcoinCoinPlugin).inSingletonScope();
});
