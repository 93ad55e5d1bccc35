import { LodeError, silentLogger } from '@lode/stratum-core';
import fc from 'fast-check';
import { decodeConfigureParams, decodeVersionMaskParams } from './configure/configure-messages';
import { ConfigureRegistry } from './configure/registry';
import { isHexBytes, parseUint32Hex, uint32ToHex } from './hex';
import {
  decodeDifficultyParams,
  decodeExtranonceParams,
  decodeNotifyParams,
  decodeReconnectParams,
  decodeSubscribeParams,
  decodeSubscribeResult,
  encodeNotifyParams,
  encodeSubscribeResult,
  parseDifficulty,
} from './messages';
import type { NotifyParams } from './messages';

/*
 * Property-based tests of every Stratum v1 decoder (fast-check): random JSON
 * values and mutations of valid messages (fields dropped, retyped, huge
 * numbers, non-hex strings, wrong lengths) either decode or throw
 * LodeError('protocol') with a short message naming the field, never
 * anything else; valid values round-trip through their encoder.
 * FUZZ_RUNS sets the cases per property (default below); FUZZ_SEED replays a failure.
 */
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 300);
const SEED = process.env['FUZZ_SEED'] === undefined ? undefined : Number(process.env['FUZZ_SEED']);
const params = (numRuns = RUNS): fc.Parameters<unknown> => (SEED === undefined ? { numRuns } : { numRuns, seed: SEED });

/** Values hostile peers send: any JSON, huge and fractional numbers, near-miss hex, prototype names. */
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(1e308, -1, 0, 0.5, 2 ** 32, 2 ** 53 + 2, -0, '', 'zz', '0x1a44b9f2', '1a44b9f', '1a44b9f2a', 'G'.repeat(8), 'ab'.repeat(40), '__proto__', 'constructor', [], {}, null, true),
  fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEFxg '), maxLength: 70 }),
);

/** Block 125552's job in stratum form (facts/bitcoin-stratum.md "Test vectors"), with one branch. */
const NOTIFY_125552: unknown[] = [
  'b125552',
  'ab02cd818b9e567ee21793cddef299feb29ad444a41b85b8000008a300000000',
  '01000000010000',
  'ffffffff00',
  ['e320b6c2fffc8d750423db8b1eb942ae710e951ed797f7affc8892b0f1fc122b'],
  '00000001',
  '1a44b9f2',
  '4dd7f5c7',
  true,
];
const SUBSCRIBE_RESULT: unknown[] = [[['mining.set_difficulty', 's1'], ['mining.notify', 's1']], '08000002', 4];
const CONFIGURE: unknown[] = [
  ['version-rolling', 'minimum-difficulty', 'subscribe-extranonce', 'info'],
  { 'version-rolling.mask': '1fffe000', 'version-rolling.min-bit-count': 2, 'minimum-difficulty.value': 2048, 'info.hw-version': 'S9' },
];

type ParamsMutation = { op: 'set'; index: number; value: unknown } | { op: 'drop'; index: number } | { op: 'push'; value: unknown } | { op: 'truncate'; length: number };
const paramsMutation: fc.Arbitrary<ParamsMutation> = fc.oneof(
  fc.tuple(fc.nat(12), hostile).map(([index, value]) => ({ op: 'set' as const, index, value })),
  fc.nat(12).map((index) => ({ op: 'drop' as const, index })),
  hostile.map((value) => ({ op: 'push' as const, value })),
  fc.nat(10).map((length) => ({ op: 'truncate' as const, length })),
);

function mutateParams(base: readonly unknown[], mutations: readonly ParamsMutation[]): unknown[] {
  const out = [...base];
  for (const m of mutations) {
    if (m.op === 'set') out[m.index % (out.length + 1)] = m.value;
    else if (m.op === 'drop') out.splice(m.index % Math.max(out.length, 1), 1);
    else if (m.op === 'push') out.push(m.value);
    else out.length = Math.min(out.length, m.length);
  }
  // A hole would not come out of JSON.parse; the wire has null there.
  return JSON.parse(JSON.stringify(out)) as unknown[];
}

