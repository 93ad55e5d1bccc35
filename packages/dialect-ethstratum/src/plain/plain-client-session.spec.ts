import { classicCodec, createLinePair, RpcPeer } from '@lode/stratum-core';
import type { EthClassicClientJob, EthClassicClientSessionOptions } from '../classic/classic-contract';
import { CHFAST2, CHFAST5M, fakeClassicPool, JOB2, JOB5M_ETC, LineProbe, settle } from '../ethproxy/classic.test-helper';
import { PlainEthClientSession } from './plain-client-session';
import { PlainEthServerSession } from './plain-server-session';

const WORKER = '0xb85150eb365e7df0941f0cf08235f987ba91506a.rig1';
const HEADER = `0x${CHFAST2.headerHash}`;
const SEED = `0x${CHFAST2.seedHash}`;
const TARGET = `0x${CHFAST2.final}`;

const opened: Array<{ close(): void }> = [];
afterEach(() => {
  for (const o of opened.splice(0)) o.close();
});

function setup(options: Partial<EthClassicClientSessionOptions> = {}) {
  const [minerEnd, poolEnd] = createLinePair();
  const client = new PlainEthClientSession(new RpcPeer(minerEnd, classicCodec, { requestTimeoutMs: 5000 }), {
    userAgent: 'lode-miner/0.1.0',
    workerName: WORKER,
    ...options,
  });
  const pool = new LineProbe(poolEnd);
  opened.push(pool);
  const jobs: EthClassicClientJob[] = [];
  client.jobs$.subscribe((j) => jobs.push(j));
  return { client, pool, jobs };
}

async function started() {
  const ctx = setup();
  const start = ctx.client.start();
  await ctx.pool.next();
  ctx.pool.send('{"id":1,"result":true,"error":null}');
  await ctx.pool.next();
  ctx.pool.send('{"id":2,"result":true,"error":null}');
  await start;
  ctx.pool.send(`{"id":null,"method":"mining.notify","params":["job-2","${HEADER}","${SEED}","${TARGET}"]}`);
  await settle();
  return ctx;
}

