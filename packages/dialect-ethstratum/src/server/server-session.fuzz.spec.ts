import { gunzipSync, gzipSync } from 'node:zlib';
import type { ShareVerdict } from '@lode/mining';
import { SHARE_REJECT_REASONS } from '@lode/mining';
import { createLinePair, eip1571Codec, gzipLineCodec, LodeError, RpcPeer } from '@lode/stratum-core';
import type { Eip1571Params } from '@lode/stratum-core';
import fc from 'fast-check';
import { fuzzRuns, hostileValue, internalErrorLogger } from '@lode/stratum-core/fuzz';
import { config as rxjsConfig } from 'rxjs';
import type { EthCloseInfo } from '../close-info';
import { SPEC } from '../testing/wire.test-helper';
import type { EthStratumServerHandler, EthStratumServerSessionOptions } from './server-handler';
import type { EthServerJob } from './server-session';
import { EthStratumServerSession } from './server-session';

/*
 * EthStratumServerSession (EIP-1571) driven over an in-memory line pair by
 * random and mutated request sequences (fast-check), plain or gzip, with a
 * pool that sometimes refuses, throws or answers nonsense, and pool-side
 * jobs, hashrate reports, reconnects and byes interleaved. For every case:
 * nothing throws out of a handler (no "request dispatch failed", no
 * "method handler threw", no rxjs unhandled error); every request, and
 * every invalid line whose id could be read, gets exactly one reply with
 * that id, in arrival order, unless the session closed for a documented
 * reason (then the replies are a prefix); when the miner leaves, the
 * session closes, `closed$` completes, `handler.closed` runs once and no
 * timer is left (the idle and reconnect timers included; jest fake timers).
 * FUZZ_RUNS sets the cases (default below); FUZZ_SEED replays a failure.
 */
const { timeoutMs: TIMEOUT_MS, parameters: params } = fuzzRuns(100, 150);

const NODE = 'Geth/v1.13.15-stable/linux-amd64/go1.21.6';

/** Reasons the session (or the pool behind it) documents for closing a connection. */
const DOCUMENTED_CLOSES = [
  /^maxerrors \d+ reached$/,
  /^over \d+ requests waiting for their replies$/,
  /^plain-text line after encoding gzip was negotiated$/,
  /^mining\.hello refused: /,
  /^mining\.bye from the miner$/,
  /^mining\.bye sent$/,
  /^mining\.reconnect to .+ sent$/,
  /^reconnect requested before mining\.hello$/,
  /^pool closes$/,
];

const HELLO = { method: 'mining.hello', params: { agent: 'ethminer-0.19.0', host: 'eth.pool.example', port: SPEC.helloPortHex, proto: 'EthereumStratum/2.0.0' } };

/** What an EIP-1571 miner sends (the spec's examples). */
const TEMPLATES: ReadonlyArray<Record<string, unknown>> = [
  HELLO,
  { method: 'mining.subscribe' },
  { method: 'mining.subscribe', params: 's-1' },
  { method: 'mining.authorize', params: ['alice.rig1', 'x'] },
  { method: 'mining.authorize', params: ['alice.rig2', 'x'] },
  { method: 'mining.submit', params: [SPEC.jobId, SPEC.minerNonce, 'w-1'] },
  { method: 'mining.submit', params: ['old-job', '0000000068765fcc', 'w-2'] },
  { method: 'mining.hashrate', params: ['500000', 'w-1'] },
  { method: 'mining.noop' },
  { method: 'mining.get_transactions', params: [SPEC.jobId] },
];

const SPEC_JOB: EthServerJob = {
  jobId: SPEC.jobId,
  height: SPEC.height,
  headerHash: SPEC.headerHash,
  clean: false,
  epoch: SPEC.epoch,
  algo: 'ethash',
  target: SPEC.target,
  extranonce: Buffer.from(SPEC.extranonceHex, 'hex'),
};

const hostile = hostileValue([65536, -1, 0.5, 1e308, '', 'zz', '0x4d2', '04d2', 'w-999', 'ab'.repeat(40), '__proto__', 'Agent', [], {}, null, true, [1, 'a']]);

type Mutation = { op: 'drop'; key: string } | { op: 'set'; key: string; value: unknown } | { op: 'param'; key: string | number; value: unknown };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constantFrom('id', 'method', 'params').map((key) => ({ op: 'drop' as const, key })),
  fc.tuple(fc.constantFrom('id', 'method', 'params', 'result', 'error', 'jsonrpc', 'Worker', '__proto__'), hostile).map(([key, value]) => ({ op: 'set' as const, key, value })),
  fc.tuple(fc.oneof(fc.nat(3), fc.constantFrom('agent', 'host', 'port', 'proto', 'extra')), hostile).map(([key, value]) => ({ op: 'param' as const, key, value })),
);

