import { LodeError } from '@lode/stratum-core';
import fc from 'fast-check';
import { isHexBytes, parseUint32Hex, uint32ToHex } from './hex';
import {
  decodeAuthorizeParams,
  decodeDifficultyParams,
  decodeNotifyParams,
  decodeReconnectParams,
  decodeSubmitParams,
  decodeSubscribeParams,
  decodeSubscribeResult,
  encodeNotifyParams,
  encodeSubmitParams,
  encodeSubscribeResult,
  parseDifficulty,
  parseSubmitFields,
  readSubmitParams,
} from './messages';
import type { WarthogNotifyParams } from './messages';
import { H6_JOB_ID, H6_WORKER } from './testing/wire.test-helper';

/*
 * Property-based tests of every Warthog stratum decoder (fast-check): random
 * JSON values and mutations of valid messages (fields dropped, retyped, huge
 * numbers, non-hex strings, wrong lengths) either decode or throw
 * LodeError('protocol') with a short message, never anything else; valid
 * values round-trip through their encoders (facts/warthog.md §8).
 * FUZZ_RUNS sets the cases per property (default below); FUZZ_SEED replays a failure.
 */
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 300);
const SEED = process.env['FUZZ_SEED'] === undefined ? undefined : Number(process.env['FUZZ_SEED']);
const params = (numRuns = RUNS): fc.Parameters<unknown> => (SEED === undefined ? { numRuns } : { numRuns, seed: SEED });

const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(1e308, -1, 0, 0.5, 2 ** 32, 2 ** 53 + 2, -0, '', 'zz', '0x00000003', '0000003', '000000003', 'G'.repeat(8), 'ab'.repeat(64), '__proto__', 'constructor', [], {}, null, true),
  fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEFxg '), maxLength: 130 }),
);

/** The §6-H job and share of facts/warthog.md, as they travel. */
const NOTIFY_H6: unknown[] = [
  H6_JOB_ID,
  '05b42d206f8a4b2b8094199fd28423151af8aa54a5073ac6e6805f42096dc3a2',
  '33fdd49cb7a62536f3c56e5c62d809518871632bba3f9a399bf4c13aeeb464dc',
  '00000003',
  '0ae7cde7',
  '66f2fefb',
  true,
];
const SUBMIT_H6: unknown[] = [H6_JOB_ID, '000000000002', '66f2fefb', '00002df1'];
const SUBSCRIBE_RESULT: unknown[] = [[['mining.notify', '00000001']], '00000001', 6];

type ParamsMutation = { op: 'set'; index: number; value: unknown } | { op: 'drop'; index: number } | { op: 'push'; value: unknown } | { op: 'unshift'; value: unknown };
const paramsMutation: fc.Arbitrary<ParamsMutation> = fc.oneof(
  fc.tuple(fc.nat(9), hostile).map(([index, value]) => ({ op: 'set' as const, index, value })),
  fc.nat(9).map((index) => ({ op: 'drop' as const, index })),
  hostile.map((value) => ({ op: 'push' as const, value })),
  hostile.map((value) => ({ op: 'unshift' as const, value })),
);

function mutateParams(base: readonly unknown[], mutations: readonly ParamsMutation[]): unknown[] {
  const out = [...base];
  for (const m of mutations) {
    if (m.op === 'set') out[m.index % (out.length + 1)] = m.value;
    else if (m.op === 'drop') out.splice(m.index % Math.max(out.length, 1), 1);
    else if (m.op === 'push') out.push(m.value);
    else out.unshift(m.value);
  }
  return JSON.parse(JSON.stringify(out)) as unknown[];
}

const paramsArb = (base: readonly unknown[]): fc.Arbitrary<unknown[]> =>
  fc.oneof(fc.array(hostile, { maxLength: 9 }), fc.array(paramsMutation, { minLength: 1, maxLength: 3 }).map((m) => mutateParams(base, m)));

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

const hex = (min: number, max = min): fc.Arbitrary<string> => fc.uint8Array({ minLength: min, maxLength: max }).map((a) => Buffer.from(a).toString('hex'));

