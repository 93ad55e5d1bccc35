import type { ShareVerdict } from '@lode/mining';
import { SHARE_REJECT_REASONS } from '@lode/mining';
import { classicCodec, createLinePair, jsonRpc2Codec, LodeError, RpcPeer } from '@lode/stratum-core';
import type { CloseInfo, RpcCodec } from '@lode/stratum-core';
import fc from 'fast-check';
import { arrayParamsMutation, fuzzRuns, hostileValue, internalErrorLogger, mutatedRequest } from '@lode/stratum-core/fuzz';
import type { ArrayParamsMutation } from '@lode/stratum-core/fuzz';
import { config as rxjsConfig } from 'rxjs';
import { Es1ServerSession } from '../es1/es1-server-session';
import { CHFAST2, JOB2, JOB5M_ETC, settle as settleReal } from '../ethproxy/classic.test-helper';
import { EthProxyServerSession } from '../ethproxy/ethproxy-server-session';
import { PlainEthServerSession } from '../plain/plain-server-session';
import { ETHPROXY_PUSH_METHOD } from './classic-contract';
import type { EthClassicServerHandler, EthClassicServerJob, EthClassicServerSession, EthClassicServerSessionOptions } from './classic-contract';

/*
 * The classic Ethereum server sessions (EthereumStratum/1.0.0, EthProxy,
 * plain stratum) driven over an in-memory line pair by random and mutated
 * request sequences (fast-check), with a pool that sometimes refuses,
 * throws or answers nonsense, and pool-side jobs interleaved. For every
 * case: nothing throws out of a handler (no "request dispatch failed", no
 * "method handler threw", no rxjs unhandled error); every line the dialect
 * answers (a request, or a line with a readable id) gets exactly one reply
 * with that id, in arrival order, unless the session closed for a
 * documented reason (then the replies are a prefix); when the miner leaves,
 * the session closes, `closed$` completes, `handler.closed` runs once and
 * no timer is left (jest fake timers).
 * FUZZ_RUNS sets the cases (default below); FUZZ_SEED replays a failure.
 */
const { timeoutMs: TIMEOUT_MS, parameters: params } = fuzzRuns(60, 150);

const WALLET = '0xb85150eb365e7df0941f0cf08235f987ba91506a';
const HEADER = `0x${CHFAST2.headerHash}`;
const MIX = `0x${CHFAST2.mix}`;
const NONCE = `0x${CHFAST2.nonce}`;
/** ES1 jobs carry the session's extranonce (1..3 bytes, facts/ethash.md §1.2). */
const ES1_EXTRANONCE = Buffer.from('a2eea0', 'hex');

const DOCUMENTED_CLOSES = [/^maxErrors \d+ reached/, /^over \d+ requests waiting for their replies$/, /^extranonce changed from .+ reconnect for the new one$/, /^pool closes$/];

interface Dialect {
  name: 'es1' | 'ethproxy' | 'plain';
  codec: RpcCodec;
  make(peer: RpcPeer, handler: EthClassicServerHandler, options: EthClassicServerSessionOptions): EthClassicServerSession;
  templates: ReadonlyArray<Record<string, unknown>>;
  jobs: readonly EthClassicServerJob[];
  /** whether the dialect answers an invalid or unmatched line (it has a readable id) */
  answers(line: string, id: unknown): boolean;
}

function responseShaped(line: string): boolean {
  try {
    const msg = JSON.parse(line) as unknown;
    return typeof msg === 'object' && msg !== null && !Array.isArray(msg) && !('method' in msg) && ('result' in msg || 'error' in msg);
  } catch {
    return false;
  }
}

