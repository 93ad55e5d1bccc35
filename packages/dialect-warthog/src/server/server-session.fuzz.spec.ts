import type { ShareVerdict } from '@lode/mining';
import { SHARE_REJECT_REASONS } from '@lode/mining';
import { classicCodec, createLinePair, LodeError, RpcPeer } from '@lode/stratum-core';
import type { CloseInfo } from '@lode/stratum-core';
import fc from 'fast-check';
import { arrayParamsMutation, fuzzRuns, hostileValue, internalErrorLogger, mutatedRequest } from '@lode/stratum-core/fuzz';
import type { ArrayParamsMutation } from '@lode/stratum-core/fuzz';
import { config as rxjsConfig } from 'rxjs';
import { H6_JOB, H6_JOB_ID, H6_WORKER } from '../testing/wire.test-helper';
import type { WarthogServerHandler, WarthogServerSessionOptions } from './server-handler';
import { WarthogServerSession } from './server-session';

/*
 * WarthogServerSession driven over an in-memory line pair by random and
 * mutated request sequences (fast-check), with a pool that sometimes
 * refuses, throws or answers nonsense, and pool-side messages interleaved.
 * For every case: nothing throws out of a handler (no "request dispatch
 * failed", no "method handler threw", no rxjs unhandled error); every
 * line with a readable id that is not a response gets exactly one reply
 * with that id, in arrival order, unless the session closed for a
 * documented reason (then the replies are a prefix); when the miner leaves,
 * the session closes, `closed$` completes, `handler.closed` runs once and
 * no timer is left (jest fake timers).
 * FUZZ_RUNS sets the cases (default below); FUZZ_SEED replays a failure.
 */
const { timeoutMs: TIMEOUT_MS, parameters: params } = fuzzRuns(100, 100);

/** Reasons the session (or the pool behind it) documents for closing a connection. */
const DOCUMENTED_CLOSES = [
  /^over \d+ requests waiting for their replies$/,
  /^over \d+ server messages waiting for the subscribe reply$/,
  /^pool closes$/,
];

/** What a Warthog miner sends: the §6-H session of facts/warthog.md, current and legacy submit forms. */
const TEMPLATES: ReadonlyArray<Record<string, unknown>> = [
  { method: 'mining.subscribe', params: ['janusminer/0.0.1'] },
  { method: 'mining.subscribe', params: ['janusminer/0.0.1', '00000001'] },
  { method: 'mining.authorize', params: [H6_WORKER, 'x'] },
  { method: 'mining.authorize', params: ['someone.else', 'wrong'] },
  { method: 'mining.submit', params: [H6_JOB_ID, '000000000002', '66f2fefb', '00002df1'] },
  { method: 'mining.submit', params: [H6_WORKER, H6_JOB_ID, '000000000002', '66f2fefb', '00000456'] },
  { method: 'mining.extranonce.subscribe', params: [] },
  { method: 'mining.suggest_difficulty', params: [500000] },
  { method: 'mining.suggest_difficulty', params: ['0.5'] },
  { method: 'mining.ping', params: [] },
];

const hostile = hostileValue([1e308, -1, 0.5, 2 ** 32, '', 'zz', '0x00002df1', '00002df', '0000000002', 'G'.repeat(8), 'ab'.repeat(40), '__proto__', 'constructor', [], {}, null, true]);

type Mutation = ArrayParamsMutation;
const mutation = arrayParamsMutation({ drop: ['id', 'method', 'params'], set: ['id', 'method', 'params', 'result', 'error', 'jsonrpc', 'worker', '__proto__'], maxIndex: 7 }, hostile);

type ServerAction = 'difficulty' | 'notify' | 'old-notify' | 'reconnect' | 'close';
type Step =
  | { kind: 'request'; template: number; mutations: Mutation[] }
  | { kind: 'notification'; template: number }
  | { kind: 'response'; id: number; result: unknown }
  | { kind: 'raw'; line: string }
  | { kind: 'server'; action: ServerAction };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 24, arbitrary: fc.record({ kind: fc.constant('request' as const), template: fc.nat(TEMPLATES.length - 1), mutations: fc.array(mutation, { maxLength: 2 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('notification' as const), template: fc.nat(TEMPLATES.length - 1) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('response' as const), id: fc.nat(5), result: hostile }) },
  {
    weight: 3,
    arbitrary: fc.oneof(fc.string({ maxLength: 40 }), fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v))).map((line) => ({ kind: 'raw' as const, line })),
  },
  { weight: 6, arbitrary: fc.constantFrom<ServerAction>('difficulty', 'notify', 'old-notify', 'reconnect').map((action) => ({ kind: 'server' as const, action })) },
  // The pool ending the session: rarer, so that most cases run long.
  { weight: 1, arbitrary: fc.constant({ kind: 'server' as const, action: 'close' as ServerAction }) },
);

