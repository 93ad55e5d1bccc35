import { ContainerModule } from 'inversify';
import { LODE_PLUGIN_API_VERSION } from '@lode/plugin-api';
import { WarthogCoinPlugin, createWarthogHasher, loadWarthogNative, lodeCoinPlugin, warthogPluginModule } from './index';

describe('@lode/coin-warthog entry', () => {
  describe('when the plugin loader reads lodeCoinPlugin', () => {
    it('finds the API version and the ContainerModule', () => {
      expect(lodeCoinPlugin.apiVersion).toBe(LODE_PLUGIN_API_VERSION);
      expect(lodeCoinPlugin.module).toBe(warthogPluginModule);
      expect(lodeCoinPlugin.module).toBeInstanceOf(ContainerModule);
    });

    it('also exports the plugin, the hasher factory and the native loader', () => {
      expect(new WarthogCoinPlugin().id).toBe('wart');
      expect(typeof createWarthogHasher).toBe('function');
      expect(typeof loadWarthogNative).toBe('function');
    });
  });
});