const DIALECTS: readonly Dialect[] = [
  {
    name: 'es1',
    codec: classicCodec,
    make: (peer, handler, options) => new Es1ServerSession(peer, handler, options),
    templates: [
      { method: 'mining.subscribe', params: ['ethminer-0.19.0', 'EthereumStratum/1.0.0'] },
      { method: 'mining.extranonce.subscribe', params: [] },
      { method: 'mining.authorize', params: ['alice.rig1', 'x'] },
      { method: 'mining.submit', params: ['alice.rig1', 'job-2', 'cfae7df760'] },
      { method: 'eth_submitHashrate', params: ['0x500000', `0x${'ab'.repeat(32)}`] },
      { method: 'mining.get_transactions', params: [] },
    ],
    jobs: [
      { ...JOB2, extranonce: ES1_EXTRANONCE },
      { ...JOB5M_ETC, extranonce: ES1_EXTRANONCE },
      { ...JOB2, jobId: 'job-new-en', extranonce: Buffer.from('a2ee', 'hex') },
    ],
    answers: (line) => !responseShaped(line),
  },
  {
    name: 'ethproxy',
    codec: jsonRpc2Codec({ pushMethod: ETHPROXY_PUSH_METHOD }),
    make: (peer, handler, options) => new EthProxyServerSession(peer, handler, options),
    templates: [
      { jsonrpc: '2.0', method: 'eth_submitLogin', params: [WALLET, 'x'], worker: 'rig1' },
      { jsonrpc: '2.0', method: 'eth_submitLogin', params: [`${WALLET}.rig2`] },
      { jsonrpc: '2.0', method: 'eth_getWork', params: [] },
      { jsonrpc: '2.0', method: 'eth_submitWork', params: [NONCE, HEADER, MIX], worker: 'rig1' },
      { jsonrpc: '2.0', method: 'eth_submitWork', params: [NONCE, HEADER, MIX] },
      { jsonrpc: '2.0', method: 'eth_submitHashrate', params: ['0x500000', `0x${'ab'.repeat(32)}`], worker: 'rig2' },
    ],
    jobs: [JOB2, JOB5M_ETC],
    answers: (_line, id) => id !== null,
  },
  {
    name: 'plain',
    codec: classicCodec,
    make: (peer, handler, options) => new PlainEthServerSession(peer, handler, options),
    templates: [
      { method: 'mining.subscribe', params: ['ethminer-0.19.0'] },
      { method: 'mining.authorize', params: ['alice.rig1', 'x'] },
      { method: 'mining.submit', params: ['alice.rig1', 'job-2', NONCE, HEADER, MIX] },
      { method: 'mining.submit', params: ['alice', 'job-2', NONCE, HEADER, MIX], worker: 'rig1' },
      { method: 'eth_submitHashrate', params: ['0x500000', `0x${'ab'.repeat(32)}`] },
      { method: 'mining.extranonce.subscribe', params: [] },
    ],
    jobs: [JOB2, JOB5M_ETC],
    answers: (_line, id) => id !== null,
  },
];

const hostile = hostileValue([1e308, -1, 0.5, '', 'zz', '0x', '0x307692cf71b12f6', `0x${'ab'.repeat(33)}`, 'EthereumStratum/2.0.0', '__proto__', [], {}, null, true, 'x'.repeat(300)]);

type Mutation = ArrayParamsMutation;
const mutation = arrayParamsMutation({ drop: ['id', 'method', 'params', 'worker'], set: ['id', 'method', 'params', 'result', 'error', 'worker', 'algo', '__proto__'], maxIndex: 5 }, hostile);

type Step =
  | { kind: 'request'; template: number; mutations: Mutation[] }
  | { kind: 'notification'; template: number }
  | { kind: 'response'; id: number; result: unknown }
  | { kind: 'raw'; line: string }
  | { kind: 'job'; index: number }
  | { kind: 'close' };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 24, arbitrary: fc.record({ kind: fc.constant('request' as const), template: fc.nat(5), mutations: fc.array(mutation, { maxLength: 2 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('notification' as const), template: fc.nat(5) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('response' as const), id: fc.nat(3), result: hostile }) },
  { weight: 3, arbitrary: fc.oneof(fc.string({ maxLength: 40 }), fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v))).map((line) => ({ kind: 'raw' as const, line })) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('job' as const), index: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'close' as const }) },
);

