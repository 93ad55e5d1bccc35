import type { ShareVerdict } from '@lode/mining';
import { SHARE_REJECT_REASONS } from '@lode/mining';
import { classicCodec, createLinePair, LodeError, RpcPeer } from '@lode/stratum-core';
import type { CloseInfo } from '@lode/stratum-core';
import fc from 'fast-check';
import { arrayParamsMutation, fuzzRuns, hostileValue, internalErrorLogger, mutatedRequest } from '@lode/stratum-core/fuzz';
import type { ArrayParamsMutation } from '@lode/stratum-core/fuzz';
import { config as rxjsConfig } from 'rxjs';
import type { NotifyParams } from '../messages';
import type { BitcoinServerHandler, BitcoinServerSessionOptions } from './server-handler';
import { BitcoinServerSession } from './server-session';

/*
 * BitcoinServerSession driven over an in-memory line pair by random and
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

/** Block 125552's job (facts/bitcoin-stratum.md "Test vectors"). */
const JOB: NotifyParams = {
  jobId: 'b125552',
  prevhash: 'ab02cd818b9e567ee21793cddef299feb29ad444a41b85b8000008a300000000',
  coinb1: '01000000010000',
  coinb2: 'ffffffff00',
  merkleBranches: [],
  version: 0x20000000,
  nbits: 0x1a44b9f2,
  ntime: 0x4dd7f5c7,
  cleanJobs: true,
};

/** What a miner sends, as templates of the messages cpuminer, cgminer and BIP 310 miners write. */
const TEMPLATES: ReadonlyArray<Record<string, unknown>> = [
  { method: 'mining.subscribe', params: ['cpuminer/2.5.1'] },
  { method: 'mining.subscribe', params: ['cgminer/4.10.0', 'abcd1234'] },
  { method: 'mining.authorize', params: ['alice.rig1', 'x'] },
  { method: 'mining.authorize', params: ['alice.rig2', 'wrong'] },
  { method: 'mining.submit', params: ['alice.rig1', 'b125552', '00000001', '4dd7f5c7', '9546a142'] },
  { method: 'mining.submit', params: ['alice.rig1', 'b125552', '00000001', '4dd7f5c7', '9546a142', '00002000'] },
  {
    method: 'mining.configure',
    params: [
      ['version-rolling', 'minimum-difficulty', 'subscribe-extranonce', 'info'],
      { 'version-rolling.mask': '1fffe000', 'version-rolling.min-bit-count': 2, 'minimum-difficulty.value': 2048, 'info.hw-version': 'S9' },
    ],
  },
  { method: 'mining.extranonce.subscribe', params: [] },
  { method: 'mining.suggest_difficulty', params: [0.001] },
  { method: 'mining.suggest_difficulty(0.5)', params: [] },
  { method: 'mining.ping', params: [] },
  { method: 'mining.get_transactions', params: ['b125552'] },
];

const hostile = hostileValue([1e308, -1, 0.5, 2 ** 32, '', 'zz', '0x00000001', '000001', 'G'.repeat(8), 'ab'.repeat(40), '__proto__', 'constructor', [], {}, null, true]);

type Mutation = ArrayParamsMutation;
const mutation = arrayParamsMutation({ drop: ['id', 'method', 'params'], set: ['id', 'method', 'params', 'result', 'error', 'jsonrpc', 'worker', '__proto__'], maxIndex: 7 }, hostile);

type ServerAction = 'difficulty' | 'notify' | 'old-notify' | 'extranonce' | 'reconnect' | 'show' | 'mask' | 'ping' | 'get-version' | 'close';
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
  { weight: 6, arbitrary: fc.constantFrom<ServerAction>('difficulty', 'notify', 'old-notify', 'extranonce', 'reconnect', 'show', 'mask', 'ping', 'get-version').map((action) => ({ kind: 'server' as const, action })) },
  // The pool ending the session: rarer, so that most cases run long.
  { weight: 1, arbitrary: fc.constant({ kind: 'server' as const, action: 'close' as ServerAction }) },
);

