import { classicCodec, createLinePair, LodeError, RpcPeer } from '@lode/stratum-core';
import type { EthClassicClientJob, EthClassicClientSessionOptions } from '../classic/classic-contract';
import { LineProbe, settle } from '../testing/wire.test-helper';
import { Es1ClientSession } from './es1-client-session';

/** The NiceHash example session, facts/ethash.md §1.2. */
const NH = {
  sessionId: 'ae6812eb4cd7735a302a8a9dd95cf71f',
  extranonce: 'a2eea0',
  jobId: 'bf0488aa',
  seedHash: 'abad8f99f3918bf903c6a909d9bbc0fdfa5a2f4b9cb1196175ec825c6610126c',
  headerHash: 'fc12eb20c58158071c956316cdcd12a22dd8bf126ac4aee559f0ffe4df11f279',
  minerNonce: 'cfae7df760',
  nonce: 'a2eea0cfae7df760',
} as const;

/** ES1 difficulty 1 (facts/ethash.md §1.2). */
const DIFF1_TARGET = BigInt(`0x00000000ffff${'0'.repeat(52)}`);
const SUBSCRIBE_REPLY = `{"id":1,"result":[["mining.notify","${NH.sessionId}","EthereumStratum/1.0.0"],"${NH.extranonce}"],"error":null}`;
/** The spec's lines, as printed there (difficulty written 1.0). */
const SPEC_SET_DIFFICULTY = '{"id":null,"method":"mining.set_difficulty","params":[1.0]}';
const SPEC_NOTIFY = `{"id":null,"method":"mining.notify","params":["${NH.jobId}","${NH.seedHash}","${NH.headerHash}",true]}`;
const MIX = Buffer.alloc(32, 0x11);

const opened: LineProbe[] = [];
afterEach(() => {
  for (const o of opened.splice(0)) o.close();
});

function setup(options: Partial<EthClassicClientSessionOptions> = {}) {
  const [minerEnd, poolEnd] = createLinePair();
  const peer = new RpcPeer(minerEnd, classicCodec);
  const client = new Es1ClientSession(peer, { userAgent: 'EthereumMiner/1.0.0', workerName: 'test', password: 'password', ...options });
  const pool = new LineProbe(poolEnd);
  opened.push(pool);
  const jobs: EthClassicClientJob[] = [];
  client.jobs$.subscribe((j) => jobs.push(j));
  return { client, pool, jobs };
}

/** start() against the scripted pool; subscribe, extranonce.subscribe and authorize answered. */
async function started() {
  const ctx = setup();
  const start = ctx.client.start();
  expect(await ctx.pool.next()).toBe('{"id":1,"method":"mining.subscribe","params":["EthereumMiner/1.0.0","EthereumStratum/1.0.0"]}');
  ctx.pool.sendRaw(SUBSCRIBE_REPLY);
  expect(await ctx.pool.next()).toBe('{"id":2,"method":"mining.extranonce.subscribe","params":[]}');
  expect(await ctx.pool.next()).toBe('{"id":3,"method":"mining.authorize","params":["test","password"]}');
  ctx.pool.sendRaw('{"id":2,"result":true,"error":null}');
  ctx.pool.sendRaw('{"id":3,"result":true,"error":null}');
  const { extranonce } = await start;
  expect(extranonce.toString('hex')).toBe(NH.extranonce);
  return ctx;
}

const notify = (jobId: string, clean = false): string =>
  `{"id":null,"method":"mining.notify","params":["${jobId}","${NH.seedHash}","${NH.headerHash}",${clean}]}`;

