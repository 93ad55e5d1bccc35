import { createLinePair, eip1571Codec, FramingTestTransport, LodeError, RpcPeer } from '@lode/stratum-core';
import type { Eip1571Params, MalformedMessage } from '@lode/stratum-core';
import { errorLog, fakePool, LineProbe, SPEC } from '../testing/wire.test-helper';
import type { FakePool } from '../testing/wire.test-helper';
import { EthStratumServerSession } from './server-session';
import type { EthServerJob } from './server-session';
import type { EthStratumServerSessionOptions } from './server-handler';

/*
 * EthStratumServerSession and handler.malformed: one report per malformed
 * message, with the reply's message as reason; none for share rejections,
 * protocol-order refusals the pool never counted (302), or responses.
 * Wire values from the EIP-1571 examples (specs/003_fafafa51dc5fa36a.txt,
 * facts/ethash.md §1.3) through testing/wire.test-helper SPEC.
 */

const NODE = 'Geth/v1.13.15-stable/linux-amd64/go1.21.6';
const HELLO = `{"id":0,"method":"mining.hello","params":{"agent":"ethminer-0.19.0","host":"eth.pool.example","port":"${SPEC.helloPortHex}","proto":"EthereumStratum/2.0.0"}}`;
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

interface ReportingPool extends FakePool {
  reports: MalformedMessage[];
}

/** The wire helper's fake pool, recording what `malformed` gets; `throws` makes it throw after recording. */
function reportingPool(throws = false): ReportingPool {
  const pool = fakePool() as ReportingPool;
  pool.reports = [];
  pool.malformed = (message) => {
    pool.reports.push(message);
    if (throws) throw new Error('ban list down');
  };
  return pool;
}

const opened: Array<{ close(): void }> = [];
afterEach(() => {
  for (const o of opened.splice(0)) o.close();
});

function setup(options: Partial<EthStratumServerSessionOptions> = {}, throws = false) {
  const [minerEnd, poolEnd] = createLinePair();
  const pool = reportingPool(throws);
  const session = new EthStratumServerSession(new RpcPeer<Eip1571Params>(poolEnd, eip1571Codec), pool, { node: NODE, maxErrors: 100, ...options });
  const miner = new LineProbe(minerEnd);
  opened.push(miner);
  return { session, pool, miner };
}

/** hello answered */
async function helloed(options: Partial<EthStratumServerSessionOptions> = {}, throws = false) {
  const ctx = setup(options, throws);
  ctx.miner.send(HELLO);
  await ctx.miner.next();
  return ctx;
}

/** hello, subscribe (s-1), alice.rig1 authorized as w-1, the spec's job sent (its lines consumed) */
async function withJob() {
  const ctx = await helloed();
  ctx.miner.send('{"id":1,"method":"mining.subscribe"}');
  expect(await ctx.miner.next()).toBe('{"id":1,"result":"s-1"}');
  ctx.miner.send('{"id":2,"method":"mining.authorize","params":["alice.rig1","x"]}');
  expect(await ctx.miner.next()).toBe('{"id":2,"result":"w-1"}');
  expect(ctx.session.sendJob(SPEC_JOB)).toBe(true);
  await ctx.miner.next();
  await ctx.miner.next();
  return ctx;
}

/** The error member of the next reply, which must carry `id`. */
async function errorReply(miner: LineProbe, id: number): Promise<{ code: number; message: string }> {
  const reply = await miner.nextJson();
  expect(reply['id']).toBe(id);
  return reply['error'] as { code: number; message: string };
}

