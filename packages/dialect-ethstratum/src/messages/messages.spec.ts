import { decodeHelloResult, encodeHelloParams, encodeHelloResult } from './hello';
import { DEFAULT_TARGET } from './methods';
import { decodeSetParams, encodeSetParams } from './mining-set';
import { decodeNotifyParams, encodeNotifyParams } from './notify';
import { decodePoolHashrateParams, encodePoolHashrateParams } from './pool-hashrate';
import { decodeReconnectParams, encodeReconnectParams } from './reconnect';

// Example values from specs/003_fafafa51dc5fa36a.txt (also facts/ethash.md §1.3).
const SPEC_TARGET_HEX = '0112e0be826d694b2e62d01511f12a6061fbaec8bc02357593e70e52ba';
const SPEC_HEADER = '645cf20198c2f3861e947d4f67e3ab63b7b2e24dcc9095bd9123e7b33371f6cc';

describe('EIP-1571 messages', () => {
  describe('when the default target is read', () => {
    it('is the spec\'s 0x00000000ffff0000...0000', () => {
      expect(DEFAULT_TARGET.toString(16).padStart(64, '0')).toBe('00000000ffff0000000000000000000000000000000000000000000000000000');
    });
  });

  describe('when mining.hello is encoded and its reply decoded', () => {
    it('writes the port in hex, as the spec\'s example ("4d2" = 1234)', () => {
      expect(encodeHelloParams({ agent: 'ethminer-0.17', host: 'somemininigpool.com', port: 1234 })).toEqual({
        agent: 'ethminer-0.17',
        host: 'somemininigpool.com',
        port: '4d2',
        proto: 'EthereumStratum/2.0.0',
      });
    });

    it('writes the reply in the spec\'s order and reads the spec\'s example back', () => {
      const spec = {
        proto: 'EthereumStratum/2.0.0',
        encoding: 'gzip',
        resume: '1',
        timeout: 'b4',
        maxerrors: '5',
        node: 'Geth/v1.8.18-unstable-f08f596a/linux-amd64/go1.10.4',
      };
      const decoded = decodeHelloResult(spec);
      expect(decoded).toEqual({
        proto: 'EthereumStratum/2.0.0',
        encoding: 'gzip',
        resume: true,
        timeoutSeconds: 180,
        maxErrors: 5,
        node: 'Geth/v1.8.18-unstable-f08f596a/linux-amd64/go1.10.4',
      });
      expect(JSON.stringify(encodeHelloResult(decoded))).toBe(JSON.stringify(spec));
    });

    it('tolerates JSON numbers from a pool that sends them (go-quai\'s proxy)', () => {
      const decoded = decodeHelloResult({ proto: 'EthereumStratum/2.0.0', encoding: 'plain', resume: 0, timeout: 30, maxerrors: 999, node: 'go-quai/development' });
      expect(decoded).toMatchObject({ resume: false, timeoutSeconds: 30, maxErrors: 999 });
    });
  });

  describe('when mining.set is encoded', () => {
    it('drops the leading zero of the spec\'s target and keeps every byte of the extranonce', () => {
      const params = encodeSetParams({ epoch: 0xdc, target: BigInt(`0x${SPEC_TARGET_HEX}`), algo: 'ethash', extranonce: Buffer.from('00af', 'hex') });
      expect(JSON.stringify(params)).toBe(
        '{"epoch":"dc","target":"112e0be826d694b2e62d01511f12a6061fbaec8bc02357593e70e52ba","algo":"ethash","extranonce":"00af"}',
      );
    });

    it('writes only the members given, and "" for a cancelled extranonce', () => {
      expect(encodeSetParams({ extranonce: Buffer.alloc(0) })).toEqual({ extranonce: '' });
    });

    it('refuses a zero target', () => {
      expect(() => encodeSetParams({ target: 0n })).toThrow('mining.set target 0n is not a bigint in [1, 2^256)');
    });
  });

  describe('when mining.set is decoded', () => {
    it('reads the spec\'s example, leading zero and all', () => {
      expect(decodeSetParams({ epoch: 'dc', target: SPEC_TARGET_HEX, algo: 'ethash', extranonce: 'af4c' })).toEqual({
        epoch: 220,
        target: BigInt(`0x${SPEC_TARGET_HEX}`),
        algo: 'ethash',
        extranonce: Buffer.from('af4c', 'hex'),
      });
    });

    it('refuses a set with none of the four members, naming them', () => {
      expect(() => decodeSetParams({ timeout: 'b4' })).toThrow('mining.set carries none of epoch, target, algo, extranonce');
    });

    it('refuses an odd-length extranonce', () => {
      expect(() => decodeSetParams({ extranonce: 'af4' })).toThrow('mining.set extranonce: expected hex bytes');
    });
  });

  describe('when mining.notify is encoded and decoded', () => {
    it('writes the spec\'s example (with the comma its text lacks) and reads it back', () => {
      const p = { jobId: 'bf0488aa', height: 0x6526d5, headerHash: SPEC_HEADER, clean: false };
      expect(encodeNotifyParams(p)).toEqual(['bf0488aa', '6526d5', SPEC_HEADER, '0']);
      expect(decodeNotifyParams(['bf0488aa', '6526d5', SPEC_HEADER, '0'])).toEqual(p);
    });

    it('refuses three params, naming the shape', () => {
      expect(() => decodeNotifyParams(['bf0488aa', '6526d5', SPEC_HEADER])).toThrow('expected [jobId, height, headerHash, clean]');
    });
  });

  describe('when mining.reconnect is encoded and decoded', () => {
    it('writes and reads the spec\'s example ("d80" = 3456)', () => {
      expect(encodeReconnectParams({ host: 'someotherhost.com', port: 3456, resume: true })).toEqual({ host: 'someotherhost.com', port: 'd80', resume: '1' });
      expect(decodeReconnectParams({ host: 'someotherhost.com', port: 'd80', resume: '1' })).toEqual({ host: 'someotherhost.com', port: 3456, resume: true });
    });
  });

  describe('when the pool\'s hashrate notification is encoded and decoded', () => {
    it('writes and reads the spec\'s example', () => {
      const report = { intervalMinutes: 60, hashrate: 0x500000n, accepted: 3692, stale: 20, rejected: 0 };
      const params = encodePoolHashrateParams(report);
      expect(JSON.stringify(params)).toBe('{"interval":60,"hr":"500000","accepted":[3692,20],"rejected":0}');
      expect(decodePoolHashrateParams(params)).toEqual(report);
    });

    it('refuses more stale shares than accepted ones', () => {
      expect(() => encodePoolHashrateParams({ intervalMinutes: 1, hashrate: 1n, accepted: 1, stale: 2, rejected: 0 })).toThrow(
        'hashrate report stale 2 exceeds accepted 1',
      );
    });
  });
});