/** The pool's answers, picked per call from a random list: normal, refusing, throwing, or out of shape. */
function fakePool(choices: number[], closedWith: CloseInfo[]): EthClassicServerHandler {
  let i = 0;
  const pick = (n: number): number => choices[i++ % choices.length] % n;
  const boom = (what: string, k: number): never => {
    throw k % 2 === 0 ? new Error(`${what} exploded`) : new LodeError('share', `${what} refused`, { code: 20 + (k % 6) });
  };
  return {
    async subscribe() {
      const c = pick(6);
      if (c === 4) boom('subscribe', choices.length);
      // 5: a session id and an extranonce ES1 cannot send: refused, not a crash
      if (c === 5) return { sessionId: '', extranonce: Buffer.alloc(9) };
      return { sessionId: 'ae6812eb4cd7735a302a8a9dd95cf71f', extranonce: Buffer.from(ES1_EXTRANONCE) };
    },
    async authorize() {
      const c = pick(5);
      if (c === 4) boom('authorize', c);
      return c !== 3;
    },
    async submit(): Promise<ShareVerdict> {
      const c = pick(SHARE_REJECT_REASONS.length + 3);
      if (c < 2) boom('submit', c);
      if (c === 2) return { accepted: true, difficulty: 1, shareDifficulty: 1.5, block: false, hash: 'ab'.repeat(32) };
      return { accepted: false, reason: SHARE_REJECT_REASONS[c - 3], message: '' };
    },
    hashrate() {
      if (pick(3) === 0) boom('hashrate', 0);
    },
    closed(info) {
      closedWith.push(info);
    },
  };
}

function build(dialect: Dialect, s: Step, id: number): string {
  if (s.kind === 'raw') return s.line;
  if (s.kind === 'response') return JSON.stringify({ id: s.id, result: s.result, error: null });
  const template = dialect.templates[(s as { template: number }).template];
  if (s.kind === 'notification') return JSON.stringify({ id: null, ...template });
  return mutatedRequest(id, template, (s as { mutations: Mutation[] }).mutations);
}

function replyIdFor(dialect: Dialect, line: string): unknown {
  const msg = dialect.codec.decode(line);
  if (msg.type === 'request') return msg.id;
  if (msg.type === 'notification' || msg.id === null) return undefined;
  return dialect.answers(line, msg.id) ? msg.id : undefined;
}

async function settle(): Promise<void> {
  for (let i = 0; i < 25; i++) await jest.advanceTimersByTimeAsync(1);
}