/** The pool's answers, picked per call from a random list: normal, refusing, throwing, or out of shape. */
function fakePool(choices: number[], closedWith: CloseInfo[]): BitcoinServerHandler {
  let i = 0;
  const pick = (n: number): number => choices[i++ % choices.length] % n;
  const boom = (what: string, k: number): never => {
    throw k === 0 ? new Error(`${what} exploded`) : new LodeError('share', `${what} refused`, { code: 20 + (k % 6) });
  };
  return {
    async subscribe() {
      const c = pick(6);
      if (c === 4) boom('subscribe', choices.length % 2);
      // 5: an extranonce2 size no miner can roll: the session must refuse it, not crash.
      return { extranonce1: Buffer.from('08000002', 'hex'), extranonce2Size: c === 5 ? 99 : 4, sessionId: 's1' };
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
      if (c === 2) return { accepted: true, difficulty: 1, shareDifficulty: 2, block: false, hash: '00'.repeat(32) };
      return { accepted: false, reason: SHARE_REJECT_REASONS[c - 3], message: '' };
    },
    suggestDifficulty() {
      if (pick(4) === 0) boom('suggestDifficulty', 0);
    },
    extranonceSubscribe() {
      if (pick(4) === 0) boom('extranonceSubscribe', 0);
    },
    setMinimumDifficulty(value) {
      const c = pick(4);
      if (c === 0) boom('setMinimumDifficulty', 0);
      return c === 1 ? `minimum ${value} too high` : true;
    },
    setInfo() {
      if (pick(4) === 0) boom('setInfo', 0);
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

function act(session: BitcoinServerSession, action: ServerAction): void {
  switch (action) {
    case 'difficulty':
      return session.sendDifficulty(0.001);
    case 'notify':
      return session.sendNotify(JOB);
    case 'old-notify':
      return session.sendNotify({ ...JOB, jobId: 'b125551', cleanJobs: false, version: 0x20002000 });
    case 'extranonce':
      session.sendExtranonce(Buffer.from('08000003', 'hex'), 4);
      return;
    case 'reconnect':
      return session.reconnect('pool.example', 3333, 5);
    case 'show':
      return session.showMessage('maintenance at 12:00');
    case 'mask':
      return session.setServerMask(0x1fffe000);
    case 'ping':
      session.ping().catch(() => undefined);
      return;
    case 'get-version':
      session.getVersion().catch(() => undefined);
      return;
    case 'close':
      return session.close('pool closes');
  }
}

describe('BitcoinServerSession (fuzz)', () => {
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
          answerServer: fc.boolean(),
          options: fc.record(
            {
              maxPendingRequests: fc.integer({ min: 1, max: 128 }),
              maxQueuedBeforeSubscribe: fc.integer({ min: 1, max: 16 }),
              maxWorkers: fc.integer({ min: 1, max: 3 }),
              versionRolling: fc.record({ serverMask: fc.constantFrom(0x1fffe000, 0), allowWithoutConfigure: fc.boolean() }),
            },
            { requiredKeys: [] },
          ),
        }),
        async (steps, choices, { batch, answerServer, options }) => {
          unhandled.length = 0;
          const internal: string[] = [];
          const closedWith: CloseInfo[] = [];
          const [minerEnd, poolEnd] = createLinePair();
          const peer = new RpcPeer(poolEnd, classicCodec);
          const session = new BitcoinServerSession(peer, fakePool(choices, closedWith), {
            ...(options as BitcoinServerSessionOptions),
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
            } else if (answerServer && msg['id'] !== null && msg['id'] !== undefined) {
              minerEnd.send(JSON.stringify({ id: msg['id'], result: msg['method'] === 'client.get_version' ? 'cgminer/4.10.0' : 'pong', error: null }));
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
