import fc from 'fast-check';
import type { LodeLogger } from '../logger';

/** How many cases a property runs and how long jest may take for them (see {@link fuzzRuns}). */
export interface FuzzRuns {
  /** cases per property: FUZZ_RUNS, else the default given */
  readonly runs: number;
  /** jest's per-test limit, ms: 30 s plus `msPerRun` per case (a long run is not a hung run) */
  readonly timeoutMs: number;
  /** fast-check parameters: `numRuns` (default `runs`), and FUZZ_SEED's seed when set, to replay a failure */
  parameters(numRuns?: number): fc.Parameters<unknown>;
}

/**
 * The run settings every session fuzz spec reads from the environment:
 * `FUZZ_RUNS` (cases per property; `npm run fuzz` sets 20,000) and
 * `FUZZ_SEED` (replays the failing case fast-check printed). docs/fuzzing.md.
 *
 * @param defaultRuns cases per property in `npm test`
 * @param msPerRun jest time allowed per case, ms
 * @throws nothing; a FUZZ_RUNS that is not a number gives NaN runs, which fast-check refuses
 */
export function fuzzRuns(defaultRuns: number, msPerRun: number): FuzzRuns {
  const runs = Number(process.env['FUZZ_RUNS'] ?? defaultRuns);
  const seed = process.env['FUZZ_SEED'] === undefined ? undefined : Number(process.env['FUZZ_SEED']);
  return {
    runs,
    timeoutMs: 30_000 + runs * msPerRun,
    parameters: (numRuns = runs) => (seed === undefined ? { numRuns } : { numRuns, seed }),
  };
}

/**
 * A value a hostile or broken peer might put where a message member or
 * param belongs: any small JSON value, or one of the dialect's own
 * `samples` (near-miss hex, wrong lengths, `__proto__`, huge numbers...).
 *
 * @param samples at least one value, picked as often as all JSON values together
 */
export function hostileValue(samples: readonly unknown[]): fc.Arbitrary<unknown> {
  return fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(...samples));
}

/**
 * One change to a request whose params are an array (Stratum v1, Warthog,
 * ES1, EthProxy, plain stratum): a top-level member dropped or set to any
 * value, a param replaced, or a param removed. Indexes wrap to the params'
 * length when applied ({@link mutatedRequest}).
 */
export type ArrayParamsMutation =
  | { op: 'drop'; key: string }
  | { op: 'set'; key: string; value: unknown }
  | { op: 'param'; index: number; value: unknown }
  | { op: 'dropParam'; index: number };

/**
 * Mutations of array-params requests.
 *
 * @param options.drop members that may be removed (e.g. id, method, params)
 * @param options.set members that may be set to a hostile value (own members and strangers alike)
 * @param options.maxIndex the highest param index drawn (indexes wrap when applied)
 * @param hostile the values members and params are set to (see {@link hostileValue})
 */
export function arrayParamsMutation(
  options: { drop: readonly string[]; set: readonly string[]; maxIndex: number },
  hostile: fc.Arbitrary<unknown>,
): fc.Arbitrary<ArrayParamsMutation> {
  return fc.oneof(
    fc.constantFrom(...options.drop).map((key) => ({ op: 'drop' as const, key })),
    fc.tuple(fc.constantFrom(...options.set), hostile).map(([key, value]) => ({ op: 'set' as const, key, value })),
    fc.tuple(fc.nat(options.maxIndex), hostile).map(([index, value]) => ({ op: 'param' as const, index, value })),
    fc.nat(options.maxIndex).map((index) => ({ op: 'dropParam' as const, index })),
  );
}

/**
 * The line of request `id` made from `template` (`{method, params: [...]}`)
 * with `mutations` applied in order. A set member is defined as an own data
 * property, so `"__proto__"` becomes a real member of the JSON text rather
 * than the object's prototype.
 *
 * @returns one JSON line, without terminator
 */
export function mutatedRequest(id: number, template: Readonly<Record<string, unknown>>, mutations: readonly ArrayParamsMutation[]): string {
  const msg: Record<string, unknown> = { id, ...template, params: [...(template['params'] as unknown[])] };
  for (const m of mutations) {
    const p = Array.isArray(msg['params']) ? (msg['params'] as unknown[]) : undefined;
    if (m.op === 'drop') delete msg[m.key];
    else if (m.op === 'set') Object.defineProperty(msg, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
    else if (m.op === 'param' && p !== undefined) p[m.index % (p.length + 1)] = m.value;
    else if (m.op === 'dropParam' && p !== undefined) p.splice(m.index % Math.max(p.length, 1), 1);
  }
  return JSON.stringify(msg);
}

/** The error lines a session logs only when its own code threw (never for bad peer input). */
const INTERNAL_ERRORS = new Set(['request dispatch failed', 'method handler threw', 'closed handler threw']);

/**
 * A logger that keeps, in `internal`, every error line meaning the
 * session's own code threw ("request dispatch failed", "method handler
 * threw", "closed handler threw") with the error's stack; it drops
 * everything else. A fuzz case passes only when `internal` stays empty.
 */
export function internalErrorLogger(internal: string[]): LodeLogger {
  const logger: LodeLogger = {
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: (obj, msg) => {
      if (msg !== undefined && INTERNAL_ERRORS.has(msg)) {
        internal.push(`${msg}: ${String((obj as { err?: Error }).err?.stack ?? JSON.stringify(obj))}`);
      }
    },
    child: () => logger,
  };
  return logger;
}
