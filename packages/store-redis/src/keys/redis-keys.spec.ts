import { LodeError } from '@lode/stratum-core';
import { RedisKeys } from './redis-keys';

describe('RedisKeys', () => {
  describe('when built with the default prefix', () => {
    const keys = new RedisKeys();

    it('lays out the share and duplicate keys under the coin hash tag', () => {
      expect(keys.shares('btc')).toBe('lode:{btc}:shares');
      expect(keys.recorded('btc', 7_200_000)).toBe('lode:{btc}:recorded:2');
      expect(keys.recorded('btc', 7_199_999)).toBe('lode:{btc}:recorded:1');
      expect(keys.duplicates('btc', 840000)).toBe('lode:{btc}:dup:840000');
      expect(keys.duplicateHeights('btc')).toBe('lode:{btc}:dup-heights');
    });

    it('puts exactly one hash tag in every key, so a coin keeps to one cluster slot', () => {
      for (const key of [keys.shares('eth'), keys.recorded('eth', 0), keys.duplicates('eth', 1), keys.duplicateHeights('eth')]) {
        expect(key.match(/\{[^}]*\}/g)).toEqual(['{eth}']);
      }
    });
  });

  describe('when given a prefix', () => {
    it('starts every key with it', () => {
      expect(new RedisKeys({ prefix: 'pool-eu:test' }).shares('btc')).toBe('pool-eu:test:{btc}:shares');
    });
  });

  describe('when a prefix or coin id would break the slot or the layout', () => {
    it('refuses a prefix with a brace or an empty one', () => {
      expect(() => new RedisKeys({ prefix: 'a{b}' })).toThrow(LodeError);
      expect(() => new RedisKeys({ prefix: '' })).toThrow(/must be non-empty/);
    });

    it('refuses a coin id with a brace or a colon, naming it', () => {
      const keys = new RedisKeys();
      expect(() => keys.shares('b{t}c')).toThrow(/coin id "b\{t\}c"/);
      expect(() => keys.shares('btc:x')).toThrow(LodeError);
    });
  });
});