/** The pool's answers, picked per call from a random list: normal, refusing, throwing, or out of shape. */
function fakePool(choices: number[], closedWith: CloseInfo[]): WarthogServerHandler {
  let i = 0;
  const pick = (n: number): number => choices[i++ % choices.length] % n;
  const boom = (what: string, k: number): never => {
    throw k === 0 ? new Error(`${what} exploded`) : new LodeError('share', `${what} refused`, { code: 20 + (k % 6) });
  };
  return {
    async subscribe() {
      const c = pick(6);
      if (c === 4) boom('subscribe', choices.length % 2);
      // 5: 4 + 9 bytes of extranonce, not Warthog's 10: the session must refuse it, not crash.
      return { extranonce1: Buffer.from('00000001', 'hex'), extranonce2Size: c === 5 ? 9 : 6, sessionId: '00000001' };
    },
    async authorize(req) {
      const c = pick(5);
      if (c === 4) boom('authorize', c);
      return req.password !== 'wrong' && c !== 3;
    },
    async submit(): Promise<ShareVerdict> {
      const c = pick(SHARE_REJECT_REASONS.length + 3);
      if (c === 0) boom('submit', c);
      if (c === 1) boom('submit', 1);
      if (c === 2) return { accepted: true, difficulty: 500000, shareDifficulty: 640245, block: false, hash: '00'.repeat(32) };
      return { accepted: false, reason: SHARE_REJECT_REASONS[c - 3], message: '' };
    },
    suggestDifficulty() {
      if (pick(4) === 0) boom('suggestDifficulty', 0);
    },
    extranonceSubscribe() {
      if (pick(4) === 0) boom('extranonceSubscribe', 0);
    },
    closed(info) {
      closedWith.push(info);
    },
  };
}

function build(s: Exclude<Step, { kind: 'server' }>, id: number): string {
  if (s.kind === 'raw') return s.line;
  if (s.kind === 'response') return JSON.stringify({ id: s.id, result: s.result, error: null });
  const template = TEMPLATES[s.template];
  if (s.kind === 'notification') return JSON.stringify({ id: null, ...template });
  return mutatedRequest(id, template, s.mutations);
}

/**
 * The id a reply to `line` must carry, per the session's rules: a request,
 * or an invalid line whose id could be read and that is not shaped like a
 * response (those are dropped); undefined when no reply with an id is due.
 */
function replyIdFor(line: string): unknown {
  const msg = classicCodec.decode(line);
  if (msg.type === 'request') return msg.id;
  if (msg.type !== 'invalid' || msg.id === null) return undefined;
  const parsed = JSON.parse(line) as Record<string, unknown>;
  if (!('method' in parsed) && ('result' in parsed || 'error' in parsed)) return undefined;
  return msg.id;
}

async function settle(): Promise<void> {
  for (let i = 0; i < 25; i++) await jest.advanceTimersByTimeAsync(1);
}

function act(session: WarthogServerSession, action: ServerAction): void {
  switch (action) {
    case 'difficulty':
      return session.sendDifficulty(500000);
    case 'notify':
      return session.sendNotify(H6_JOB);
    case 'old-notify':
      return session.sendNotify({ ...H6_JOB, jobId: 'older', clean: false });
    case 'reconnect':
      return session.reconnect('pool.example', 3333, 5);
    case 'close':
      return session.close('pool closes');
  }
}

describe('WarthogServerSession (fuzz)', () => {
  const unhandled: unknown[] = [];
  beforeEach(() => {
    jest.useFakeTimers();
    rxjsConfig.onUnhandledError = (err) => unhandled.push(err);
  });
  afterEach(() => {
    rxjsConfig.onUnhandledError = null;
    jest.useRealTimers();
  });

  it('answers every request exactly once, in order, or closes for a documented reason, and leaks nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { maxLength: 40 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 16 }),
        fc.record({
          batch: fc.boolean(),
          options: fc.record(
            {
              maxPendingRequests: fc.integer({ min: 1, max: 128 }),
              maxQueuedBeforeSubscribe: fc.integer({ min: 1, max: 16 }),
              maxWorkers: fc.integer({ min: 1, max: 3 }),
            },
            { requiredKeys: [] },
          ),
        }),
        async (steps, choices, { batch, options }) => {
          unhandled.length = 0;
          const internal: string[] = [];
          const closedWith: CloseInfo[] = [];
          const [minerEnd, poolEnd] = createLinePair();
          const peer = new RpcPeer(poolEnd, classicCodec);
          const session = new WarthogServerSession(peer, fakePool(choices, closedWith), {
            ...(options as WarthogServerSessionOptions),
            logger: internalErrorLogger(internal),
          });
          let closedCompleted = false;
          session.closed$.subscribe({ complete: () => (closedCompleted = true) });

          const replyIds: unknown[] = [];
          minerEnd.lines$.subscribe((line) => {
            const msg = JSON.parse(line) as Record<string, unknown>;
            if (!('method' in msg)) {
              // Every reply carries "error", null included (DESIGN: "Stratum v1 responses always carry "error": null").
              expect('error' in msg && 'result' in msg).toBe(true);
              if (msg['id'] !== null) replyIds.push(msg['id']);
            }
          });

          const expected: unknown[] = [];
          let id = 0;
          for (const s of steps) {
            if (s.kind === 'server') {
              act(session, s.action);
            } else {
              const line = build(s, ++id);
              const replyId = replyIdFor(line);
              if (replyId !== undefined) expected.push(JSON.parse(JSON.stringify(replyId)));
              minerEnd.send(line);
            }
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
  }, TIMEOUT_MS);
});
