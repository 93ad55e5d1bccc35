import { createLinePair, jsonRpc2Codec, LodeError, RpcPeer } from '@lode/stratum-core';
import { ETHPROXY_PUSH_METHOD } from '../classic/classic-contract';
import type { EthClassicClientJob } from '../classic/classic-contract';
import { CHFAST2, CHFAST5M, fakeClassicPool, JOB2, JOB5M_ETC, LineProbe, settle } from './classic.test-helper';
import { EthProxyClientSession } from './ethproxy-client-session';
import { EthProxyServerSession } from './ethproxy-server-session';

const WORKER = '0xb85150eb365e7df0941f0cf08235f987ba91506a.rig1';
const HEADER = `0x${CHFAST2.headerHash}`;
const SEED = `0x${CHFAST2.seedHash}`;
const TARGET = `0x${CHFAST2.final}`;

const opened: Array<{ close(): void }> = [];
afterEach(() => {
  for (const o of opened.splice(0)) o.close();
});

function setup(password?: string) {
  const [minerEnd, poolEnd] = createLinePair();
  const peer = new RpcPeer(minerEnd, jsonRpc2Codec({ pushMethod: ETHPROXY_PUSH_METHOD }), { requestTimeoutMs: 5000 });
  const options = password === undefined ? { userAgent: 'lode-miner/0.1.0', workerName: WORKER } : { userAgent: 'lode-miner/0.1.0', workerName: WORKER, password };
  const client = new EthProxyClientSession(peer, options);
  const pool = new LineProbe(poolEnd);
  opened.push(pool);
  const jobs: EthClassicClientJob[] = [];
  client.jobs$.subscribe((j) => jobs.push(j));
  return { client, pool, jobs };
}

/** login and eth_getWork answered with chfast block 2 and height 0x2 */
async function started() {
  const ctx = setup();
  const start = ctx.client.start();
  await ctx.pool.next();
  ctx.pool.send('{"id":1,"jsonrpc":"2.0","result":true}');
  await ctx.pool.next();
  ctx.pool.send(`{"id":2,"jsonrpc":"2.0","result":["${HEADER}","${SEED}","${TARGET}","0x2"]}`);
  await start;
  return ctx;
}