describe('Es1ClientSession', () => {
  it('plays the NiceHash example session of facts/ethash.md §1.2 from the miner side', async () => {
    const { client, pool, jobs } = await started();
    expect(client.dialect).toBe('es1');
    expect(client.sessionId).toBe(NH.sessionId);
    pool.sendRaw(SPEC_SET_DIFFICULTY);
    pool.sendRaw(SPEC_NOTIFY);
    await settle();
    expect(jobs).toHaveLength(1);
    const job = jobs[0]!;
    expect(job).toMatchObject({ jobId: NH.jobId, seedHash: NH.seedHash, headerHash: NH.headerHash, clean: true, target: DIFF1_TARGET });
    expect(job.extranonce.toString('hex')).toBe(NH.extranonce);
    expect(job.algo).toBeUndefined();
    expect(job.height).toBeUndefined();

    const outcome = client.submit(job, Buffer.from(NH.nonce, 'hex'), MIX);
    expect(await pool.next()).toBe('{"id":4,"method":"mining.submit","params":["test","bf0488aa","cfae7df760"]}');
    pool.sendRaw('{"id":4,"result":true,"error":null}');
    expect(await outcome).toEqual({ accepted: true });
  });

  it('binds mining.set_difficulty to the next job (difficulty 1 before any)', async () => {
    const { pool, jobs } = await started();
    pool.sendRaw(notify('j1'));
    pool.sendRaw('{"id":null,"method":"mining.set_difficulty","params":[2]}');
    await settle();
    expect(jobs.map((j) => j.target)).toEqual([DIFF1_TARGET]);
    pool.sendRaw(notify('j2'));
    pool.sendRaw(notify('j3'));
    pool.sendRaw('{"id":null,"method":"mining.set_difficulty","params":[0.0005430825985877853]}');
    pool.sendRaw(notify('j4'));
    await settle();
    // 0xffff·2^208 / 2 = 000000007fff8 then zeros; GMiner's difficulty (issue #108) read as its decimal.
    const half = BigInt(`0x000000007fff8${'0'.repeat(51)}`);
    const gminer = (DIFF1_TARGET * 10n ** 19n) / 5430825985877853n;
    expect(jobs.map((j) => [j.jobId, j.target])).toEqual([
      ['j1', DIFF1_TARGET],
      ['j2', half],
      ['j3', half],
      ['j4', gminer],
    ]);
  });

  it('binds mining.set_extranonce to the next job and submits the nonce after it', async () => {
    const { client, pool, jobs } = await started();
    pool.sendRaw(notify('j1'));
    pool.sendRaw('{"id":null,"method":"mining.set_extranonce","params":["af4c"]}');
    pool.sendRaw(notify('j2'));
    await settle();
    expect(jobs.map((j) => j.extranonce.toString('hex'))).toEqual([NH.extranonce, 'af4c']);
    const outcome = client.submit(jobs[1]!, Buffer.from('af4c68765fccd712', 'hex'), MIX);
    expect(await pool.next()).toBe('{"id":4,"method":"mining.submit","params":["test","j2","68765fccd712"]}');
    pool.sendRaw('{"id":4,"result":true,"error":null}');
    expect(await outcome).toEqual({ accepted: true });
  });

  it('reads the ETChash hint from the job message\'s top-level "algo" member', async () => {
    const { pool, jobs } = await started();
    pool.sendRaw(`{"id":null,"method":"mining.notify","params":["etc1","${NH.seedHash}","${NH.headerHash}",true],"algo":"etchash"}`);
    pool.sendRaw(notify('eth2'));
    await settle();
    expect(jobs.map((j) => j.algo)).toEqual(['etchash', undefined]);
  });

  it("returns the pool's error for a rejected share", async () => {
    const { client, pool, jobs } = await started();
    pool.sendRaw(SPEC_NOTIFY);
    await settle();
    const outcome = client.submit(jobs[0]!, Buffer.from(NH.nonce, 'hex'), MIX);
    await pool.next();
    pool.sendRaw('{"id":4,"result":null,"error":[23,"Low difficulty share",null]}');
    expect(await outcome).toEqual({ accepted: false, error: { code: 23, message: 'Low difficulty share' } });
  });

  it("refuses to submit a nonce that does not start with the job's extranonce", async () => {
    const { client, pool, jobs } = await started();
    pool.sendRaw(SPEC_NOTIFY);
    await settle();
    await expect(client.submit(jobs[0]!, Buffer.from('00112233cfae7df7', 'hex'), MIX)).rejects.toThrow(
      'nonce 00112233cfae7df7 does not start with job "bf0488aa"\'s extranonce a2eea0',
    );
  });

  it('throws LodeError("protocol") when the pool echoes another protocol string', async () => {
    const { client, pool } = setup();
    const start = client.start();
    await pool.next();
    pool.sendRaw(`{"id":1,"result":[["mining.notify","${NH.sessionId}","EthereumStratum/2.0.0"],"a2eea0"],"error":null}`);
    const err: unknown = await start.catch((e: unknown) => e);
    expect(LodeError.is(err, 'protocol')).toBe(true);
    expect((err as Error).message).toBe('mining.subscribe answered protocol "EthereumStratum/2.0.0", expected "EthereumStratum/1.0.0" (the pool does not speak ES1)');
  });

  it('throws LodeError("protocol") when the pool refuses the worker, and ignores a refused extranonce.subscribe', async () => {
    const { client, pool } = setup();
    const start = client.start();
    await pool.next();
    pool.sendRaw(SUBSCRIBE_REPLY);
    await pool.next();
    await pool.next();
    pool.sendRaw('{"id":2,"result":null,"error":[20,"Unknown method",null]}');
    pool.sendRaw('{"id":3,"result":null,"error":[24,"Unauthorized worker",null]}');
    const err: unknown = await start.catch((e: unknown) => e);
    expect(LodeError.is(err, 'protocol')).toBe(true);
    expect((err as LodeError).code).toBe(24);
    expect((err as Error).message).toBe('the pool refused worker "test": Unauthorized worker');
  });

  it('reports the hashrate as eth_submitHashrate with 32-byte hex values', async () => {
    const { client, pool } = await started();
    const report = client.reportHashrate(500_000_000n);
    const msg = await pool.nextJson();
    expect(msg['method']).toBe('eth_submitHashrate');
    const [rate, id] = msg['params'] as [string, string];
    expect(rate).toBe(`0x${'0'.repeat(56)}1dcd6500`);
    expect(id).toMatch(/^0x[0-9a-f]{64}$/);
    pool.sendRaw(`{"id":${String(msg['id'])},"result":true,"error":null}`);
    await report;
  });

  it('drops a malformed job and keeps going', async () => {
    const { client, pool, jobs } = await started();
    pool.sendRaw('{"id":null,"method":"mining.notify","params":["j1","nothex","x",true]}');
    pool.sendRaw(notify('j2'));
    await settle();
    expect(jobs.map((j) => j.jobId)).toEqual(['j2']);
    expect(client.counters).toEqual({ jobs: 1, malformed: 1, unknownMethods: 0 });
  });

  it('completes jobs$ and closed$ when the pool closes', async () => {
    const { client, pool } = await started();
    let completed = false;
    client.jobs$.subscribe({ complete: () => (completed = true) });
    pool.close();
    await settle();
    expect(completed).toBe(true);
    expect(client.isClosed).toBe(true);
  });
});