describe('Warthog stratum decoders (fuzz)', () => {
  describe('when mining.notify params are random or mutated', () => {
    it('decodes them or throws LodeError(protocol)', () => {
      fc.assert(
        fc.property(paramsArb(NOTIFY_H6), (p) => {
          const job = decodesOrRefuses(() => decodeNotifyParams(p));
          if (job === undefined) return;
          expect(job.prevHash).toMatch(/^[0-9a-f]{64}$/);
          expect(job.merklePrefix).toMatch(/^(?:[0-9a-f]{64}|[0-9a-f]{128})$/);
          for (const v of [job.version, job.nbits, job.ntime]) expect(Number.isInteger(v) && v >= 0 && v <= 0xffffffff).toBe(true);
        }),
        params(),
      );
    });

    it('round-trips every valid job', () => {
      const job: fc.Arbitrary<WarthogNotifyParams> = fc.record({
        jobId: fc.string({ minLength: 1, maxLength: 64 }),
        prevHash: hex(32),
        merklePrefix: fc.oneof(hex(32), hex(64)),
        version: fc.nat({ max: 0xffffffff }),
        nbits: fc.nat({ max: 0xffffffff }),
        ntime: fc.nat({ max: 0xffffffff }),
        clean: fc.boolean(),
      });
      fc.assert(
        fc.property(job, (j) => {
          expect(decodeNotifyParams(JSON.parse(JSON.stringify(encodeNotifyParams(j))) as unknown[])).toEqual(j);
        }),
        params(),
      );
    });
  });

  describe('when mining.submit params are random or mutated', () => {
    it('readSubmitParams refuses with -32602, parseSubmitFields never throws, decodeSubmitParams throws LodeError(protocol) only', () => {
      fc.assert(
        fc.property(paramsArb(SUBMIT_H6), fc.option(fc.integer({ min: 0, max: 32 }), { nil: undefined }), (p, size) => {
          let raw;
          try {
            raw = readSubmitParams(p);
          } catch (e) {
            expect(LodeError.is(e, 'protocol')).toBe(true);
            expect((e as LodeError).code).toBe(-32602);
            raw = undefined;
          }
          if (raw !== undefined) {
            const fields = parseSubmitFields(raw, size);
            if (fields.ok) {
              if (size !== undefined) expect(fields.extranonce2.length).toBe(size);
              expect(Number.isInteger(fields.nonce) && fields.nonce >= 0 && fields.nonce <= 0xffffffff).toBe(true);
            } else {
              expect(['bad-extranonce2', 'bad-ntime', 'bad-nonce']).toContain(fields.reason);
            }
          }
          decodesOrRefuses(() => decodeSubmitParams(p, size));
        }),
        params(),
      );
    });

    it('round-trips every valid share, current and legacy form', () => {
      fc.assert(
        fc.property(
          fc.string({ minLength: 1, maxLength: 64 }),
          hex(0, 16),
          fc.nat({ max: 0xffffffff }),
          fc.nat({ max: 0xffffffff }),
          fc.option(fc.constantFrom(H6_WORKER, 'w'), { nil: undefined }),
          (jobId, en2, ntime, nonce, worker) => {
            const share = { jobId, extranonce2: Buffer.from(en2, 'hex'), ntime, nonce };
            const decoded = decodeSubmitParams(encodeSubmitParams(share, worker), en2.length / 2);
            expect(decoded).toEqual(worker === undefined ? { form: 'current', ...share } : { form: 'legacy', workerName: worker, ...share });
          },
        ),
        params(),
      );
    });
  });

  describe('when the other decoders get random or mutated params', () => {
    it('decodeSubscribeResult, decodeAuthorizeParams and decodeDifficultyParams decode or throw LodeError(protocol); the lenient ones never throw', () => {
      fc.assert(
        fc.property(paramsArb(SUBSCRIBE_RESULT), paramsArb([H6_WORKER, 'x']), paramsArb([500000]), hostile, (sub, auth, diff, value) => {
          const r = decodesOrRefuses(() => decodeSubscribeResult(sub));
          if (r !== undefined) expect(r.extranonce1.length).toBeLessThanOrEqual(32);
          decodesOrRefuses(() => decodeSubscribeResult(value));
          const a = decodesOrRefuses(() => decodeAuthorizeParams(auth));
          if (a !== undefined) expect(a.workerName.length).toBeGreaterThan(0);
          if (a !== undefined) expect(a.workerName.length).toBeLessThanOrEqual(256);
          const d = decodesOrRefuses(() => decodeDifficultyParams('mining.set_difficulty', diff));
          if (d !== undefined) expect(Number.isFinite(d) && d > 0).toBe(true);
          const s = decodeSubscribeParams(auth);
          expect((s.userAgent ?? '').length).toBeLessThanOrEqual(256);
          const rc = decodeReconnectParams(auth);
          if (rc.port !== undefined) expect(rc.port > 0 && rc.port < 65536).toBe(true);
          const pd = parseDifficulty(value);
          if (pd !== undefined) expect(Number.isFinite(pd) && pd > 0).toBe(true);
          const u = parseUint32Hex(value);
          if (u !== undefined) expect(uint32ToHex(u)).toBe((value as string).toLowerCase());
          if (isHexBytes(value)) expect(Buffer.from(value, 'hex').toString('hex')).toBe(value.toLowerCase());
        }),
        params(),
      );
    });

    it('round-trips every valid subscribe result (extranonce1 + extranonce2 size = 10 bytes)', () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 10 }), fc.string({ maxLength: 20 }), fc.nat(), (size, sessionId, seed) => {
          const en1 = Buffer.alloc(10 - size, seed & 0xff);
          const wire = JSON.parse(JSON.stringify(encodeSubscribeResult({ extranonce1: en1, extranonce2Size: size, sessionId }))) as unknown;
          expect(decodeSubscribeResult(wire)).toEqual({ extranonce1: en1, extranonce2Size: size, sessionId });
        }),
        params(),
      );
    });
  });
});
