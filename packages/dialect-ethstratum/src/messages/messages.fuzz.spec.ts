import { LodeError } from '@lode/stratum-core';
import fc from 'fast-check';
import { readHashrateParams, readPoolHash, readPoolHeight, readPoolTarget, readWorkerMember } from '../classic/classic-wire';
import { detectEthDialect } from '../detect/detect-eth-dialect';
import { decodeHelloResult, encodeHelloResult } from './hello';
import { readLenientBoolean, readLenientHex, readLenientSafeInteger } from './lenient-hex';
import { decodeSetParams, encodeSetParams } from './mining-set';
import { decodeNotifyParams, encodeNotifyParams } from './notify';
import { decodePoolHashrateParams, encodePoolHashrateParams } from './pool-hashrate';
import { decodeReconnectParams, encodeReconnectParams } from './reconnect';

/*
 * Property-based tests of every Ethereum stratum decoder (fast-check): the
 * EIP-1571 messages, the lenient hex readers, dialect detection and the
 * classic (ES1, EthProxy, plain) wire readers. Random JSON values and
 * mutations of the spec's examples (members dropped, retyped, huge numbers,
 * non-hex strings, wrong lengths) either decode or throw
 * LodeError('protocol') with a short message, never anything else; valid
 * values round-trip through their encoders.
 * FUZZ_RUNS sets the cases per property (default below); FUZZ_SEED replays a failure.
 */
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 300);
const SEED = process.env['FUZZ_SEED'] === undefined ? undefined : Number(process.env['FUZZ_SEED']);
const params = (numRuns = RUNS): fc.Parameters<unknown> => (SEED === undefined ? { numRuns } : { numRuns, seed: SEED });

const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(1e308, -1, 0, 0.5, 2 ** 53 + 2, -0, '', 'zz', '0x', '0x1c8', '1C8', '01c8', 'f'.repeat(65), '0'.repeat(64), 'ab'.repeat(40), '__proto__', 'constructor', [], {}, null, true),
  fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEFx'), maxLength: 70 }),
);

// The spec's examples (specs/003_fafafa51dc5fa36a.txt; facts/ethash.md §1.3).
const HELLO_RESULT = { proto: 'EthereumStratum/2.0.0', encoding: 'gzip', resume: '1', timeout: 'b4', maxerrors: '5', node: 'Geth/v1.8.18-unstable-f08f596a/linux-amd64/go1.10.4' };
const SET = { epoch: 'dc', target: '0112e0be826d694b2e62d01511f12a6061fbaec8bc02357593e70e52ba', algo: 'ethash', extranonce: 'af4c' };
const NOTIFY = ['bf0488aa', '6526d5', '645cf20198c2f3861e947d4f67e3ab63b7b2e24dcc9095bd9123e7b33371f6cc', '0'];
const RECONNECT = { host: 'someotherhost.com', port: 'd80', resume: '1' };
const HASHRATE = { interval: 60, hr: '500000', accepted: [3692, 20], rejected: 0 };

type Mutation = { key: string | number; value: unknown } | { drop: string | number };
const mutation = (keys: ReadonlyArray<string | number>): fc.Arbitrary<Mutation> =>
  fc.oneof(
    fc.tuple(fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 8 }), fc.constant('__proto__')), hostile).map(([key, value]) => ({ key, value })),
    fc.constantFrom(...keys).map((key) => ({ drop: key })),
  );