/** Runs `decode`; it may return or throw LodeError('protocol') with a bounded message, nothing else. */
function decodesOrRefuses<T>(decode: () => T): T | undefined {
  try {
    return decode();
  } catch (e) {
    if (!LodeError.is(e, 'protocol')) throw new Error(`expected LodeError('protocol'), got ${(e as Error)?.stack ?? String(e)}`);
    // Peer input is previewed (80 characters), so a hostile value cannot blow up the reply line.
    expect(e.message.length).toBeLessThan(400);
    return undefined;
  }
}

const paramsArb = (base: readonly unknown[]): fc.Arbitrary<unknown[]> =>
  fc.oneof(
    fc.array(hostile, { maxLength: 12 }),
    fc.array(paramsMutation, { minLength: 1, maxLength: 4 }).map((m) => mutateParams(base, m)),
  );

const hex = (bytes: number): fc.Arbitrary<string> => fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((a) => Buffer.from(a).toString('hex'));
const notifyParams: fc.Arbitrary<NotifyParams> = fc.record({
  jobId: fc.string({ minLength: 1, maxLength: 16 }),
  prevhash: hex(32),
  coinb1: fc.uint8Array({ maxLength: 60 }).map((a) => Buffer.from(a).toString('hex')),
  coinb2: fc.uint8Array({ maxLength: 60 }).map((a) => Buffer.from(a).toString('hex')),
  merkleBranches: fc.array(hex(32), { maxLength: 12 }),
  version: fc.nat({ max: 0xffffffff }),
  nbits: fc.nat({ max: 0xffffffff }),
  ntime: fc.nat({ max: 0xffffffff }),
  cleanJobs: fc.boolean(),
});

