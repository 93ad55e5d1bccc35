import { classicCodec, createLinePair, FramingTestTransport, LodeError, RpcPeer } from '@lode/stratum-core';
import type { LodeLogger } from '@lode/stratum-core';
import { CHFAST2, CHFAST5M, JOB2, LineProbe, reportingClassicPool } from '../ethproxy/classic.test-helper';
import { errorLog } from '../testing/wire.test-helper';
import { PlainEthServerSession } from './plain-server-session';

/*
 * PlainEthServerSession and handler.malformed: reported where the session
 * refuses a message, never from error code 20 (which also answers a share
 * whose header is not its job's, and internal failures). Wire values:
 * ethminer mode 0 (facts/ethash.md §1.4) and the chfast block 2 share (§4.1).
 */

const USER = '0xb85150eb365e7df0941f0cf08235f987ba91506a';
const HEADER = `0x${CHFAST2.headerHash}`;
const SUBSCRIBE = '{"id":1,"method":"mining.subscribe","params":[],"jsonrpc":"2.0"}';
const TRUE_1 = '{"id":1,"result":true,"error":null}';
const AUTHORIZE = `{"id":3,"jsonrpc":"2.0","method":"mining.authorize","params":["${USER}.rig1","x"]}`;

function submitLine(id: number, jobId: string, header: string, nonce = `0x${CHFAST2.nonce}`): string {
  return `{"id":${id},"jsonrpc":"2.0","method":"mining.submit","params":["${USER}","${jobId}","${nonce}","${header}","0x${CHFAST2.mix}"],"worker":"rig1"}`;
}

const opened: LineProbe[] = [];
afterEach(() => {
  for (const o of opened.splice(0)) o.close();
});

function setup(throws = false, logger?: LodeLogger) {
  const [minerEnd, poolEnd] = createLinePair();
  const pool = reportingClassicPool(throws);
  const session = new PlainEthServerSession(new RpcPeer(poolEnd, classicCodec), pool, { maxErrors: 100, ...(logger === undefined ? {} : { logger }) });
  const miner = new LineProbe(minerEnd);
  opened.push(miner);
  return { session, pool, miner };
}

async function subscribed(throws = false, logger?: LodeLogger) {
  const ctx = setup(throws, logger);
  ctx.miner.send(SUBSCRIBE);
  expect(await ctx.miner.next()).toBe(TRUE_1);
  return ctx;
}

/** subscribed, USER.rig1 authorized, job-2 sent */
async function withJob() {
  const ctx = await subscribed();
  ctx.miner.send(AUTHORIZE);
  expect(await ctx.miner.next()).toBe('{"id":3,"result":true,"error":null}');
  expect(ctx.session.sendJob(JOB2)).toBe(true);
  await ctx.miner.next();
  return ctx;
}

/** Subscribes again (answered true without the pool): proves every line sent before it was handled. */
async function drain(miner: LineProbe): Promise<void> {
  miner.send(SUBSCRIBE);
  expect(await miner.next()).toBe(TRUE_1);
}

/** The Stratum error triple of the next reply, which must carry `id`. */
async function errorOf(miner: LineProbe, id: number): Promise<{ code: number; message: string }> {
  const msg = await miner.nextJson();
  expect(msg['id']).toBe(id);
  const [code, message] = msg['error'] as [number, string, null];
  return { code, message };
}