/** A copy of `base` with the mutations applied, as JSON.parse would hand it over (own "__proto__" members included). */
function mutated(base: object, mutations: readonly Mutation[]): unknown {
  const out: Record<string | number, unknown> = Array.isArray(base) ? ([...base] as unknown as Record<number, unknown>) : { ...base };
  for (const m of mutations) {
    if ('drop' in m) delete out[m.drop];
    else Object.defineProperty(out, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
  }
  return JSON.parse(JSON.stringify(out)) as unknown;
}

const arb = (base: object): fc.Arbitrary<unknown> =>
  fc.oneof(hostile, fc.array(mutation(Object.keys(base).map((k) => (Array.isArray(base) ? Number(k) : k))), { minLength: 1, maxLength: 3 }).map((m) => mutated(base, m)));

/** Runs `decode`; it may return or throw LodeError('protocol') with a bounded message, nothing else. */
function decodesOrRefuses<T>(decode: () => T): T | undefined {
  try {
    return decode();
  } catch (e) {
    if (!LodeError.is(e, 'protocol')) throw new Error(`expected LodeError('protocol'), got ${(e as Error)?.stack ?? String(e)}`);
    expect(e.message.length).toBeLessThan(400);
    return undefined;
  }
}

const hexBytes = (min: number, max: number): fc.Arbitrary<Buffer> => fc.uint8Array({ minLength: min, maxLength: max }).map((a) => Buffer.from(a));
const u256 = fc.bigInt({ min: 1n, max: (1n << 256n) - 1n });

describe('Ethereum stratum decoders (fuzz)', () => {
  describe('when EIP-1571 params are random or mutated', () => {
    it('decodeHelloResult, decodeSetParams, decodeNotifyParams, decodeReconnectParams and decodePoolHashrateParams decode or throw LodeError(protocol)', () => {
      fc.assert(
        fc.property(arb(HELLO_RESULT), arb(SET), arb(NOTIFY), arb(RECONNECT), arb(HASHRATE), (hello, set, notify, reconnect, hashrate) => {
          const h = decodesOrRefuses(() => decodeHelloResult(hello));
          if (h !== undefined) expect(Number.isSafeInteger(h.timeoutSeconds) && Number.isSafeInteger(h.maxErrors)).toBe(true);
          const s = decodesOrRefuses(() => decodeSetParams(set));
          if (s !== undefined) {
            expect(Object.keys(s).length).toBeGreaterThan(0);
            if (s.target !== undefined) expect(s.target >= 1n && s.target < 1n << 256n).toBe(true);
            if (s.extranonce !== undefined) expect(s.extranonce.length).toBeLessThanOrEqual(6);
          }
          const n = decodesOrRefuses(() => decodeNotifyParams(notify));
          if (n !== undefined) expect(n.headerHash).toMatch(/^[0-9a-f]{64}$/);
          const r = decodesOrRefuses(() => decodeReconnectParams(reconnect));
          if (r !== undefined) expect(r.port >= 1 && r.port <= 65535).toBe(true);
          decodesOrRefuses(() => decodePoolHashrateParams(hashrate));
        }),
        params(),
      );
    });

    it('round-trips valid sets, jobs, reconnects, hashrate reports and hello results', () => {
      fc.assert(
        fc.property(
          fc.record({ epoch: fc.nat(32639), target: u256, algo: fc.constantFrom('ethash', 'etchash'), extranonce: hexBytes(0, 6) }, { requiredKeys: [] }).filter((s) => Object.keys(s).length > 0),
          fc.record({ jobId: fc.string({ minLength: 1, maxLength: 64 }), height: fc.nat(), headerHash: hexBytes(32, 32).map((b) => b.toString('hex')), clean: fc.boolean() }),
          fc.record({ host: fc.string({ minLength: 1, maxLength: 40 }), port: fc.integer({ min: 1, max: 65535 }), resume: fc.boolean() }),
          fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }), fc.nat()),
          (set, job, reconnect, [interval, a, b, hr, rejected]) => {
            expect(decodeSetParams(JSON.parse(JSON.stringify(encodeSetParams(set))))).toEqual(set);
            expect(decodeNotifyParams(JSON.parse(JSON.stringify(encodeNotifyParams(job))))).toEqual(job);
            expect(decodeReconnectParams(encodeReconnectParams(reconnect))).toEqual(reconnect);
            const report = { intervalMinutes: interval, hashrate: hr, accepted: Math.max(a, b), stale: Math.min(a, b), rejected };
            expect(decodePoolHashrateParams(JSON.parse(JSON.stringify(encodePoolHashrateParams(report))))).toEqual(report);
            const hello = { proto: 'EthereumStratum/2.0.0', encoding: 'plain' as const, resume: b % 2 === 0, timeoutSeconds: interval, maxErrors: rejected, node: 'lode' };
            expect(decodeHelloResult(encodeHelloResult(hello))).toEqual(hello);
          },
        ),
        params(),
      );
    });

    it('the lenient readers decode or throw LodeError(protocol) and keep their bounds', () => {
      fc.assert(
        fc.property(hostile, (value) => {
          const big = decodesOrRefuses(() => readLenientHex(value, 'x'));
          if (big !== undefined) expect(big >= 0n && big < 1n << 256n).toBe(true);
          const n = decodesOrRefuses(() => readLenientSafeInteger(value, 'x'));
          if (n !== undefined) expect(Number.isSafeInteger(n) && n >= 0).toBe(true);
          decodesOrRefuses(() => readLenientBoolean(value, 'x'));
        }),
        params(),
      );
    });
  });

  describe('when a first line is arbitrary', () => {
    it('detectEthDialect names a dialect or an error with a readable id, and never throws', () => {
      const first = fc.oneof(
        fc.string({ maxLength: 80 }),
        fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
        arb({ id: 1, method: 'mining.subscribe', params: ['ethminer-0.19.0', 'EthereumStratum/1.0.0'] }).map((v) => JSON.stringify(v)),
        arb({ id: 0, method: 'mining.hello', params: { agent: 'ethminer', host: 'h', port: '4d2', proto: 'EthereumStratum/2.0.0' } }).map((v) => JSON.stringify(v)),
      );
      fc.assert(
        fc.property(first, (line) => {
          const d = detectEthDialect(line);
          if ('dialect' in d) {
            expect(['es2', 'es1', 'ethproxy', 'plain']).toContain(d.dialect);
            expect(typeof d.method).toBe('string');
          } else {
            expect(typeof d.error).toBe('string');
            expect(d.error.length).toBeLessThan(400);
            expect(d.id === null || typeof d.id === 'string' || Number.isFinite(d.id)).toBe(true);
          }
        }),
        params(),
      );
    });
  });

  describe('when the classic wire readers get random values', () => {
    it('readPoolHash, readPoolTarget throw LodeError(protocol) or return bounded values; readPoolHeight, readWorkerMember, readHashrateParams never throw', () => {
      fc.assert(
        fc.property(hostile, fc.array(hostile, { maxLength: 4 }), fc.dictionary(fc.constantFrom('worker', 'algo', '__proto__', 'x'), hostile), (value, list, extra) => {
          const hash = decodesOrRefuses(() => readPoolHash(value, 'header'));
          if (hash !== undefined) expect(hash).toMatch(/^[0-9a-f]{64}$/);
          const target = decodesOrRefuses(() => readPoolTarget(value, 'target'));
          if (target !== undefined) expect(target >= 1n && target < 1n << 256n).toBe(true);
          const height = readPoolHeight(value);
          if (height !== undefined) expect(Number.isSafeInteger(height) && height >= 0).toBe(true);
          const worker = readWorkerMember(extra);
          if ('worker' in worker && worker.worker !== undefined) expect(worker.worker.length).toBeLessThanOrEqual(256);
          const rate = readHashrateParams(list);
          if (typeof rate !== 'string') expect(rate.hashrate >= 0n && rate.hashrate < 1n << 256n).toBe(true);
        }),
        params(),
      );
    });
  });
});
