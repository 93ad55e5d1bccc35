import { createLinePair, FramingTestTransport, jsonRpc2Codec, LodeError, RpcPeer } from '@lode/stratum-core';
import type { LodeLogger } from '@lode/stratum-core';
import { ETHPROXY_PUSH_METHOD } from '../classic/classic-contract';
import { errorLog } from '../testing/wire.test-helper';
import { CHFAST2, JOB2, LineProbe, reportingClassicPool } from './classic.test-helper';
import { EthProxyServerSession } from './ethproxy-server-session';

/*
 * EthProxyServerSession and handler.malformed: reported where the session
 * refuses a message, never from the error code (20 and -1 answer malformed
 * requests, 2x share rejections). Wire values: open-ethereum-pool's login
 * example and the chfast block 2 share (facts/ethash.md §1.1, §4.1).
 */

const WALLET = '0xb85150eb365e7df0941f0cf08235f987ba91506a';
const LOGIN = `{"id":1,"jsonrpc":"2.0","method":"eth_submitLogin","params":["${WALLET}","x"],"worker":"rig1"}`;
const TRUE_1 = '{"id":1,"jsonrpc":"2.0","result":true}';
const HEADER = `0x${CHFAST2.headerHash}`;

function submitLine(id: number, nonce: string, header: string, mix: string): string {
  return `{"id":${id},"jsonrpc":"2.0","method":"eth_submitWork","params":["${nonce}","${header}","${mix}"]}`;
}

const opened: LineProbe[] = [];
afterEach(() => {
  for (const o of opened.splice(0)) o.close();
});

function setup(throws = false, logger?: LodeLogger) {
  const [minerEnd, poolEnd] = createLinePair();
  const pool = reportingClassicPool(throws);
  const peer = new RpcPeer(poolEnd, jsonRpc2Codec({ pushMethod: ETHPROXY_PUSH_METHOD }));
  const session = new EthProxyServerSession(peer, pool, { maxErrors: 100, ...(logger === undefined ? {} : { logger }) });
  const miner = new LineProbe(minerEnd);
  opened.push(miner);
  return { session, pool, miner };
}

async function loggedIn(throws = false, logger?: LodeLogger) {
  const ctx = setup(throws, logger);
  ctx.miner.send(LOGIN);
  expect(await ctx.miner.next()).toBe(TRUE_1);
  return ctx;
}

/** Logs in again (answered true without the pool): proves every line sent before it was handled. */
async function drain(miner: LineProbe): Promise<void> {
  miner.send(LOGIN);
  expect(await miner.next()).toBe(TRUE_1);
}

/** The error object of the next reply, which must carry `id`. */
async function errorOf(miner: LineProbe, id: number): Promise<{ code: number; message: string }> {
  const msg = await miner.nextJson();
  expect(msg['id']).toBe(id);
  return msg['error'] as { code: number; message: string };
}

