import { LodeError } from '@lode/plugin-api';
import { SESSION } from '../testing/warthog-vectors.fixture';
import { parseWarthogPluginConfig, warthogPluginConfigSchema } from './warthog-plugin-config';

describe('parseWarthogPluginConfig', () => {
  describe('when only the required members are given', () => {
    it('applies the defaults: extranonce1 4 bytes, ntime up to 600 s ahead', () => {
      expect(parseWarthogPluginConfig({ node: { url: 'http://127.0.0.1:3000' }, payoutAddress: SESSION.address })).toEqual({
        node: { url: 'http://127.0.0.1:3000' },
        payoutAddress: SESSION.address,
        extranonce1Bytes: 4,
        ntimeFutureSeconds: 600,
      });
    });
  });

  describe('when every member is given', () => {
    it('keeps them, the address in lower case', () => {
      const config = {
        node: { url: 'https://node.example:3000', pollIntervalMs: 250, timeoutMs: 2000, refreshMs: 5000 },
        payoutAddress: SESSION.address.toUpperCase(),
        extranonce1Bytes: 6,
        ntimeFutureSeconds: 120,
      };
      expect(parseWarthogPluginConfig(config)).toEqual({ ...config, payoutAddress: SESSION.address });
    });
  });

  describe('when a member is wrong', () => {
    const base = { node: { url: 'http://127.0.0.1:3000' }, payoutAddress: SESSION.address };

    it('names it and the rule', () => {
      expect(() => parseWarthogPluginConfig({ ...base, extranonce1Bytes: 7 })).toThrow('wart.extranonce1Bytes is 7, expected an integer in 4..6');
      expect(() => parseWarthogPluginConfig({ ...base, extranonce1Bytes: 3 })).toThrow('wart.extranonce1Bytes is 3, expected an integer in 4..6');
      expect(() => parseWarthogPluginConfig({ ...base, ntimeFutureSeconds: 601 })).toThrow('wart.ntimeFutureSeconds is 601, expected an integer in 0..600');
      expect(() => parseWarthogPluginConfig({ ...base, node: { url: 'tcp://x' } })).toThrow('wart.node.url is "tcp://x", expected an http(s) URL');
      expect(() => parseWarthogPluginConfig({ ...base, node: { url: 'http://x', refreshMs: 1.5 } })).toThrow('wart.node.refreshMs is 1.5');
      expect(() => parseWarthogPluginConfig({ payoutAddress: SESSION.address })).toThrow('wart.node is required');
    });

    it('refuses unknown members', () => {
      expect(() => parseWarthogPluginConfig({ ...base, extranonceBytes: 4 })).toThrow(/wart\.extranonceBytes is not a setting of this coin/);
      expect(() => parseWarthogPluginConfig({ ...base, node: { url: 'http://x', port: 3000 } })).toThrow(/wart\.node\.port is not a node setting/);
    });

    it('checks the address checksum, which the schema cannot', () => {
      expect(() => parseWarthogPluginConfig({ ...base, payoutAddress: `${SESSION.address.slice(0, 40)}00000000` })).toThrow(LodeError);
      expect(() => parseWarthogPluginConfig({ node: base.node })).toThrow('wart.payoutAddress is undefined');
    });
  });

  describe('its JSON Schema', () => {
    it('requires node and payoutAddress and bounds extranonce1Bytes to 4..6', () => {
      expect(warthogPluginConfigSchema.required).toEqual(['node', 'payoutAddress']);
      expect(warthogPluginConfigSchema.properties.extranonce1Bytes).toMatchObject({ minimum: 4, maximum: 6, default: 4 });
      expect(new RegExp(warthogPluginConfigSchema.properties.payoutAddress.pattern).test(SESSION.address)).toBe(true);
    });
  });
});
