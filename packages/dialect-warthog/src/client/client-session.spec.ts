import { classicCodec, createLinePair, LodeError, RpcPeer } from '@lode/stratum-core';
import type { CloseInfo } from '@lode/stratum-core';
import type { WarthogReconnect } from '../messages';
import { H6, H6_JOB, H6_JOB_ID, H6_WORKER, LineProbe } from '../testing/wire.test-helper';
import type { WarthogClientJob } from './client-context';
import { WarthogClientSession } from './client-session';
import type { WarthogClientSessionOptions } from './client-session';

const SUBSCRIBE_RESULT = [[['mining.notify', '00000001']], '00000001', 6];
const opened: LineProbe[] = [];

/** A §6-H notify with the job id, version (as it goes on the wire) and clean flag replaced. */
function notify(jobId: string, version: unknown = '00000003', clean = false): object {
  return {
    id: null,
    method: 'mining.notify',
    params: [jobId, H6_JOB.prevHash, H6_JOB.merklePrefix, version, '0ae7cde7', '66f2fefb', clean],
  };
}

function setDifficulty(d: unknown): object {
  return { id: null, method: 'mining.set_difficulty', params: [d] };
}

function setup(options: WarthogClientSessionOptions = {}) {
  const [poolEnd, minerEnd] = createLinePair();
  const peer = new RpcPeer(minerEnd, classicCodec);
  const client = new WarthogClientSession(peer, { now: () => 1_727_200_000_000, ...options });
  const pool = new LineProbe(poolEnd);
  opened.push(pool);
  const jobs: WarthogClientJob[] = [];
  client.jobs$.subscribe((j) => jobs.push(j));
  return { client, pool, jobs, peer };
}

async function subscribed(options: WarthogClientSessionOptions = {}) {
  const ctx = setup(options);
  const sub = ctx.client.subscribe('janusminer/0.0.1');
  const req = await ctx.pool.nextJson();
  ctx.pool.send({ id: req.id, result: SUBSCRIBE_RESULT, error: null });
  await sub;
  return ctx;
}

async function authorized(options: WarthogClientSessionOptions = {}) {
  const ctx = await subscribed(options);
  const auth = ctx.client.authorize(H6_WORKER, 'x');
  expect(await ctx.pool.next()).toBe(H6.authorize);
  ctx.pool.send(H6.authorizeReply);
  await expect(auth).resolves.toBe(true);
  return ctx;
}

afterEach(() => {
  for (const p of opened.splice(0)) p.close();
});