describe('EthProxyServerSession and handler.malformed', () => {
  it('reports a line over the length cap as overlong', () => {
    const transport = new FramingTestTransport(true);
    const pool = reportingClassicPool();
    new EthProxyServerSession(new RpcPeer(transport, jsonRpc2Codec({ pushMethod: ETHPROXY_PUSH_METHOD })), pool);
    transport.overlong(new LodeError('framing', 'line over 16384 bytes'));
    expect(pool.reports).toEqual([{ kind: 'overlong', reason: 'line over 16384 bytes' }]);
  });

  it('reports a line that is not JSON as not-json (no reply: no id), with the codec reason', async () => {
    const { miner, pool } = await loggedIn();
    miner.sendRaw('{oops');
    await drain(miner);
    expect(pool.reports).toHaveLength(1);
    expect(pool.reports[0]).toEqual({ kind: 'not-json', reason: expect.stringMatching(/^invalid JSON: /) });
  });

  it('reports a request whose params are not an array as not-request, method set, with the 20 reply as reason', async () => {
    const { miner, pool } = await loggedIn();
    miner.sendRaw('{"id":5,"jsonrpc":"2.0","method":"eth_getWork","params":"now"}');
    const error = await errorOf(miner, 5);
    expect(error).toEqual({ code: 20, message: 'Malformed request: params of eth_getWork is string "now", expected an array' });
    expect(pool.reports).toEqual([{ kind: 'not-request', method: 'eth_getWork', reason: error.message }]);
  });

  it('reports an unknown method as unknown-method', async () => {
    const { miner, pool } = setup();
    miner.send('{"id":4,"jsonrpc":"2.0","method":"mining.subscribe","params":[]}');
    const error = await errorOf(miner, 4);
    expect(error).toEqual({ code: 20, message: 'Unknown method: "mining.subscribe"' });
    expect(pool.reports).toEqual([{ kind: 'unknown-method', method: 'mining.subscribe', reason: error.message }]);
  });

  it('reports a login out of shape (20) and a submit out of shape (-1 "Malformed PoW result") as bad-params', async () => {
    const { miner, pool } = await loggedIn();
    miner.send('{"id":6,"jsonrpc":"2.0","method":"eth_submitLogin","params":[]}');
    const login = await errorOf(miner, 6);
    expect(login).toEqual({ code: 20, message: 'Malformed request: eth_submitLogin takes [wallet, password?], got 0 parameters' });
    miner.send(submitLine(7, '0x123', HEADER, `0x${CHFAST2.mix}`));
    const submit = await errorOf(miner, 7);
    expect(submit).toEqual({ code: -1, message: 'Malformed PoW result: nonce "0x123" is not 0x and 16 hex digits' });
    expect(pool.reports).toEqual([
      { kind: 'bad-params', method: 'eth_submitLogin', reason: login.message },
      { kind: 'bad-params', method: 'eth_submitWork', reason: submit.message },
    ]);
  });

  it('reports a notification from the miner as notification', async () => {
    const { miner, pool } = await loggedIn();
    miner.send('{"jsonrpc":"2.0","method":"eth_submitHashrate","params":["0x1","0x2"]}');
    await drain(miner);
    expect(pool.reports).toEqual([
      { kind: 'notification', method: 'eth_submitHashrate', reason: 'notification "eth_submitHashrate" from the miner cannot be answered (no id)' },
    ]);
  });

  it('reports nothing for a response from the miner, answered or not, nor for a line shaped like the work push', async () => {
    const { miner, pool, session } = await loggedIn();
    miner.send('{"id":8,"jsonrpc":"2.0","result":true}');
    expect((await errorOf(miner, 8)).code).toBe(20);
    miner.send('{"id":null,"jsonrpc":"2.0","result":true}');
    miner.send(`{"id":0,"jsonrpc":"2.0","result":["${HEADER}"]}`);
    await drain(miner);
    expect(session.counters.invalidLines).toBe(3);
    expect(pool.reports).toEqual([]);
  });

  it('reports nothing for share rejections (23, 21), a request before login (25) or "Work not ready" (0)', async () => {
    const { miner, pool, session } = setup();
    miner.send('{"id":2,"jsonrpc":"2.0","method":"eth_getWork","params":[]}');
    expect((await errorOf(miner, 2)).code).toBe(25);
    miner.send(LOGIN);
    expect(await miner.next()).toBe(TRUE_1);
    miner.send('{"id":3,"jsonrpc":"2.0","method":"eth_getWork","params":[]}');
    expect(await errorOf(miner, 3)).toEqual({ code: 0, message: 'Work not ready' });
    expect(session.sendJob(JOB2)).toBe(true);
    await miner.next();
    pool.verdict = { accepted: false, reason: 'low-difficulty', message: 'share difficulty 0.5 is below 1' };
    miner.send(submitLine(4, `0x${CHFAST2.nonce}`, HEADER, `0x${CHFAST2.mix}`));
    expect((await errorOf(miner, 4)).code).toBe(23);
    miner.send(submitLine(5, `0x${CHFAST2.nonce}`, `0x${'ab'.repeat(32)}`, `0x${CHFAST2.mix}`));
    expect((await errorOf(miner, 5)).code).toBe(21);
    expect(pool.reports).toEqual([]);
  });

  it('logs a throwing malformed handler at error and goes on answering', async () => {
    const { logger, errors } = errorLog();
    const { miner, pool } = await loggedIn(true, logger);
    miner.send('{"id":4,"jsonrpc":"2.0","method":"eth_nope","params":[]}');
    expect((await errorOf(miner, 4)).code).toBe(20);
    await drain(miner);
    expect(pool.reports).toHaveLength(1);
    expect(errors).toEqual([[{ dialect: 'ethproxy', side: 'server', err: new Error('ban list down'), kind: 'unknown-method' }, 'malformed handler threw']]);
  });
});