type ServerAction = 'job' | 'job-new-extranonce' | 'hashrate' | 'reconnect' | 'bye' | 'close';
type Step =
  | { kind: 'request'; template: number; mutations: Mutation[] }
  | { kind: 'notification'; method: string }
  | { kind: 'response'; id: number }
  | { kind: 'raw'; line: string; plain: boolean }
  | { kind: 'server'; action: ServerAction };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 24, arbitrary: fc.record({ kind: fc.constant('request' as const), template: fc.nat(TEMPLATES.length - 1), mutations: fc.array(mutation, { maxLength: 2 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('notification' as const), method: fc.constantFrom('mining.noop', 'mining.bye', 'mining.reconnect', 'mining.submit') }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('response' as const), id: fc.nat(3) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('raw' as const),
      line: fc.oneof(fc.string({ maxLength: 40 }), fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v))),
      plain: fc.boolean(),
    }),
  },
  { weight: 6, arbitrary: fc.constantFrom<ServerAction>('job', 'job', 'job-new-extranonce', 'hashrate').map((action) => ({ kind: 'server' as const, action })) },
  // The pool ending the session: rarer, so that most cases run long.
  { weight: 1, arbitrary: fc.constantFrom<ServerAction>('reconnect', 'bye', 'close').map((action) => ({ kind: 'server' as const, action })) },
);

/** The pool's answers, picked per call from a random list: normal, refusing, throwing, or out of shape. */
function fakePool(choices: number[], closedWith: EthCloseInfo[]): EthStratumServerHandler {
  let i = 0;
  let sessions = 0;
  const pick = (n: number): number => choices[i++ % choices.length] % n;
  const boom = (what: string, k: number): never => {
    throw k % 2 === 0 ? new Error(`${what} exploded`) : new LodeError('share', `${what} refused`, { code: 500 + (k % 4) });
  };
  return {
    async subscribe(req) {
      const c = pick(7);
      if (c === 5) boom('subscribe', choices.length);
      if (c === 6) return { sessionId: '', extranonce: Buffer.alloc(9), workers: [], resumed: false };
      if (req.sessionId !== undefined && c < 2) return { sessionId: req.sessionId, extranonce: Buffer.from('af4c', 'hex'), workers: ['alice.rig1'], resumed: true };
      return { sessionId: `s-${++sessions}`, extranonce: Buffer.from('af4c', 'hex'), workers: [], resumed: false };
    },
    async authorize() {
      const c = pick(5);
      if (c === 4) boom('authorize', c);
      return c !== 3;
    },
    async submit(): Promise<ShareVerdict> {
      const c = pick(SHARE_REJECT_REASONS.length + 4);
      if (c < 2) boom('submit', c);
      if (c === 2) return { accepted: true, difficulty: 1, shareDifficulty: 1.5, block: false, hash: 'ab'.repeat(32) };
      if (c === 3) return { accepted: true, difficulty: 1, shareDifficulty: 1.5, block: false, hash: 'ab'.repeat(32), stale: true };
      return { accepted: false, reason: SHARE_REJECT_REASONS[c - 4], message: '' };
    },
    hashrate() {
      const c = pick(4);
      if (c === 0) boom('hashrate', c);
      // 1: not a bigint, which the session must not put on the wire
      return c === 1 ? (-5n as bigint) : c === 2 ? 0x500000n : undefined;
    },
    closed(info) {
      closedWith.push(info);
    },
  };
}