describe('PlainEthServerSession and handler.malformed', () => {
  it('reports a line over the length cap as overlong', () => {
    const transport = new FramingTestTransport(true);
    const pool = reportingClassicPool();
    new PlainEthServerSession(new RpcPeer(transport, classicCodec), pool);
    transport.overlong(new LodeError('framing', 'line over 16384 bytes'));
    expect(pool.reports).toEqual([{ kind: 'overlong', reason: 'line over 16384 bytes' }]);
  });

  it('reports a line that is not JSON as not-json (no reply: no id), with the codec reason', async () => {
    const { miner, pool } = await subscribed();
    miner.sendRaw('{oops');
    await drain(miner);
    expect(pool.reports).toHaveLength(1);
    expect(pool.reports[0]).toEqual({ kind: 'not-json', reason: expect.stringMatching(/^invalid JSON: /) });
  });

  it('reports a request whose params are not an array as not-request, method set, with the 20 reply as reason', async () => {
    const { miner, pool } = setup();
    miner.sendRaw('{"id":5,"method":"mining.subscribe","params":{}}');
    const error = await errorOf(miner, 5);
    expect(error).toEqual({ code: 20, message: 'Malformed request: params of mining.subscribe is an object, expected an array' });
    expect(pool.reports).toEqual([{ kind: 'not-request', method: 'mining.subscribe', reason: error.message }]);
  });

  it('reports an unknown method as unknown-method', async () => {
    const { miner, pool } = setup();
    miner.send('{"id":4,"method":"eth_submitLogin","params":[]}');
    const error = await errorOf(miner, 4);
    expect(error).toEqual({ code: 20, message: 'Unknown method: "eth_submitLogin"' });
    expect(pool.reports).toEqual([{ kind: 'unknown-method', method: 'eth_submitLogin', reason: error.message }]);
  });

  it('reports wrong params of mining.authorize and mining.submit as bad-params, method set', async () => {
    const { miner, pool } = await withJob();
    miner.send('{"id":6,"method":"mining.authorize","params":[]}');
    const authorize = await errorOf(miner, 6);
    expect(authorize).toEqual({ code: 20, message: 'Malformed request: mining.authorize takes [worker, password], got 0 parameters' });
    miner.send(submitLine(7, 'job-2', HEADER, '0x123'));
    const submit = await errorOf(miner, 7);
    expect(submit).toEqual({ code: 20, message: 'Malformed request: mining.submit nonce "0x123" is not 0x and 16 hex digits' });
    expect(pool.reports).toEqual([
      { kind: 'bad-params', method: 'mining.authorize', reason: authorize.message },
      { kind: 'bad-params', method: 'mining.submit', reason: submit.message },
    ]);
  });

  it('reports a notification from the miner as notification', async () => {
    const { miner, pool } = await subscribed();
    miner.send('{"id":null,"method":"mining.extranonce.subscribe","params":[]}');
    await drain(miner);
    expect(pool.reports).toEqual([
      {
        kind: 'notification',
        method: 'mining.extranonce.subscribe',
        reason: 'notification "mining.extranonce.subscribe" from the miner cannot be answered (no id)',
      },
    ]);
  });

  it('reports nothing for a response from the miner, answered (20) or not', async () => {
    const { miner, pool } = await subscribed();
    miner.send('{"id":8,"result":true,"error":null}');
    expect((await errorOf(miner, 8)).code).toBe(20);
    miner.send('{"id":null,"result":true,"error":null}');
    await drain(miner);
    expect(pool.reports).toEqual([]);
  });

  it("reports nothing for a share whose header is not its job's (20), a rejection (23), an unknown job (21) or a submit before subscribe (25)", async () => {
    const before = setup();
    before.miner.send(submitLine(2, 'job-2', HEADER));
    expect((await errorOf(before.miner, 2)).code).toBe(25);
    expect(before.pool.reports).toEqual([]);

    const { miner, pool } = await withJob();
    miner.send(submitLine(10, 'job-2', `0x${CHFAST5M.headerHash}`));
    expect(await errorOf(miner, 10)).toEqual({
      code: 20,
      message: `Malformed request: mining.submit header 0x${CHFAST5M.headerHash} is not the header of job "job-2" (0x${CHFAST2.headerHash})`,
    });
    pool.verdict = { accepted: false, reason: 'low-difficulty', message: 'share difficulty 0.5 is below 1' };
    miner.send(submitLine(11, 'job-2', HEADER));
    expect((await errorOf(miner, 11)).code).toBe(23);
    miner.send(submitLine(12, 'job-9', HEADER));
    expect((await errorOf(miner, 12)).code).toBe(21);
    expect(pool.reports).toEqual([]);
  });

  it('logs a throwing malformed handler at error and goes on answering', async () => {
    const { logger, errors } = errorLog();
    const { miner, pool } = await subscribed(true, logger);
    miner.send('{"id":4,"method":"mining.nope","params":[]}');
    expect((await errorOf(miner, 4)).code).toBe(20);
    await drain(miner);
    expect(pool.reports).toHaveLength(1);
    expect(errors).toEqual([[{ dialect: 'plain', side: 'server', err: new Error('ban list down'), kind: 'unknown-method' }, 'malformed handler threw']]);
  });
});
