import { LodeError } from '@lode/plugin-api';
import { etcPluginConfigSchema, ethPluginConfigSchema, parseEthereumPluginConfig } from './ethereum-plugin-config';

describe('parseEthereumPluginConfig', () => {
  describe('when only the node URL is given', () => {
    it('applies the defaults: 2 extranonce bytes, and ETC mainnet fork 11700000 for "etc"', () => {
      expect(parseEthereumPluginConfig({ node: { url: 'http://127.0.0.1:8545' } }, 'eth')).toEqual({
        node: { url: 'http://127.0.0.1:8545', pollIntervalMs: undefined, timeoutMs: undefined },
        extranonceBytes: 2,
      });
      expect(parseEthereumPluginConfig({ node: { url: 'http://127.0.0.1:8545' } }, 'etc').ecip1099Block).toBe(11_700_000);
    });
  });

  describe('when every setting is given', () => {
    it('reads them (Mordor fork block 2520000)', () => {
      const config = { node: { url: 'https://n:8545', pollIntervalMs: 100, timeoutMs: 2000 }, extranonceBytes: 6, ecip1099Block: 2_520_000 };
      expect(parseEthereumPluginConfig(config, 'etc')).toEqual(config);
    });
  });

  describe('when a setting is wrong', () => {
    it('names it and the rule', () => {
      expect(() => parseEthereumPluginConfig({}, 'eth')).toThrow('eth.node is required');
      expect(() => parseEthereumPluginConfig({ node: { url: 'ws://x' } }, 'eth')).toThrow(/eth.node.url is "ws:\/\/x"/);
      expect(() => parseEthereumPluginConfig({ node: { url: 'http://x' }, extranonceBytes: 7 }, 'eth')).toThrow(
        'eth.extranonceBytes is 7, expected an integer in 1..6',
      );
      expect(() => parseEthereumPluginConfig({ node: { url: 'http://x' }, extranonceBytes: 0 }, 'etc')).toThrow(LodeError);
      expect(() => parseEthereumPluginConfig({ node: { url: 'http://x' }, ecip1099Block: -1 }, 'etc')).toThrow(
        'etc.ecip1099Block is -1, expected an integer >= 0',
      );
    });

    it('refuses ecip1099Block on "eth"', () => {
      expect(() => parseEthereumPluginConfig({ node: { url: 'http://x' }, ecip1099Block: 5 }, 'eth')).toThrow(
        /eth.ecip1099Block is not a setting of this coin \(only the "etc" coin/,
      );
    });
  });

  describe('the schemas', () => {
    it('limit extranonceBytes to 1..6 (EIP-1571) and give ecip1099Block to "etc" only', () => {
      expect(ethPluginConfigSchema.properties.extranonceBytes).toMatchObject({ minimum: 1, maximum: 6, default: 2 });
      expect('ecip1099Block' in ethPluginConfigSchema.properties).toBe(false);
      expect(etcPluginConfigSchema.properties.ecip1099Block).toMatchObject({ minimum: 0, default: 11_700_000 });
    });
  });
});