function build(s: Exclude<Step, { kind: 'server' } | { kind: 'raw' }>, id: number): string {
  if (s.kind === 'response') return JSON.stringify({ id: s.id, result: 'w-1' });
  if (s.kind === 'notification') return JSON.stringify({ method: s.method });
  const template = TEMPLATES[s.template];
  const p = template['params'];
  const msg: Record<string, unknown> = { id, ...template };
  if (p !== undefined) msg['params'] = Array.isArray(p) ? [...p] : typeof p === 'object' && p !== null ? { ...p } : p;
  for (const m of s.mutations) {
    const target = msg['params'];
    if (m.op === 'drop') delete msg[m.key];
    else if (m.op === 'set') Object.defineProperty(msg, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
    else if (typeof target === 'object' && target !== null) (target as Record<string | number, unknown>)[m.key] = m.value;
  }
  return JSON.stringify(msg);
}

/** The id the reply to a wire line must carry: a request, or an invalid line with a readable id and a code (EIP-1571 400). */
function replyIdFor(wire: string, gzip: boolean): number | undefined {
  const msg = (gzip ? gzipLineCodec(eip1571Codec) : eip1571Codec).decode(wire);
  if (msg.type === 'request') return msg.id as number;
  if (msg.type === 'invalid' && msg.id !== null && msg.code !== undefined) return msg.id as number;
  return undefined;
}

async function settle(): Promise<void> {
  for (let i = 0; i < 25; i++) await jest.advanceTimersByTimeAsync(1);
}

function act(session: EthStratumServerSession, action: ServerAction, n: number): void {
  switch (action) {
    case 'job':
      session.sendJob({ ...SPEC_JOB, jobId: `job-${n % 3}`, clean: n % 2 === 0 });
      return;
    case 'job-new-extranonce':
      session.sendJob({ ...SPEC_JOB, jobId: `job-x${n}`, extranonce: Buffer.alloc(n % 7, n) });
      return;
    case 'hashrate':
      session.sendHashrate({ intervalMinutes: 60, hashrate: 0x500000n, accepted: 3692, stale: 20, rejected: 0 });
      return;
    case 'reconnect':
      return session.reconnect({ host: 'someotherhost.com', port: 3456, resume: true });
    case 'bye':
      return session.bye();
    case 'close':
      return session.close('pool closes');
  }
}

describe('EthStratumServerSession (fuzz)', () => {
  const unhandled: unknown[] = [];
  beforeEach(() => {
    jest.useFakeTimers();
    rxjsConfig.onUnhandledError = (err) => unhandled.push(err);
  });
  afterEach(() => {
    rxjsConfig.onUnhandledError = null;
    jest.useRealTimers();
  });

  it(
    'answers every request exactly once, in order, or closes for a documented reason, and leaks nothing',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.boolean(),
          fc.array(step, { maxLength: 40 }),
          fc.array(fc.nat(), { minLength: 1, maxLength: 16 }),
          fc.record({
            batch: fc.boolean(),
            options: fc.record(
              {
                encoding: fc.constantFrom<'plain' | 'gzip'>('plain', 'gzip'),
                resume: fc.boolean(),
                maxErrors: fc.constantFrom(1, 5, 1000, 1000, 1000),
                maxWorkers: fc.integer({ min: 1, max: 3 }),
                maxPendingRequests: fc.integer({ min: 1, max: 128 }),
                hashrateMinIntervalMs: fc.constantFrom(0, 10_000),
                reconnectGraceMs: fc.constantFrom(0, 1000),
              },
              { requiredKeys: [] },
            ),
          }),
          async (helloFirst, steps, choices, { batch: batchAsked, options }) => {
            unhandled.length = 0;
            const internal: string[] = [];
            const closedWith: EthCloseInfo[] = [];
            const [minerEnd, poolEnd] = createLinePair();
            const peer = new RpcPeer<Eip1571Params>(poolEnd, eip1571Codec, { firstRequestId: 0, maxRequestId: 65535 });
            const gzip = options.encoding === 'gzip';
            const session = new EthStratumServerSession(peer, fakePool(choices, closedWith), {
              ...(options as Partial<EthStratumServerSessionOptions>),
              node: NODE,
              logger: internalErrorLogger(internal),
            });
            let closedCompleted = false;
            session.closed$.subscribe({ complete: () => (closedCompleted = true) });

            // After the hello reply with "encoding": "gzip", both directions are gzip + base64 lines.
            let minerGzip = false;
            const replyIds: unknown[] = [];
            minerEnd.lines$.subscribe((raw) => {
              const line = minerGzip ? gunzipSync(Buffer.from(raw, 'base64')).toString('utf8') : raw;
              const msg = JSON.parse(line) as Record<string, unknown>;
              if ('method' in msg) return;
              expect(typeof msg['id']).toBe('number');
              replyIds.push(msg['id']);
              const result = msg['result'] as Record<string, unknown> | undefined;
              if (gzip && msg['id'] === 0 && result?.['encoding'] === 'gzip') minerGzip = true;
            });

            // A gzip miner waits for the hello reply before it sends anything else (the codec switches after it).
            const batch = batchAsked && !gzip;
            const expected: unknown[] = [];
            const send = (plainLine: string, asPlain = false): void => {
              const wire = minerGzip && !asPlain ? gzipSync(Buffer.from(plainLine, 'utf8')).toString('base64') : plainLine;
              const replyId = replyIdFor(wire, minerGzip);
              if (replyId !== undefined) expected.push(replyId);
              minerEnd.send(wire);
            };
            if (helloFirst || gzip) {
              send(JSON.stringify({ id: 0, ...HELLO }));
              await settle();
            }
            let id = 0;
            let n = 0;
            for (const s of steps) {
              if (s.kind === 'server') act(session, s.action, n++);
              else if (s.kind === 'raw') send(s.line, s.plain);
              else send(build(s, ++id));
              if (!batch) await settle();
            }
            await settle();

            expect(internal).toEqual([]);
            expect(unhandled).toEqual([]);
            expect(replyIds).toEqual(expected.slice(0, replyIds.length));
            if (replyIds.length < expected.length) {
              expect(session.isClosed).toBe(true);
              const reason = closedWith[0]?.reason ?? '';
              expect(DOCUMENTED_CLOSES.some((r) => r.test(reason))).toBe(true);
            }

            minerEnd.close('miner leaves');
            await settle();
            expect(session.isClosed).toBe(true);
            expect(closedCompleted).toBe(true);
            expect(closedWith).toHaveLength(1);
            expect(jest.getTimerCount()).toBe(0);
          },
        ),
        params(),
      );
    },
    TIMEOUT_MS,
  );
});