describe('WarthogClientSession', () => {
  describe('when it plays janusminer in the session of facts/warthog.md §6-H', () => {
    it('sends the §6-H lines byte for byte and reads the pool lines', async () => {
      const { client, pool, jobs } = setup();
      const sub = client.subscribe('janusminer/0.0.1');
      expect(await pool.next()).toBe(H6.subscribe);
      pool.send(H6.subscribeReply);
      await expect(sub).resolves.toEqual({
        extranonce1: Buffer.from('00000001', 'hex'),
        extranonce2Size: 6,
        sessionId: '00000001',
      });

      const auth = client.authorize(H6_WORKER, 'x');
      expect(await pool.next()).toBe(H6.authorize);
      pool.send(H6.authorizeReply);
      await expect(auth).resolves.toBe(true);
      expect(client.workerName).toBe(H6_WORKER);

      pool.send(H6.setDifficulty);
      pool.send(H6.notify);
      await pool.barrier();
      expect(jobs).toEqual([{ params: H6_JOB, difficulty: 500000, receivedAt: 1_727_200_000_000 }]);

      const share = { jobId: H6_JOB_ID, extranonce2: Buffer.from('000000000002', 'hex'), ntime: 0x66f2fefb };
      const accepted = client.submit({ ...share, nonce: 0x00002df1 });
      expect(await pool.next()).toBe(H6.submit3);
      pool.send(H6.submit3Reply);
      await expect(accepted).resolves.toEqual({ accepted: true });

      const low = client.submit({ ...share, nonce: 0x00000456 });
      expect(await pool.next()).toBe(H6.submit4);
      pool.send(H6.submit4Reply);
      await expect(low).resolves.toEqual({ accepted: false, code: 23, message: 'low difficulty share' });
    });
  });

  describe('when it subscribes', () => {
    it('reads the node solo form [["mining.notify",""], en1, 6]', async () => {
      const { client, pool } = setup();
      const sub = client.subscribe('lode-miner/0.1.0');
      expect(await pool.next()).toBe('{"id":1,"method":"mining.subscribe","params":["lode-miner/0.1.0"]}');
      pool.send('{"id":1,"result":[["mining.notify",""],"0000002a",6],"error":null}');
      await expect(sub).resolves.toEqual({ extranonce1: Buffer.from('0000002a', 'hex'), extranonce2Size: 6, sessionId: '' });
      expect(client.subscription?.extranonce2Size).toBe(6);
    });

    it('asks to resume a session with the id as the second param', async () => {
      const { client, pool } = setup();
      void client.subscribe('lode-miner/0.1.0', '00000001').catch(() => undefined);
      expect(await pool.next()).toBe('{"id":1,"method":"mining.subscribe","params":["lode-miner/0.1.0","00000001"]}');
    });

    it('rejects with the pool code when the pool refuses, and on a result out of shape', async () => {
      const { client, pool } = setup();
      const refused = client.subscribe('lode-miner/0.1.0');
      await pool.next();
      pool.send('{"id":1,"result":null,"error":[20,"pool full",null]}');
      await expect(refused).rejects.toMatchObject({ kind: 'protocol', code: 20, message: 'pool full' });
      const bad = client.subscribe('lode-miner/0.1.0');
      await pool.next();
      pool.send('{"id":2,"result":[[], "xyz", 6],"error":null}');
      await expect(bad).rejects.toThrow("extranonce1 'xyz' is not hex bytes");
    });
  });

  describe('when the pool sends the job version', () => {
    it('reads it as an 8-digit hex string (current spec) and as a JSON number (shifupool)', async () => {
      const { pool, jobs } = await subscribed();
      pool.send(notify('hex', '00000003'));
      pool.send(notify('number', 2));
      await pool.barrier();
      expect(jobs.map((j) => [j.params.jobId, j.params.version])).toEqual([
        ['hex', 3],
        ['number', 2],
      ]);
    });

    it('drops a notify whose version is neither, and one with 6 params, counting them', async () => {
      const { client, pool, jobs } = await subscribed();
      pool.send(notify('short-hex', '0003'));
      pool.send(notify('float', 2.5));
      pool.send({ id: null, method: 'mining.notify', params: (notify('six') as { params: unknown[] }).params.slice(0, 6) });
      pool.send(notify('good'));
      await pool.barrier();
      expect(jobs.map((j) => j.params.jobId)).toEqual(['good']);
      expect(client.counters).toEqual({ jobs: 1, malformed: 3, unknownMethods: 1 });
    });
  });

  describe('when the pool changes the difficulty', () => {
    it('binds it to the next notify, not to the job already received (1 -> 500000 -> 0.5)', async () => {
      const { client, pool, jobs } = await subscribed();
      pool.send(notify('a', '00000003', true));
      pool.send(setDifficulty(500000));
      await pool.barrier(901);
      expect(jobs.map((j) => [j.params.jobId, j.difficulty])).toEqual([['a', 1]]);
      expect(client.difficulty).toBe(500000);

      pool.send(notify('b'));
      pool.send(setDifficulty(0.5));
      pool.send(notify('c'));
      pool.send(notify('d'));
      await pool.barrier(902);
      expect(jobs.map((j) => [j.params.jobId, j.difficulty])).toEqual([
        ['a', 1],
        ['b', 500000],
        ['c', 0.5],
        ['d', 0.5],
      ]);
    });

    it('keeps a decimal string, drops a difficulty that is not positive, and resets to 1 on subscribe', async () => {
      const { client, pool, jobs } = await subscribed();
      pool.send(setDifficulty('0.25'));
      pool.send(setDifficulty(0));
      pool.send(notify('a'));
      await pool.barrier(901);
      expect(jobs.map((j) => j.difficulty)).toEqual([0.25]);
      const again = client.subscribe('janusminer/0.0.1');
      const req = await pool.nextJson();
      expect(client.difficulty).toBe(1);
      pool.send({ id: req.id, result: SUBSCRIBE_RESULT, error: null });
      await again;
    });
  });

  describe('when it submits', () => {
    it('sends the older 5-parameter form with the authorized worker when legacySubmit is on', async () => {
      const { client, pool } = await authorized({ legacySubmit: true });
      const share = { jobId: H6_JOB_ID, extranonce2: Buffer.from('000000000002', 'hex'), ntime: 0x66f2fefb, nonce: 0x2df1 };
      const outcome = client.submit(share);
      expect(await pool.next()).toBe(
        `{"id":3,"method":"mining.submit","params":["${H6_WORKER}","${H6_JOB_ID}","000000000002","66f2fefb","00002df1"]}`,
      );
      pool.send('{"id":3,"result":true,"error":null}');
      await expect(outcome).resolves.toEqual({ accepted: true });
      void client.submit({ ...share, workerName: 'addr.rig9' }).catch(() => undefined);
      expect(((await pool.nextJson()).params as unknown[])[0]).toBe('addr.rig9');
    });

    it('refuses a legacy submit when no worker is known', async () => {
      const { client } = await subscribed({ legacySubmit: true });
      await expect(
        client.submit({ jobId: 'j', extranonce2: Buffer.alloc(6), ntime: 0, nonce: 0 }),
      ).rejects.toThrow(/legacySubmit names the worker/);
    });

    it('reports a stale share, a bare false and a refused authorize', async () => {
      const { client, pool } = await subscribed();
      const share = { jobId: 'old', extranonce2: Buffer.alloc(6), ntime: 0x66f2fefb, nonce: 1 };
      const stale = client.submit(share);
      const staleReq = await pool.nextJson();
      expect(staleReq.params).toEqual(['old', '000000000000', '66f2fefb', '00000001']);
      pool.send({ id: staleReq.id, result: null, error: [21, 'job not found (stale)', null] });
      await expect(stale).resolves.toEqual({ accepted: false, code: 21, message: 'job not found (stale)' });

      const bare = client.submit(share);
      const bareReq = await pool.nextJson();
      pool.send({ id: bareReq.id, result: false, error: null });
      await expect(bare).resolves.toEqual({ accepted: false, message: 'the pool answered false to mining.submit, expected true' });

      const auth = client.authorize('nobody', 'x');
      const authReq = await pool.nextJson();
      pool.send({ id: authReq.id, result: null, error: [24, 'unauthorized worker', null] });
      await expect(auth).resolves.toBe(false);
      expect(client.workerName).toBeUndefined();
    });

    it('refuses a nonce that is not a uint32 before sending', async () => {
      const { client, pool } = await subscribed();
      await expect(
        client.submit({ jobId: 'j', extranonce2: Buffer.alloc(6), ntime: 0, nonce: 2 ** 32 }),
      ).rejects.toThrow(LodeError);
      expect(await pool.barrier()).toEqual([]);
    });
  });

  describe('when the pool sends client.reconnect', () => {
    it('emits where to go on reconnect$', async () => {
      const { client, pool } = await subscribed();
      const seen: WarthogReconnect[] = [];
      client.reconnect$.subscribe((r) => seen.push(r));
      pool.send('{"id":null,"method":"client.reconnect","params":[]}');
      pool.send('{"id":null,"method":"client.reconnect","params":["wart.example.com","3456",5]}');
      pool.send('{"id":7,"method":"client.reconnect","params":["backup.example.com",3457]}');
      expect(await pool.next()).toBe('{"id":7,"result":true,"error":null}');
      expect(seen).toEqual([
        { waitSeconds: 0 },
        { host: 'wart.example.com', port: 3456, waitSeconds: 5 },
        { host: 'backup.example.com', port: 3457, waitSeconds: 0 },
      ]);
    });
  });

  describe('when the connection closes', () => {
    it('completes its streams and rejects a submit', async () => {
      const { client, pool } = await subscribed();
      let jobsDone = false;
      let reconnectDone = false;
      client.jobs$.subscribe({ complete: () => (jobsDone = true) });
      client.reconnect$.subscribe({ complete: () => (reconnectDone = true) });
      const closed = new Promise<CloseInfo>((resolve) => client.closed$.subscribe(resolve));
      pool.close();
      expect((await closed).byPeer).toBe(true);
      expect(jobsDone && reconnectDone).toBe(true);
      await expect(
        client.submit({ jobId: 'j', extranonce2: Buffer.alloc(6), ntime: 0, nonce: 0 }),
      ).rejects.toMatchObject({ kind: 'connection' });
    });
  });
});