describe('PlainEthClientSession', () => {
  it('subscribes with the user agent, authorizes [workerName, password] and resolves with an empty extranonce', async () => {
    const { client, pool } = setup({ password: 'x' });
    const start = client.start();
    expect(await pool.next()).toBe('{"id":1,"method":"mining.subscribe","params":["lode-miner/0.1.0"]}');
    pool.send('{"id":1,"result":true,"error":null}');
    expect(await pool.next()).toBe(`{"id":2,"method":"mining.authorize","params":["${WORKER}","x"]}`);
    pool.send('{"id":2,"result":true,"error":null}');
    expect(await start).toEqual({ extranonce: Buffer.alloc(0) });
    expect(client.dialect).toBe('plain');
  });

  it('sends subscribe without params for an empty user agent, as ethminer does, and an empty password by default', async () => {
    const { client, pool } = setup({ userAgent: '' });
    const start = client.start();
    expect(await pool.next()).toBe('{"id":1,"method":"mining.subscribe","params":[]}');
    pool.send('{"id":1,"result":null,"error":null}');
    expect(await pool.next()).toBe(`{"id":2,"method":"mining.authorize","params":["${WORKER}",""]}`);
    pool.send('{"id":2,"result":true,"error":null}');
    await start;
  });

  it('rejects start() when authorize answers false or an error triple', async () => {
    const a = setup();
    const startA = a.client.start();
    await a.pool.next();
    a.pool.send('{"id":1,"result":true,"error":null}');
    await a.pool.next();
    a.pool.send('{"id":2,"result":false,"error":null}');
    await expect(startA).rejects.toThrow(`mining.authorize answered false: the pool refused "${WORKER}"`);

    const b = setup();
    const startB = b.client.start();
    await b.pool.next();
    b.pool.send('{"id":1,"result":true,"error":null}');
    await b.pool.next();
    b.pool.send('{"id":2,"result":null,"error":[24,"Unauthorized worker",null]}');
    await expect(startB).rejects.toMatchObject({ kind: 'protocol', code: 24 });
  });

  it('reads mining.notify [jobId, header, seed, target] and the "algo" member', async () => {
    const { pool, jobs } = await started();
    pool.send(`{"id":null,"method":"mining.notify","params":["job-5m","${CHFAST5M.headerHash}","${SEED}","0x1a5b18ae"],"algo":"etchash"}`);
    await settle();
    expect(jobs).toEqual([
      {
        jobId: 'job-2',
        headerHash: CHFAST2.headerHash,
        seedHash: CHFAST2.seedHash,
        target: 0xab9b13423cface72cbec8424221651bc2e384ef0f7a560e038fc68c8d8684829n,
        clean: true,
        extranonce: Buffer.alloc(0),
        receivedAt: expect.any(Number),
      },
      {
        jobId: 'job-5m',
        headerHash: CHFAST5M.headerHash,
        seedHash: CHFAST2.seedHash,
        target: 0x1a5b18aen,
        clean: true,
        extranonce: Buffer.alloc(0),
        algo: 'etchash',
        receivedAt: expect.any(Number),
      },
    ]);
  });

  it('counts a malformed notify and ignores mining.set_difficulty', async () => {
    const { client, pool, jobs } = await started();
    pool.send(`{"id":null,"method":"mining.notify","params":["job-3","${HEADER}","${SEED}"]}`);
    pool.send('{"id":null,"method":"mining.set_difficulty","params":[1]}');
    pool.send('{"id":null,"method":"mining.foo","params":[]}');
    await settle();
    expect(jobs).toHaveLength(1);
    expect(client.counters).toEqual({ jobs: 1, malformed: 1, unknownMethods: 1 });
  });

  it('submits [workerName, jobId, 0x nonce, 0x header, 0x mix] and maps the answers', async () => {
    const { client, pool, jobs } = await started();
    const nonce = Buffer.from(CHFAST2.nonce, 'hex');
    const mix = Buffer.from(CHFAST2.mix, 'hex');
    const a = client.submit(jobs[0]!, nonce, mix);
    expect(await pool.next()).toBe(`{"id":3,"method":"mining.submit","params":["${WORKER}","job-2","0x${CHFAST2.nonce}","${HEADER}","0x${CHFAST2.mix}"]}`);
    pool.send('{"id":3,"result":true,"error":null}');
    expect(await a).toEqual({ accepted: true });
    const b = client.submit(jobs[0]!, nonce, mix);
    await pool.next();
    pool.send('{"id":4,"result":null,"error":[23,"Low difficulty share",null]}');
    expect(await b).toEqual({ accepted: false, error: { code: 23, message: 'Low difficulty share' } });
  });

  it('answers the pool\'s client.get_version with the user agent', async () => {
    const { pool } = await started();
    pool.send('{"id":7,"method":"client.get_version","params":[]}');
    expect(await pool.next()).toBe('{"id":7,"result":"lode-miner/0.1.0","error":null}');
  });

  it('works end to end against PlainEthServerSession with a real share and an etchash job', async () => {
    const [minerEnd, poolEnd] = createLinePair();
    const handler = fakeClassicPool();
    const server = new PlainEthServerSession(new RpcPeer(poolEnd, classicCodec), handler, {});
    const client = new PlainEthClientSession(new RpcPeer(minerEnd, classicCodec), { userAgent: 'lode-miner/0.1.0', workerName: WORKER });
    opened.push({ close: () => client.close('test over') });
    const jobs: EthClassicClientJob[] = [];
    client.jobs$.subscribe((j) => jobs.push(j));
    server.sendJob(JOB2);
    await client.start();
    server.sendJob(JOB5M_ETC);
    await settle();
    expect(handler.subscribes).toEqual([{ dialect: 'plain', userAgent: 'lode-miner/0.1.0' }]);
    expect(jobs.map((j) => [j.jobId, j.algo])).toEqual([
      ['job-2', undefined],
      ['job-5m', 'etchash'],
    ]);
    expect(await client.submit(jobs[0]!, Buffer.from(CHFAST2.nonce, 'hex'), Buffer.from(CHFAST2.mix, 'hex'))).toEqual({ accepted: true });
    expect(handler.submits[0]).toMatchObject({ workerName: WORKER, jobId: 'job-2' });
    await client.reportHashrate(500_000_000n);
    expect(handler.hashrates).toEqual([{ workerName: WORKER, hashrate: 500_000_000n, id: client.hashrateId }]);
  });
});
