import { StratumErrorCodes } from '@lode/stratum-core';
import {
  decodeAuthorizeParams,
  decodeDifficultyParams,
  decodeNotifyParams,
  decodeReconnectParams,
  decodeSubmitParams,
  decodeSubscribeResult,
  encodeNotifyParams,
  encodeReconnectParams,
  encodeSubmitParams,
  encodeSubscribeResult,
  parseDifficulty,
  parseSubmitFields,
  readSubmitParams,
} from './messages';
import { H6_JOB, H6_JOB_ID } from './testing/wire.test-helper';

/** The §6-H notify params as they go on the wire (facts/warthog.md §6-H). */
const H6_NOTIFY_PARAMS: unknown[] = [
  H6_JOB_ID,
  '05b42d206f8a4b2b8094199fd28423151af8aa54a5073ac6e6805f42096dc3a2',
  '33fdd49cb7a62536f3c56e5c62d809518871632bba3f9a399bf4c13aeeb464dc',
  '00000003',
  '0ae7cde7',
  '66f2fefb',
  true,
];

describe('Warthog messages', () => {
  describe('when a subscribe result is encoded and decoded', () => {
    it('writes the pool form with the session id in the notify pair', () => {
      expect(
        encodeSubscribeResult({ extranonce1: Buffer.from('00000001', 'hex'), extranonce2Size: 6, sessionId: '00000001' }),
      ).toEqual([[['mining.notify', '00000001']], '00000001', 6]);
    });

    it('refuses extranonces that are not 10 bytes together', () => {
      expect(() =>
        encodeSubscribeResult({ extranonce1: Buffer.from('00000001', 'hex'), extranonce2Size: 2, sessionId: 's' }),
      ).toThrow('extranonce1 (4 bytes) + extranonce2 size (2) is 6 bytes, Warthog needs exactly 10');
      expect(() =>
        encodeSubscribeResult({ extranonce1: Buffer.alloc(4), extranonce2Size: 6.5, sessionId: 's' }),
      ).toThrow(/extranonce2 size 6.5 is not an integer/);
    });

    it('reads the pool form, the node solo form and a list without a notify pair', () => {
      expect(decodeSubscribeResult([[['mining.notify', 'ab']], '00000001', 6])).toEqual({
        extranonce1: Buffer.from('00000001', 'hex'),
        extranonce2Size: 6,
        sessionId: 'ab',
      });
      expect(decodeSubscribeResult([['mining.notify', ''], '0000002a', 6]).sessionId).toBe('');
      expect(decodeSubscribeResult([[['mining.set_difficulty', 'x']], '0000002a', 6]).sessionId).toBe('x');
      expect(decodeSubscribeResult([null, '0000002a', 6]).sessionId).toBe('');
    });

    it('refuses a result out of shape', () => {
      expect(() => decodeSubscribeResult(['0000002a', 6])).toThrow(/is not \[subscriptions, extranonce1, extranonce2_size\]/);
      expect(() => decodeSubscribeResult([[], '0000002a', '6'])).toThrow(/extranonce2_size "6" is not an integer/);
    });
  });

  describe('when a notify is encoded and decoded', () => {
    it('writes §6-H exactly, version as 8 hex digits', () => {
      expect(encodeNotifyParams(H6_JOB)).toEqual(H6_NOTIFY_PARAMS);
    });

    it('reads §6-H back, and a 64-byte merkle prefix', () => {
      expect(decodeNotifyParams(H6_NOTIFY_PARAMS)).toEqual(H6_JOB);
      const prefix64 =
        'fe5f40934a0fe34da7b5990220b1cda58382c81ccdbc6b17ca3ada615eecd56933fdd49cb7a62536f3c56e5c62d809518871632bba3f9a399bf4c13aeeb464dc';
      const params = [...H6_NOTIFY_PARAMS];
      params[2] = prefix64.toUpperCase();
      expect(decodeNotifyParams(params).merklePrefix).toBe(prefix64);
    });

    it('reads the version as a JSON number (shifupool) and ignores items after the seventh', () => {
      const params = [...H6_NOTIFY_PARAMS];
      params[3] = 2;
      expect(decodeNotifyParams([...params, 'extra']).version).toBe(2);
    });

    it.each([
      ['6 params', H6_NOTIFY_PARAMS.slice(0, 6), 'mining.notify takes 7 parameters, got 6'],
      ['a 3-byte version', replace(3, '000003'), "version '000003' is neither 8 hex digits nor a JSON integer"],
      ['a negative version', replace(3, -3), 'version -3 is not a uint32'],
      ['a short nbits', replace(4, 'ae7cde7'), "nbits 'ae7cde7' is not 8 hex digits"],
      ['a 31-byte prevHash', replace(1, '00'.repeat(31)), `prevHash '${'00'.repeat(31)}' is not 64 hex digits`],
      ['a 48-byte merkle prefix', replace(2, '00'.repeat(48)), /merklePrefix '.*' is not 64 or 128 hex digits/],
      ['a string clean flag', replace(6, 'true'), 'clean "true" is not a boolean'],
      ['an empty job id', replace(0, ''), "job id '' is not a non-empty string"],
    ])('refuses %s naming the field', (_name, params, message) => {
      expect(() => decodeNotifyParams(params)).toThrow(message);
    });
  });

  describe('when a submit is encoded and decoded', () => {
    const share = { jobId: H6_JOB_ID, extranonce2: Buffer.from('000000000002', 'hex'), ntime: 0x66f2fefb, nonce: 0x2df1 };

    it('writes the 4-parameter form, and the 5-parameter one with a worker name', () => {
      expect(encodeSubmitParams(share)).toEqual([H6_JOB_ID, '000000000002', '66f2fefb', '00002df1']);
      expect(encodeSubmitParams(share, 'addr.rig1')).toEqual(['addr.rig1', H6_JOB_ID, '000000000002', '66f2fefb', '00002df1']);
    });

    it('reads both forms, nonce and ntime big-endian', () => {
      expect(decodeSubmitParams([H6_JOB_ID, '000000000002', '66f2fefb', '00002DF1'], 6)).toEqual({ form: 'current', ...share });
      expect(decodeSubmitParams(['addr.rig1', H6_JOB_ID, '000000000002', '66f2fefb', '00002df1'])).toEqual({
        form: 'legacy',
        workerName: 'addr.rig1',
        ...share,
      });
      expect(decodeSubmitParams(['j', '', 'ffffffff', '01000000']).nonce).toBe(0x01000000);
    });

    it('gives shape errors -32602 and field errors 20', () => {
      expect(() => decodeSubmitParams(['j', '00', '66f2fefb'])).toThrow(
        expect.objectContaining({ kind: 'protocol', code: StratumErrorCodes.INVALID_PARAMS }),
      );
      expect(() => decodeSubmitParams(['j', '00', '66f2fefb', '2df1'])).toThrow(
        expect.objectContaining({ code: 20, message: "nonce '2df1' is not 8 hex digits" }),
      );
      expect(() => decodeSubmitParams(['j', '0000', '66f2fefb', '00002df1'], 6)).toThrow('extranonce2 is 2 bytes, expected 6');
    });

    it('reports which field is refused without throwing', () => {
      const raw = readSubmitParams(['j', '000000000002', '66f2fefbb', '00002df1']);
      expect(parseSubmitFields(raw, 6)).toEqual({ ok: false, reason: 'bad-ntime', message: "ntime '66f2fefbb' is not 8 hex digits" });
    });
  });

  describe('when difficulty, authorize and reconnect params are read', () => {
    it('accepts fractional and string difficulties and refuses the rest', () => {
      expect(parseDifficulty(0.001)).toBe(0.001);
      expect(parseDifficulty('500000')).toBe(500000);
      expect(parseDifficulty('1e6')).toBe(1e6);
      expect(parseDifficulty(0)).toBeUndefined();
      expect(parseDifficulty('0x10')).toBeUndefined();
      expect(() => decodeDifficultyParams('mining.set_difficulty', [])).toThrow(
        "mining.set_difficulty takes a positive difficulty, got undefined",
      );
    });

    it('reads authorize params leniently on the password only', () => {
      expect(decodeAuthorizeParams(['addr.rig1'])).toEqual({ workerName: 'addr.rig1', password: '' });
      expect(decodeAuthorizeParams(['addr.rig1', 123])).toEqual({ workerName: 'addr.rig1', password: '123' });
      expect(() => decodeAuthorizeParams(['addr.rig1', {}])).toThrow('password {} is not a string');
      expect(() => decodeAuthorizeParams(['x'.repeat(257)])).toThrow('user is 257 characters, at most 256 allowed');
    });

    it('round-trips client.reconnect', () => {
      expect(encodeReconnectParams({ waitSeconds: 0 })).toEqual([]);
      expect(encodeReconnectParams({ host: 'h', port: 3456, waitSeconds: 5 })).toEqual(['h', '3456', 5]);
      expect(decodeReconnectParams(['h', '3456', 5])).toEqual({ host: 'h', port: 3456, waitSeconds: 5 });
      expect(decodeReconnectParams([null, 'x', -1])).toEqual({ waitSeconds: 0 });
    });
  });
});

function replace(index: number, value: unknown): unknown[] {
  const params = [...H6_NOTIFY_PARAMS];
  params[index] = value;
  return params;
}