describe('EthStratumServerSession and handler.malformed', () => {
  it('reports a line over the length cap as overlong, with the framing error as reason', () => {
    const transport = new FramingTestTransport(true);
    const pool = reportingPool();
    new EthStratumServerSession(new RpcPeer<Eip1571Params>(transport, eip1571Codec), pool, { node: NODE });
    transport.overlong(new LodeError('framing', 'line over 16384 bytes'));
    expect(pool.reports).toEqual([{ kind: 'overlong', reason: 'line over 16384 bytes' }]);
  });

  it('reports a line that is not JSON as not-json (no reply: no id), with the codec reason', async () => {
    const { miner, pool } = await helloed();
    miner.sendRaw('{oops');
    expect(await miner.drainWithNoop(9)).toEqual([]);
    expect(pool.reports).toHaveLength(1);
    expect(pool.reports[0]).toEqual({ kind: 'not-json', reason: expect.stringMatching(/^invalid JSON: /) });
  });

  it('reports a request the codec refuses as not-request, with its method and the 400 reply message', async () => {
    const { miner, pool } = await helloed();
    miner.sendRaw('{"id":5,"jsonrpc":"2.0","method":"mining.subscribe"}');
    const error = await errorReply(miner, 5);
    expect(error).toEqual({ code: 400, message: 'Bad request: member "jsonrpc" must be omitted in EthereumStratum/2.0.0' });
    expect(await miner.drainWithNoop(9)).toEqual([]);
    expect(pool.reports).toEqual([{ kind: 'not-request', method: 'mining.subscribe', reason: error.message }]);
  });

  it.each([
    ['a known method before mining.hello', false, '{"id":1,"method":"mining.subscribe"}', 'mining.subscribe'],
    ['a second mining.hello', true, HELLO.replace('"id":0', '"id":1'), 'mining.hello'],
  ])('reports %s as not-request, method set (the pool counted these 400s)', async (_name, hello, line, method) => {
    const ctx = hello ? await helloed() : setup();
    ctx.miner.send(line);
    const error = await errorReply(ctx.miner, 1);
    expect(error.code).toBe(400);
    expect(ctx.pool.reports).toEqual([{ kind: 'not-request', method, reason: error.message }]);
  });

  it('reports a method the dialect does not serve as unknown-method (405), the name cut to 64 characters', async () => {
    const { miner, pool } = await helloed();
    const name = `eth_${'x'.repeat(80)}`;
    miner.send({ id: 6, method: name, params: [] });
    const error = await errorReply(miner, 6);
    expect(error.code).toBe(405);
    expect(pool.reports).toEqual([{ kind: 'unknown-method', method: name.slice(0, 64), reason: error.message }]);
    expect(pool.reports[0].method).toHaveLength(64);
  });

  it('reports wrong params of a known method as bad-params, method set', async () => {
    const { miner, pool } = await helloed();
    miner.send('{"id":7,"method":"mining.authorize","params":["alice.rig1"]}');
    const error = await errorReply(miner, 7);
    expect(error).toEqual({ code: 400, message: 'Bad request: mining.authorize takes [workerName, password], got 1 parameter' });
    expect(pool.reports).toEqual([{ kind: 'bad-params', method: 'mining.authorize', reason: error.message }]);
  });

  it('reports a hello for another proto as bad-params before the connection closes', async () => {
    const { miner, pool } = setup();
    miner.send('{"id":0,"method":"mining.hello","params":{"agent":"a","host":"h","port":"4d2","proto":"EthereumStratum/1.0.0"}}');
    const error = await errorReply(miner, 0);
    await miner.closed;
    expect(pool.reports).toEqual([{ kind: 'bad-params', method: 'mining.hello', reason: error.message }]);
    expect(error.message).toBe('Bad protocol request: proto "EthereumStratum/1.0.0" is not "EthereumStratum/2.0.0"');
  });

  it('reports a notification a miner may not send as notification, and none for mining.noop', async () => {
    const { miner, pool } = await helloed();
    miner.send('{"method":"mining.noop"}');
    miner.send('{"method":"mining.notify","params":["bf0488aa"]}');
    expect(await miner.drainWithNoop(9)).toEqual([]);
    expect(pool.reports).toEqual([
      { kind: 'notification', method: 'mining.notify', reason: 'notification "mining.notify" is not one a miner may send' },
    ]);
  });

  it('reports nothing for a response from the miner (it matches no request of ours)', async () => {
    const { miner, pool, session } = await helloed();
    miner.send('{"id":3,"result":"0"}');
    expect(await miner.drainWithNoop(9)).toEqual([]);
    expect(session.counters.invalidLines).toBe(1);
    expect(pool.reports).toEqual([]);
  });

  it.each([
    ['low-difficulty', 406],
    ['bad-ntime', 400],
  ] as const)('reports nothing for a %s share rejection (%d)', async (reason, code) => {
    const { miner, pool } = await withJob();
    pool.verdict = { accepted: false, reason, message: 'share difficulty 0.5 is below 1' };
    miner.send(`{"id":31,"method":"mining.submit","params":["${SPEC.jobId}","${SPEC.minerNonce}","w-1"]}`);
    expect((await errorReply(miner, 31)).code).toBe(code);
    expect(pool.reports).toEqual([]);
  });

  it('reports nothing for a bad nonce size (414), an unknown token (301) or a request before subscribe (302)', async () => {
    const { miner, pool } = await helloed();
    miner.send(`{"id":30,"method":"mining.submit","params":["${SPEC.jobId}","${SPEC.minerNonce}","w-1"]}`);
    expect((await errorReply(miner, 30)).code).toBe(302);
    miner.send('{"id":1,"method":"mining.subscribe"}');
    await miner.next();
    miner.send(`{"id":31,"method":"mining.submit","params":["${SPEC.jobId}","${SPEC.minerNonce}","w-7"]}`);
    expect((await errorReply(miner, 31)).code).toBe(301);
    miner.send('{"id":2,"method":"mining.authorize","params":["alice.rig1","x"]}');
    await miner.next();
    miner.send(`{"id":32,"method":"mining.submit","params":["${SPEC.jobId}","${SPEC.fullNonce}","w-1"]}`);
    expect((await errorReply(miner, 32)).code).toBe(414);
    expect(pool.reports).toEqual([]);
  });

  it('reports a plain line after gzip was negotiated as not-request, before the connection closes', async () => {
    const { miner, pool } = await helloed({ encoding: 'gzip' });
    miner.sendRaw('{"id":1,"method":"mining.subscribe"}');
    expect((await miner.closed).reason).toBe('plain-text line after encoding gzip was negotiated');
    expect(pool.reports).toEqual([{ kind: 'not-request', method: 'mining.subscribe', reason: 'plain-text line after encoding gzip was negotiated' }]);
  });

  it('logs a throwing malformed handler at error and goes on answering', async () => {
    const { logger, errors } = errorLog();
    const { miner, pool } = await helloed({ logger }, true);
    miner.send('{"id":6,"method":"mining.nope"}');
    expect((await errorReply(miner, 6)).code).toBe(405);
    miner.send('{"id":1,"method":"mining.subscribe"}');
    expect(await miner.next()).toBe('{"id":1,"result":"s-1"}');
    expect(pool.reports).toHaveLength(1);
    expect(errors).toEqual([
      [{ dialect: 'ethstratum', side: 'server', err: new Error('ban list down'), kind: 'unknown-method' }, 'malformed handler threw'],
    ]);
  });
});
