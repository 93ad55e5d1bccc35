import { classicCodec, createLinePair, FramingTestTransport, LodeError, RpcPeer } from '@lode/stratum-core';
import type { LodeLogger } from '@lode/stratum-core';
import type { EthClassicServerJob } from '../classic/classic-contract';
import { LineProbe, reportingClassicPool } from '../ethproxy/classic.test-helper';
import { errorLog } from '../testing/wire.test-helper';
import { Es1ServerSession } from './es1-server-session';

/*
 * Es1ServerSession and handler.malformed: error 20 answers malformed
 * requests, unknown methods, some share rejections and internal failures
 * alike, so the session reports where it decides, never from the code.
 * Wire values: the NiceHash example session (facts/ethash.md §1.2).
 */

const NH = {
  sessionId: 'ae6812eb4cd7735a302a8a9dd95cf71f',
  extranonce: 'a2eea0',
  jobId: 'bf0488aa',
  seedHash: 'abad8f99f3918bf903c6a909d9bbc0fdfa5a2f4b9cb1196175ec825c6610126c',
  headerHash: 'fc12eb20c58158071c956316cdcd12a22dd8bf126ac4aee559f0ffe4df11f279',
  minerNonce: 'cfae7df760',
} as const;

const NH_JOB: EthClassicServerJob = {
  jobId: NH.jobId,
  height: 1_500_000,
  headerHash: NH.headerHash,
  seedHash: NH.seedHash,
  clean: true,
  target: BigInt(`0x00000000ffff${'0'.repeat(52)}`),
  algo: 'ethash',
  extranonce: Buffer.from(NH.extranonce, 'hex'),
};

const SUBSCRIBE = '{"id":1,"method":"mining.subscribe","params":["EthereumMiner/1.0.0","EthereumStratum/1.0.0"]}';
/** answered true at any time: proves every line sent before it was handled */
const EXTRANONCE_SUBSCRIBE = '{"id":90,"method":"mining.extranonce.subscribe","params":[]}';

const opened: LineProbe[] = [];
afterEach(() => {
  for (const o of opened.splice(0)) o.close();
});

function setup(throws = false, logger?: LodeLogger) {
  const [minerEnd, poolEnd] = createLinePair();
  const pool = reportingClassicPool(throws);
  pool.subscribe = async (req) => {
    pool.subscribes.push(req);
    return { sessionId: NH.sessionId, extranonce: Buffer.from(NH.extranonce, 'hex') };
  };
  const session = new Es1ServerSession(new RpcPeer(poolEnd, classicCodec), pool, { maxErrors: 100, ...(logger === undefined ? {} : { logger }) });
  const miner = new LineProbe(minerEnd);
  opened.push(miner);
  return { session, pool, miner };
}

async function subscribed(throws = false, logger?: LodeLogger) {
  const ctx = setup(throws, logger);
  ctx.miner.send(SUBSCRIBE);
  await ctx.miner.next();
  return ctx;
}

async function withJob() {
  const ctx = await subscribed();
  ctx.miner.send('{"id":2,"method":"mining.authorize","params":["test","password"]}');
  expect(await ctx.miner.next()).toBe('{"id":2,"result":true,"error":null}');
  expect(ctx.session.sendJob(NH_JOB)).toBe(true);
  await ctx.miner.next();
  await ctx.miner.next();
  return ctx;
}

/** The Stratum error triple of the next reply, which must carry `id`. */
async function errorOf(miner: LineProbe, id: number | null): Promise<{ code: number; message: string }> {
  const msg = await miner.nextJson();
  expect(msg['id']).toBe(id);
  const [code, message] = msg['error'] as [number, string, null];
  return { code, message };
}

/** Sends mining.extranonce.subscribe and waits for its `true`. */
async function drain(miner: LineProbe): Promise<void> {
  miner.send(EXTRANONCE_SUBSCRIBE);
  expect(await miner.next()).toBe('{"id":90,"result":true,"error":null}');
}

