import { LodeError } from '@lode/stratum-core';
import {
  decodeExtranonceParams,
  decodeNotifyParams,
  decodeReconnectParams,
  decodeSubscribeParams,
  decodeSubscribeResult,
  encodeNotifyParams,
  encodeReconnectParams,
  encodeSubmitParams,
  encodeSubscribeResult,
  parseDifficulty,
} from './messages';
import type { NotifyParams } from './messages';

/** Block 125552 in stratum form (facts/bitcoin-stratum.md, "Test vectors" and rule 3). */
const WIRE_125552 = [
  'j1',
  'ab02cd818b9e567ee21793cddef299feb29ad444a41b85b8000008a300000000',
  '01000000010000',
  'ffffffff00',
  ['3ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a'],
  '00000001',
  '1a44b9f2',
  '4dd7f5c7',
  false,
];
const JOB_125552: NotifyParams = {
  jobId: 'j1',
  prevhash: 'ab02cd818b9e567ee21793cddef299feb29ad444a41b85b8000008a300000000',
  coinb1: '01000000010000',
  coinb2: 'ffffffff00',
  merkleBranches: ['3ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a'],
  version: 1,
  nbits: 0x1a44b9f2,
  ntime: 0x4dd7f5c7,
  cleanJobs: false,
};

describe('mining.notify params', () => {
  describe('when encoding and decoding a real block', () => {
    it('matches the stratum form of block 125552 both ways', () => {
      expect(encodeNotifyParams(JOB_125552)).toEqual(WIRE_125552);
      expect(decodeNotifyParams(WIRE_125552)).toEqual(JOB_125552);
    });

    it('encodes frozen params once: the same frozen array for every later call (one job, many sessions)', () => {
      const frozen = Object.freeze({ ...JOB_125552, merkleBranches: Object.freeze([...JOB_125552.merkleBranches]) as string[] });
      const first = encodeNotifyParams(frozen);
      expect(first).toEqual(WIRE_125552);
      expect(encodeNotifyParams(frozen)).toBe(first);
      expect(Object.isFrozen(first) && Object.isFrozen(first[4])).toBe(true);
      expect(JSON.stringify(first)).toBe(JSON.stringify(WIRE_125552));
    });

    it('encodes params that can still change afresh on every call', () => {
      const open = { ...JOB_125552, merkleBranches: [...JOB_125552.merkleBranches] };
      const first = encodeNotifyParams(open);
      expect(encodeNotifyParams(open)).not.toBe(first);
      open.ntime = 0x4dd7f5c8;
      expect(encodeNotifyParams(open)[7]).toBe('4dd7f5c8');
      // frozen object, branches not frozen: not remembered either
      const halfFrozen = Object.freeze({ ...JOB_125552, merkleBranches: [...JOB_125552.merkleBranches] });
      expect(encodeNotifyParams(halfFrozen)).not.toBe(encodeNotifyParams(halfFrozen));
    });

    it('throws for frozen params out of shape on every call (nothing remembered)', () => {
      const bad = Object.freeze({ ...JOB_125552, prevhash: 'zz', merkleBranches: Object.freeze([]) as unknown as string[] });
      expect(() => encodeNotifyParams(bad)).toThrow(/prevhash/);
      expect(() => encodeNotifyParams(bad)).toThrow(/prevhash/);
    });

    it('ignores items after the ninth and lower-cases hex', () => {
      const upper = [...WIRE_125552, 'extra'];
      upper[6] = '1A44B9F2';
      expect(decodeNotifyParams(upper)).toEqual(JOB_125552);
    });
  });

  describe('when a field is out of shape', () => {
    const bad = (i: number, v: unknown): unknown[] => WIRE_125552.map((x, j) => (j === i ? v : x));
    it.each<[string, unknown[], string]>([
      ['8 items', WIRE_125552.slice(0, 8), 'mining.notify takes 9 parameters, got 8'],
      ['an empty job id', bad(0, ''), "job id '' is not a non-empty string"],
      ['a short prevhash', bad(1, 'ab02'), "prevhash 'ab02' is not 64 hex digits"],
      ['odd coinb1', bad(2, 'abc'), "coinb1 'abc' is not hex bytes"],
      ['branches not an array', bad(4, 'x'), 'merkle branches x is not an array'],
      ['a bad branch', bad(4, ['00']), "merkle branch 0 '00' is not 64 hex digits"],
      ['a short nbits', bad(6, '1d00ff'), "nbits '1d00ff' is not 8 hex digits"],
      ['a numeric ntime', bad(7, 1305998791), "ntime '1305998791' is not 8 hex digits"],
      ['clean as a string', bad(8, 'true'), 'clean_jobs true is not a boolean'],
    ])('refuses %s', (_name, params, message) => {
      expect(() => decodeNotifyParams(params)).toThrow(new LodeError('protocol', message));
    });
  });
});

