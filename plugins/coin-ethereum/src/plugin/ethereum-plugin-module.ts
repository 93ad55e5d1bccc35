import { ContainerModule } from 'inversify';
import { COIN_PLUGIN } from '@lode/plugin-api';
import { EthashContexts } from '../epoch/ethash-contexts';
import { ETC_COIN, ETH_COIN } from './ethereum-coin-profile';
import { EthereumCoinPlugin } from './ethereum-coin-plugin';

/**
 * Binds two EthereumCoinPlugins to COIN_PLUGIN, "eth" (ethash) and "etc"
 * (ETChash), sharing one EthashContexts per container, so that
 * `container.getAll(COIN_PLUGIN)` finds both (DESIGN.md "Plugins and
 * discovery"). Nothing native loads until a coin hashes.
 */
export const ethereumPluginModule = new ContainerModule((options) => {
  const contexts = new EthashContexts();
  options.bind(COIN_PLUGIN).toConstantValue(new EthereumCoinPlugin(ETH_COIN, contexts));
  options.bind(COIN_PLUGIN).toConstantValue(new EthereumCoinPlugin(ETC_COIN, contexts));
});
