import { ContainerModule } from 'inversify';
import { LODE_PLUGIN_API_VERSION } from '@lode/plugin-api';
import { EthereumCoinPlugin, ethereumPluginModule, loadEthashNative, lodeCoinPlugin } from './index';

describe('@lode/coin-ethereum entry', () => {
  describe('when the plugin loader reads lodeCoinPlugin', () => {
    it('finds the API version and the ContainerModule', () => {
      expect(lodeCoinPlugin.apiVersion).toBe(LODE_PLUGIN_API_VERSION);
      expect(lodeCoinPlugin.module).toBe(ethereumPluginModule);
      expect(lodeCoinPlugin.module).toBeInstanceOf(ContainerModule);
    });

    it('also exports the plugin class and the native binding loader (tools/devnet, tools/bench)', () => {
      expect(typeof EthereumCoinPlugin).toBe('function');
      expect(typeof loadEthashNative).toBe('function');
    });
  });
});