describe('mining.subscribe', () => {
  describe('when the result goes out', () => {
    it('is the shape cpuminer reads', () => {
      expect(
        encodeSubscribeResult({ extranonce1: Buffer.from('08000002', 'hex'), extranonce2Size: 4, sessionId: 's1' }),
      ).toEqual([[['mining.set_difficulty', 's1'], ['mining.notify', 's1']], '08000002', 4]);
    });
  });

  describe('when a result comes in', () => {
    it('reads nested pairs, a bare pair and no subscriptions', () => {
      const en1 = Buffer.from('f8002c90', 'hex');
      expect(decodeSubscribeResult([[['mining.set_difficulty', 'd'], ['mining.notify', 'n']], 'f8002c90', 4])).toEqual({
        extranonce1: en1,
        extranonce2Size: 4,
        sessionId: 'n',
      });
      expect(decodeSubscribeResult([['mining.notify', 'ae6812eb4cd7735a302a8a9dd95cf71f'], 'f8002c90', 4]).sessionId).toBe(
        'ae6812eb4cd7735a302a8a9dd95cf71f',
      );
      expect(decodeSubscribeResult([null, 'f8002c90', 8]).sessionId).toBe('');
    });

    it('refuses a result without extranonce fields', () => {
      expect(() => decodeSubscribeResult(true)).toThrow(LodeError);
      expect(() => decodeSubscribeResult([[], 'f8002c9', 4])).toThrow("extranonce1 'f8002c9' is not hex bytes");
      expect(() => decodeSubscribeResult([[], 'f8002c90', 4.5])).toThrow(
        'extranonce2_size 4.5 is not an integer from 0 to 32',
      );
    });
  });

  describe('when params come in', () => {
    it('reads a user agent and a session id, ignoring the rest', () => {
      expect(decodeSubscribeParams([])).toEqual({});
      expect(decodeSubscribeParams(['bmminer/2.0.0', null, 'pool.example.com', 3333])).toEqual({
        userAgent: 'bmminer/2.0.0',
      });
      expect(decodeSubscribeParams([42, 'abc'])).toEqual({ sessionId: 'abc' });
      expect(decodeSubscribeParams(['x'.repeat(1000)]).userAgent).toHaveLength(256);
    });
  });
});

describe('mining.submit params', () => {
  describe('when encoding', () => {
    it('writes the block 125552 nonce as stratum hex', () => {
      expect(
        encodeSubmitParams({
          workerName: 'w',
          jobId: 'j',
          extranonce2: Buffer.from('0000000a', 'hex'),
          ntime: 0x4dd7f5c7,
          nonce: 0x9546a142,
        }),
      ).toEqual(['w', 'j', '0000000a', '4dd7f5c7', '9546a142']);
    });
  });
});

describe('difficulty params', () => {
  describe('when parsing', () => {
    it('accepts fractions and decimal strings, refuses the rest', () => {
      expect(parseDifficulty(0.0001)).toBe(0.0001);
      expect(parseDifficulty('0.5')).toBe(0.5);
      expect(parseDifficulty('1e3')).toBe(1000);
      for (const bad of [0, -1, 'abc', '0x10', '', null, Infinity, Number.NaN, [1]]) {
        expect(parseDifficulty(bad)).toBeUndefined();
      }
    });
  });
});

describe('client.reconnect params', () => {
  describe('when encoding and decoding', () => {
    it('sends the port as a string and reads either form', () => {
      expect(encodeReconnectParams({ waitSeconds: 0 })).toEqual([]);
      expect(encodeReconnectParams({ host: 'h', port: 3333, waitSeconds: 0 })).toEqual(['h', '3333', 0]);
      expect(encodeReconnectParams({ waitSeconds: 30 })).toEqual([null, null, 30]);
      expect(decodeReconnectParams(['h', '3333', 5])).toEqual({ host: 'h', port: 3333, waitSeconds: 5 });
      expect(decodeReconnectParams(['h', 3333])).toEqual({ host: 'h', port: 3333, waitSeconds: 0 });
      expect(decodeReconnectParams([null, 'abc', -4])).toEqual({ waitSeconds: 0 });
    });
  });
});

describe('mining.set_extranonce params', () => {
  describe('when decoding', () => {
    it('reads hex and a size, refuses a bad size', () => {
      expect(decodeExtranonceParams(['0a0b', 6])).toEqual({ extranonce1: Buffer.from([10, 11]), extranonce2Size: 6 });
      expect(() => decodeExtranonceParams(['0a0b', 33])).toThrow('extranonce2_size 33 is not an integer from 0 to 32');
    });
  });
});