describe('Stratum v1 decoders (fuzz)', () => {
  describe('when mining.notify params are random or mutated', () => {
    it('decodes them or throws LodeError(protocol); what decodes re-encodes to the same lower-case wire form', () => {
      fc.assert(
        fc.property(paramsArb(NOTIFY_125552), (p) => {
          const decoded = decodesOrRefuses(() => decodeNotifyParams(p));
          if (decoded === undefined) return;
          const again = encodeNotifyParams(decoded);
          const lower = (v: unknown): string => (v as string).toLowerCase();
          expect(again).toEqual([p[0], lower(p[1]), lower(p[2]), lower(p[3]), (p[4] as unknown[]).map(lower), lower(p[5]), lower(p[6]), lower(p[7]), p[8]]);
        }),
        params(),
      );
    });

    it('round-trips every valid job', () => {
      fc.assert(
        fc.property(notifyParams, (job) => {
          expect(decodeNotifyParams(JSON.parse(JSON.stringify(encodeNotifyParams(job))) as unknown[])).toEqual(job);
        }),
        params(),
      );
    });
  });

  describe('when the other decoders get random or mutated params', () => {
    it('decodeSubscribeResult, decodeExtranonceParams, decodeDifficultyParams, decodeVersionMaskParams and decodeConfigureParams decode or throw LodeError(protocol)', () => {
      fc.assert(
        fc.property(paramsArb(SUBSCRIBE_RESULT), paramsArb(['08000002', 4]), paramsArb([0.001]), paramsArb(['1fffe000']), paramsArb(CONFIGURE), hostile, (sub, en, diff, mask, conf, raw) => {
          const result = decodesOrRefuses(() => decodeSubscribeResult(sub));
          if (result !== undefined) {
            expect(result.extranonce1.length).toBeLessThanOrEqual(32);
            expect(Number.isInteger(result.extranonce2Size) && result.extranonce2Size >= 0 && result.extranonce2Size <= 32).toBe(true);
            expect(typeof result.sessionId).toBe('string');
          }
          decodesOrRefuses(() => decodeSubscribeResult(raw));
          const update = decodesOrRefuses(() => decodeExtranonceParams(en));
          if (update !== undefined) expect(update.extranonce1.length).toBeLessThanOrEqual(32);
          const d = decodesOrRefuses(() => decodeDifficultyParams('mining.set_difficulty', diff));
          if (d !== undefined) expect(Number.isFinite(d) && d > 0).toBe(true);
          const m = decodesOrRefuses(() => decodeVersionMaskParams(mask));
          if (m !== undefined) expect(Number.isInteger(m) && m >= 0 && m <= 0xffffffff).toBe(true);
          const c = decodesOrRefuses(() => decodeConfigureParams(conf));
          if (c !== undefined) expect(c.codes.length).toBeLessThanOrEqual(64);
        }),
        params(),
      );
    });

    it('the lenient decoders (subscribe params, reconnect, parseDifficulty) never throw and keep their bounds', () => {
      fc.assert(
        fc.property(fc.array(hostile, { maxLength: 5 }), hostile, (p, value) => {
          const sub = decodeSubscribeParams(p);
          expect((sub.userAgent ?? '').length).toBeLessThanOrEqual(256);
          expect((sub.sessionId ?? '').length).toBeLessThanOrEqual(256);
          const r = decodeReconnectParams(p);
          if (r.port !== undefined) expect(Number.isInteger(r.port) && r.port > 0 && r.port < 65536).toBe(true);
          expect(Number.isFinite(r.waitSeconds) && r.waitSeconds >= 0).toBe(true);
          const d = parseDifficulty(value);
          if (d !== undefined) expect(Number.isFinite(d) && d > 0).toBe(true);
        }),
        params(),
      );
    });

    it('the hex helpers agree with each other on any value', () => {
      fc.assert(
        fc.property(hostile, fc.nat({ max: 0xffffffff }), (value, n) => {
          const parsed = parseUint32Hex(value);
          if (parsed !== undefined) expect(uint32ToHex(parsed)).toBe((value as string).toLowerCase());
          expect(parseUint32Hex(uint32ToHex(n))).toBe(n);
          if (isHexBytes(value)) expect(Buffer.from(value, 'hex').toString('hex')).toBe(value.toLowerCase());
        }),
        params(),
      );
    });
  });

  describe('when mining.configure asks for arbitrary codes with arbitrary parameters', () => {
    it('answers each distinct code exactly once, plus only its own "code.name" values, and never throws', () => {
      const code = fc.oneof(fc.constantFrom('version-rolling', 'minimum-difficulty', 'subscribe-extranonce', 'info', 'sp-telemetry', '__proto__', 'constructor', ''), fc.string({ maxLength: 10 }));
      fc.assert(
        fc.property(
          fc.array(code, { maxLength: 10 }),
          fc.dictionary(fc.oneof(fc.string({ maxLength: 30 }), code.map((c) => `${c}.mask`), code.map((c) => `${c}.value`)), hostile, { maxKeys: 8 }),
          fc.boolean(),
          (codes, extensionParams, rolling) => {
            const registry = new ConfigureRegistry();
            const ctx = {
              handler: {
                subscribe: () => Promise.reject(new Error('unused')),
                authorize: () => Promise.resolve(true),
                submit: () => Promise.reject(new Error('unused')),
                setMinimumDifficulty: (v: number) => (v > 1e6 ? 'too high' : true),
              },
              logger: silentLogger,
              state: { extranonceSubscribed: false },
              versionRolling: rolling ? { serverMask: 0x1fffe000 } : undefined,
            } as const;
            const decoded = decodesOrRefuses(() => decodeConfigureParams([codes, extensionParams]));
            if (decoded === undefined) return;
            const result = registry.answer({ ...ctx, state: { ...ctx.state } }, decoded.codes, decoded.params);
            const keys = Object.keys(result);
            const distinct = [...new Set(codes)];
            expect(keys.filter((k) => distinct.includes(k) && !k.includes('.')).sort()).toEqual(distinct.filter((c) => !c.includes('.')).sort());
            for (const c of distinct) {
              expect(Object.hasOwn(result, c)).toBe(true);
              expect(['boolean', 'string']).toContain(typeof result[c]);
            }
            for (const k of keys) {
              if (distinct.includes(k)) continue;
              expect(distinct.some((c) => k.startsWith(`${c}.`))).toBe(true);
            }
          },
        ),
        params(),
      );
    });
  });
});

// Keeps encodeSubscribeResult in the fuzzed surface: a valid result round-trips through the decoder.
describe('mining.subscribe result (fuzz)', () => {
  it('round-trips any extranonce1 of 0..32 bytes and extranonce2 size of 0..32', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 32 }), fc.integer({ min: 0, max: 32 }), fc.string({ maxLength: 20 }), (en1, size, sessionId) => {
        const wire = JSON.parse(JSON.stringify(encodeSubscribeResult({ extranonce1: Buffer.from(en1), extranonce2Size: size, sessionId }))) as unknown;
        expect(decodeSubscribeResult(wire)).toEqual({ extranonce1: Buffer.from(en1), extranonce2Size: size, sessionId });
      }),
      params(),
    );
  });
});