describe('EthProxyClientSession', () => {
  it('logs in with the whole worker name and the password, then emits the eth_getWork result as a job', async () => {
    const { client, pool, jobs } = setup('secret');
    const start = client.start();
    expect(await pool.next()).toBe(`{"id":1,"jsonrpc":"2.0","method":"eth_submitLogin","params":["${WORKER}","secret"]}`);
    pool.send('{"id":1,"jsonrpc":"2.0","result":true}');
    expect(await pool.next()).toBe('{"id":2,"jsonrpc":"2.0","method":"eth_getWork","params":[]}');
    pool.send(`{"id":2,"jsonrpc":"2.0","result":["${HEADER}","${SEED}","${TARGET}","0x2"]}`);
    expect(await start).toEqual({ extranonce: Buffer.alloc(0) });
    expect(jobs).toEqual([
      {
        jobId: CHFAST2.headerHash,
        headerHash: CHFAST2.headerHash,
        seedHash: CHFAST2.seedHash,
        target: 0xab9b13423cface72cbec8424221651bc2e384ef0f7a560e038fc68c8d8684829n,
        height: 2,
        clean: true,
        extranonce: Buffer.alloc(0),
        receivedAt: expect.any(Number),
      },
    ]);
    expect(client.dialect).toBe('ethproxy');
  });

  it('sends the login without a password when none is given', async () => {
    const { client, pool } = setup();
    void client.start().catch(() => undefined);
    expect(await pool.next()).toBe(`{"id":1,"jsonrpc":"2.0","method":"eth_submitLogin","params":["${WORKER}"]}`);
  });

  it('rejects start() with the pool code when the login is refused, and when it answers false', async () => {
    const a = setup();
    const startA = a.client.start();
    await a.pool.next();
    a.pool.send('{"id":1,"jsonrpc":"2.0","result":null,"error":{"code":24,"message":"Unauthorized worker"}}');
    await expect(startA).rejects.toMatchObject({ kind: 'protocol', code: 24, message: 'Unauthorized worker' });

    const b = setup();
    const startB = b.client.start();
    await b.pool.next();
    b.pool.send('{"id":1,"jsonrpc":"2.0","result":false}');
    await expect(startB).rejects.toThrow(`eth_submitLogin answered false: the pool refused "${WORKER}"`);
  });

  it('rejects start() when eth_getWork answers {code 0, "Work not ready"}', async () => {
    const { client, pool } = setup();
    const start = client.start();
    await pool.next();
    pool.send('{"id":1,"jsonrpc":"2.0","result":true}');
    await pool.next();
    pool.send('{"id":2,"jsonrpc":"2.0","result":null,"error":{"code":0,"message":"Work not ready"}}');
    await expect(start).rejects.toMatchObject({ kind: 'protocol', code: 0 });
  });

  describe('pushed work', () => {
    it('reads a push without a height (open-ethereum-pool) as clean, and one with an equal height as not clean', async () => {
      const { pool, jobs } = await started();
      pool.send(`{"id":0,"jsonrpc":"2.0","result":["0x${CHFAST5M.headerHash}","${SEED}","0x${CHFAST5M.final}"]}`);
      pool.send(`{"id":0,"jsonrpc":"2.0","result":["${HEADER}","${SEED}","${TARGET}","0x2"]}`);
      pool.send(`{"id":0,"jsonrpc":"2.0","result":["0x${CHFAST5M.headerHash}","${SEED}","${TARGET}","0x2"]}`);
      await settle();
      expect(jobs.slice(1).map((j) => [j.jobId.slice(0, 8), j.height, j.clean])).toEqual([
        ['bc544c2b', undefined, true],
        ['100cbec5', 2, true],
        ['bc544c2b', 2, false],
      ]);
      expect(jobs[1]!.target).toBe(0x0000000000001a5b18ae31b7417b7c045bc6dd78cc3b694c4bebfaefef6b3c56n);
    });

    it('reads the 4th element only when it starts with 0x, and "algo" from the top-level member', async () => {
      const { pool, jobs } = await started();
      pool.send(`{"jsonrpc":"2.0","result":["${HEADER.toUpperCase().replace('0X', '0x')}","${SEED}","0x1a5b18ae","4c4b40"],"algo":"etchash"}`);
      await settle();
      expect(jobs[1]).toMatchObject({ headerHash: CHFAST2.headerHash, target: 0x1a5b18aen, algo: 'etchash', clean: true });
      expect(jobs[1]!.height).toBeUndefined();
    });

    it('counts a malformed push and emits nothing', async () => {
      const { client, pool, jobs } = await started();
      pool.send(`{"id":0,"jsonrpc":"2.0","result":["0x1234","${SEED}","${TARGET}"]}`);
      pool.send(`{"id":0,"jsonrpc":"2.0","result":["${HEADER}","${SEED}","0x0"]}`);
      await settle();
      expect(jobs).toHaveLength(1);
      expect(client.counters).toEqual({ jobs: 1, malformed: 2, unknownMethods: 0 });
    });
  });

  describe('submit', () => {
    it('sends eth_submitWork [0x nonce, 0x header, 0x mix] and maps true, false and an error', async () => {
      const { client, pool, jobs } = await started();
      const nonce = Buffer.from(CHFAST2.nonce, 'hex');
      const mix = Buffer.from(CHFAST2.mix, 'hex');
      const line = `"method":"eth_submitWork","params":["0x${CHFAST2.nonce}","${HEADER}","0x${CHFAST2.mix}"]}`;

      const a = client.submit(jobs[0]!, nonce, mix);
      expect(await pool.next()).toBe(`{"id":3,"jsonrpc":"2.0",${line}`);
      pool.send('{"id":3,"jsonrpc":"2.0","result":true}');
      expect(await a).toEqual({ accepted: true });

      const b = client.submit(jobs[0]!, nonce, mix);
      expect(await pool.next()).toBe(`{"id":4,"jsonrpc":"2.0",${line}`);
      pool.send('{"id":4,"jsonrpc":"2.0","result":false}');
      expect(await b).toEqual({ accepted: false, error: { code: 23, message: 'Invalid share (the pool answered false)' } });

      const c = client.submit(jobs[0]!, nonce, mix);
      await pool.next();
      pool.send('{"id":5,"jsonrpc":"2.0","result":null,"error":{"code":22,"message":"Duplicate share"}}');
      expect(await c).toEqual({ accepted: false, error: { code: 22, message: 'Duplicate share' } });
    });

    it('rejects a nonce that is not 8 bytes', async () => {
      const { client, jobs } = await started();
      await expect(client.submit(jobs[0]!, Buffer.alloc(4), Buffer.alloc(32))).rejects.toThrow('nonce must be 8 bytes');
    });

    it('rejects with LodeError("connection") when the connection closes first', async () => {
      const { client, pool, jobs } = await started();
      const p = client.submit(jobs[0]!, Buffer.from(CHFAST2.nonce, 'hex'), Buffer.from(CHFAST2.mix, 'hex'));
      await pool.next();
      pool.close();
      const err: unknown = await p.catch((e: unknown) => e);
      expect(LodeError.is(err, 'connection')).toBe(true);
    });
  });

  it('reports hashrate as eth_submitHashrate ["0x"+32 bytes, "0x"+32-byte id] and survives a refusal', async () => {
    const { client, pool } = await started();
    const p = client.reportHashrate(500_000_000n);
    expect(await pool.next()).toBe(
      `{"id":3,"jsonrpc":"2.0","method":"eth_submitHashrate","params":["0x${'1dcd6500'.padStart(64, '0')}","${client.hashrateId}"]}`,
    );
    expect(client.hashrateId).toMatch(/^0x[0-9a-f]{64}$/);
    pool.send('{"id":3,"jsonrpc":"2.0","result":null,"error":{"code":20,"message":"nope"}}');
    await expect(p).resolves.toBeUndefined();
  });

  it('completes jobs$ and emits closed$ once when the pool closes', async () => {
    const { client, pool } = await started();
    const seen: unknown[] = [];
    client.jobs$.subscribe({ complete: () => seen.push('jobs complete') });
    client.closed$.subscribe({ next: (i) => seen.push(i), complete: () => seen.push('closed complete') });
    pool.close();
    await settle();
    expect(seen).toEqual([{ reason: 'test over', byPeer: true }, 'closed complete', 'jobs complete']);
  });

  it('works end to end against EthProxyServerSession: login, held job, etchash push, a real share', async () => {
    const [minerEnd, poolEnd] = createLinePair();
    const codec = jsonRpc2Codec({ pushMethod: ETHPROXY_PUSH_METHOD });
    const handler = fakeClassicPool();
    const server = new EthProxyServerSession(new RpcPeer(poolEnd, codec), handler, {});
    const client = new EthProxyClientSession(new RpcPeer(minerEnd, codec), { userAgent: 'lode-miner/0.1.0', workerName: WORKER });
    opened.push({ close: () => client.close('test over') });
    const jobs: EthClassicClientJob[] = [];
    client.jobs$.subscribe((j) => jobs.push(j));
    server.sendJob(JOB2);
    await client.start();
    expect(handler.authorizes).toEqual([{ workerName: WORKER, password: '' }]);
    server.sendJob(JOB5M_ETC);
    await settle();
    // the held job pushed after login, the eth_getWork reply, then the etchash push
    expect(jobs.map((j) => [j.headerHash.slice(0, 8), j.height, j.algo])).toEqual([
      ['100cbec5', 2, undefined],
      ['100cbec5', 2, undefined],
      ['bc544c2b', 5000000, 'etchash'],
    ]);
    const outcome = await client.submit(jobs[0]!, Buffer.from(CHFAST2.nonce, 'hex'), Buffer.from(CHFAST2.mix, 'hex'));
    expect(outcome).toEqual({ accepted: true });
    expect(handler.submits[0]).toMatchObject({ workerName: WORKER, jobId: 'job-2' });
    expect(handler.submits[0]!.mixDigest!.toString('hex')).toBe(CHFAST2.mix);
  });
});