describe('classic Ethereum server sessions (fuzz)', () => {
  const unhandled: unknown[] = [];
  beforeEach(() => {
    jest.useFakeTimers();
    rxjsConfig.onUnhandledError = (err) => unhandled.push(err);
  });
  afterEach(() => {
    rxjsConfig.onUnhandledError = null;
    jest.useRealTimers();
  });

  describe.each(DIALECTS.map((d) => [d.name, d] as const))('%s', (_name, dialect) => {
    it(
      'answers every request exactly once, in order, or closes for a documented reason, and leaks nothing',
      async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.array(step, { maxLength: 40 }),
            fc.array(fc.nat(), { minLength: 1, maxLength: 16 }),
            fc.boolean(),
            fc.record(
              {
                maxErrors: fc.constantFrom(1, 16, 1000, 1000),
                maxWorkers: fc.integer({ min: 1, max: 3 }),
                maxPendingRequests: fc.integer({ min: 1, max: 128 }),
              },
              { requiredKeys: [] },
            ),
            async (steps, choices, batch, options) => {
              unhandled.length = 0;
              const internal: string[] = [];
              const closedWith: CloseInfo[] = [];
              const [minerEnd, poolEnd] = createLinePair();
              const session = dialect.make(new RpcPeer(poolEnd, dialect.codec), fakePool(choices, closedWith), { ...options, logger: internalErrorLogger(internal) });
              let closedCompleted = false;
              session.closed$.subscribe({ complete: () => (closedCompleted = true) });
              const replyIds: unknown[] = [];
              minerEnd.lines$.subscribe((line) => {
                const msg = dialect.codec.decode(line);
                if (msg.type === 'response' && msg.id !== null) replyIds.push(msg.id);
              });

              const expected: unknown[] = [];
              let id = 0;
              for (const s of steps) {
                if (s.kind === 'job') session.sendJob(dialect.jobs[s.index % dialect.jobs.length]);
                else if (s.kind === 'close') session.close('pool closes');
                else {
                  const line = build(dialect, s, ++id);
                  const replyId = replyIdFor(dialect, line);
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
      },
      TIMEOUT_MS,
    );
  });
});

describe('regression: ES1 answered a throwing pool handler as a session bug (20, "method handler threw"), dropping its LodeError code', () => {
  it("answers with the handler's own code and message, as ClassicServerBase documents, and logs no session failure", async () => {
    const internal: string[] = [];
    const [minerEnd, poolEnd] = createLinePair();
    const handler: EthClassicServerHandler = {
      subscribe: async () => ({ sessionId: 'ae6812eb4cd7735a302a8a9dd95cf71f', extranonce: Buffer.from(ES1_EXTRANONCE) }),
      authorize: async () => {
        throw new LodeError('share', 'worker banned for invalid shares', { code: 24 });
      },
      submit: async () => {
        throw new Error('share store down');
      },
    };
    const session = new Es1ServerSession(new RpcPeer(poolEnd, classicCodec), handler, { logger: internalErrorLogger(internal) });
    const replies: string[] = [];
    minerEnd.lines$.subscribe((line) => replies.push(line));
    minerEnd.send('{"id":1,"method":"mining.subscribe","params":["ethminer-0.19.0","EthereumStratum/1.0.0"]}');
    minerEnd.send('{"id":2,"method":"mining.authorize","params":["alice.rig1","x"]}');
    await settleReal(10);
    expect(replies).toEqual([
      '{"id":1,"result":[["mining.notify","ae6812eb4cd7735a302a8a9dd95cf71f","EthereumStratum/1.0.0"],"a2eea0"],"error":null}',
      '{"id":2,"result":null,"error":[24,"worker banned for invalid shares",null]}',
    ]);
    expect(internal).toEqual([]);
    expect(session.isClosed).toBe(false);
    session.close('test over');
  });
});

describe('regression: repeated eth_submitLogin with ever new "worker" members grew the EthProxy alias map without bound', () => {
  it('keeps at most 4 × maxWorkers names and refuses the logins past them with 24, still answering each', async () => {
    const [minerEnd, poolEnd] = createLinePair();
    const session = new EthProxyServerSession(new RpcPeer(poolEnd, jsonRpc2Codec({ pushMethod: ETHPROXY_PUSH_METHOD })), fakePool([0], []), {
      maxWorkers: 2,
      maxErrors: 1000,
    });
    const replies: string[] = [];
    minerEnd.lines$.subscribe((line) => replies.push(line));
    // A wallet with a dot is the worker name itself; each new "worker" member used to add one more alias.
    for (let i = 1; i <= 20; i++) {
      minerEnd.send(JSON.stringify({ id: i, jsonrpc: '2.0', method: 'eth_submitLogin', params: [`${WALLET}.farm`], worker: `rig${i}` }));
    }
    await settleReal(10);
    expect(replies).toHaveLength(20);
    // 1: "<wallet>.farm", "rig1" and "farm"; 2..6: one new name each, up to 8 = 4 × maxWorkers.
    expect(replies.slice(0, 6)).toEqual(Array.from({ length: 6 }, (_, k) => `{"id":${k + 1},"jsonrpc":"2.0","result":true}`));
    expect(replies[6]).toBe(
      '{"id":7,"jsonrpc":"2.0","result":null,"error":{"code":24,"message":"Unauthorized worker: too many worker names on this connection (at most 8)"}}',
    );
    expect(replies[19]).toBe(
      '{"id":20,"jsonrpc":"2.0","result":null,"error":{"code":24,"message":"Unauthorized worker: too many worker names on this connection (at most 8)"}}',
    );
    expect((session as unknown as { aliases: Map<string, string> }).aliases.size).toBe(8);
    // The names taken still work: a submit naming rig6 resolves to the worker.
    expect(session.workers).toEqual([`${WALLET}.farm`]);
    session.close('test over');
  });
});