describe('Es1ServerSession and handler.malformed', () => {
  it('reports a line over the length cap as overlong', () => {
    const transport = new FramingTestTransport(true);
    const pool = reportingClassicPool();
    new Es1ServerSession(new RpcPeer(transport, classicCodec), pool);
    transport.overlong(new LodeError('framing', 'line over 16384 bytes'));
    expect(pool.reports).toEqual([{ kind: 'overlong', reason: 'line over 16384 bytes' }]);
  });

  it('reports a line that is not JSON as not-json, with the reply (id null) as reason', async () => {
    const { miner, pool } = setup();
    miner.sendRaw('{oops');
    const error = await errorOf(miner, null);
    expect(error.code).toBe(20);
    expect(error.message).toMatch(/^Malformed request: invalid JSON: /);
    expect(pool.reports).toEqual([{ kind: 'not-json', reason: error.message }]);
  });

  it('reports a request whose params are not an array as not-request, method set', async () => {
    const { miner, pool } = setup();
    miner.sendRaw('{"id":5,"method":"mining.subscribe","params":{}}');
    const error = await errorOf(miner, 5);
    expect(error).toEqual({ code: 20, message: 'Malformed request: params of mining.subscribe is an object, expected an array' });
    expect(pool.reports).toEqual([{ kind: 'not-request', method: 'mining.subscribe', reason: error.message }]);
  });

  it('reports a second subscribe as not-request, method set', async () => {
    const { miner, pool } = await subscribed();
    miner.send(SUBSCRIBE.replace('"id":1', '"id":3'));
    const error = await errorOf(miner, 3);
    expect(error).toEqual({ code: 20, message: 'Malformed request: mining.subscribe was already answered on this connection' });
    expect(pool.reports).toEqual([{ kind: 'not-request', method: 'mining.subscribe', reason: error.message }]);
  });

  it('reports an unknown method as unknown-method', async () => {
    const { miner, pool } = setup();
    miner.send('{"id":4,"method":"eth_getWork","params":[]}');
    const error = await errorOf(miner, 4);
    expect(error).toEqual({ code: 20, message: 'Unknown method: "eth_getWork"' });
    expect(pool.reports).toEqual([{ kind: 'unknown-method', method: 'eth_getWork', reason: error.message }]);
  });

  it.each([
    ['mining.authorize', '{"id":6,"method":"mining.authorize","params":[7,"x"]}', 'Malformed request: mining.authorize parameter 1 (name) is 7, expected a string of 1..256 characters'],
    [
      'mining.subscribe',
      '{"id":6,"method":"mining.subscribe","params":["EthereumMiner/1.0.0","EthereumStratum/2.0.0"]}',
      'Malformed request: mining.subscribe protocol is "EthereumStratum/2.0.0", this port speaks "EthereumStratum/1.0.0"',
    ],
  ])('reports wrong params of %s as bad-params', async (method, line, message) => {
    const { miner, pool } = setup();
    miner.send(line);
    expect(await errorOf(miner, 6)).toEqual({ code: 20, message });
    expect(pool.reports).toEqual([{ kind: 'bad-params', method, reason: message }]);
  });

  it('reports nothing for a notification (ES1 ignores them) or a response from the miner', async () => {
    const { miner, pool } = await subscribed();
    miner.send('{"id":null,"method":"mining.noop","params":[]}');
    miner.send('{"id":7,"result":true,"error":null}');
    await drain(miner);
    expect(pool.reports).toEqual([]);
  });

  it('reports nothing for share rejections answered 20, 23 and 21, nor for an internal failure (20)', async () => {
    const { miner, pool } = await withJob();
    miner.send(`{"id":10,"method":"mining.submit","params":["test","${NH.jobId}","cfae7df7"]}`);
    expect((await errorOf(miner, 10)).message).toMatch(/^Invalid nonce: miner nonce is 4 bytes, expected 5/);
    pool.verdict = { accepted: false, reason: 'low-difficulty', message: 'share difficulty 0.5 is below 1' };
    miner.send(`{"id":11,"method":"mining.submit","params":["test","${NH.jobId}","${NH.minerNonce}"]}`);
    expect(await errorOf(miner, 11)).toEqual({ code: 23, message: 'Low difficulty share: share difficulty 0.5 is below 1' });
    miner.send(`{"id":12,"method":"mining.submit","params":["test","deadbeef","${NH.minerNonce}"]}`);
    expect((await errorOf(miner, 12)).code).toBe(21);
    pool.submit = async () => {
      throw new Error('share store down');
    };
    miner.send(`{"id":13,"method":"mining.submit","params":["test","${NH.jobId}","${NH.minerNonce}"]}`);
    expect(await errorOf(miner, 13)).toEqual({ code: 20, message: 'Internal error: mining.submit failed' });
    expect(pool.reports).toEqual([]);
  });

  it('reports nothing for a request before subscribe (25)', async () => {
    const { miner, pool } = setup();
    miner.send('{"id":2,"method":"mining.authorize","params":["test","password"]}');
    expect((await errorOf(miner, 2)).code).toBe(25);
    expect(pool.reports).toEqual([]);
  });

  it('logs a throwing malformed handler at error and goes on answering', async () => {
    const { logger, errors } = errorLog();
    const { miner, pool } = await subscribed(true, logger);
    miner.send('{"id":4,"method":"eth_getWork","params":[]}');
    expect((await errorOf(miner, 4)).code).toBe(20);
    await drain(miner);
    expect(pool.reports).toHaveLength(1);
    expect(errors).toEqual([[{ dialect: 'es1', side: 'server', err: new Error('ban list down'), kind: 'unknown-method' }, 'malformed handler threw']]);
  });
});
