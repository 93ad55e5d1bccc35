import { ContainerModule } from 'inversify';
import { LODE_PLUGIN_API_VERSION } from '@lode/plugin-api';
import { bitcoinPluginModule, createBitcoinHasher, lodeCoinPlugin } from './index';

describe('@lode/coin-bitcoin entry', () => {
  describe('when the plugin loader reads lodeCoinPlugin', () => {
    it('finds the API version and the ContainerModule', () => {
      expect(lodeCoinPlugin.apiVersion).toBe(LODE_PLUGIN_API_VERSION);
      expect(lodeCoinPlugin.module).toBe(bitcoinPluginModule);
      expect(lodeCoinPlugin.module).toBeInstanceOf(ContainerModule);
    });

    it('also exports the native hasher factory', () => {
      expect(typeof createBitcoinHasher).toBe('function');
    });
  });
});
