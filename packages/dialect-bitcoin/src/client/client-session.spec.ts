import { classicCodec, createLinePair, LodeError, RpcPeer } from '@lode/stratum-core';
import type { CloseInfo, LineTransport } from '@lode/stratum-core';
import type { ExtranonceUpdate, ReconnectRequest } from '../messages';
import type { ClientJob } from './client-context';
import { BitcoinClientSession } from './client-session';
import type { BitcoinClientSessionOptions } from './client-session';

/** The pool's end of the wire: raw lines out, raw lines in, so the format is asserted literally. */
class LineProbe {
  private readonly buffered: string[] = [];
  private readonly waiters: Array<(line: string) => void> = [];

  constructor(private readonly transport: LineTransport) {
    transport.lines$.subscribe((line) => {
      const w = this.waiters.shift();
      if (w) w(line);
      else this.buffered.push(line);
    });
  }

  send(message: string | object): void {
    this.transport.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  next(): Promise<string> {
    const line = this.buffered.shift();
    return line !== undefined ? Promise.resolve(line) : new Promise((resolve) => this.waiters.push(resolve));
  }

  async nextJson(): Promise<{ id: unknown; method?: string; params?: unknown[]; result?: unknown; error?: unknown }> {
    return JSON.parse(await this.next());
  }

  /** Pings the miner; once the pong is back, every line sent before it has been handled. */
  async barrier(id = 900): Promise<void> {
    this.send({ id, method: 'mining.ping', params: [] });
    expect(await this.next()).toBe(`{"id":${id},"result":"pong","error":null}`);
  }

  close(): void {
    this.transport.close('test over');
  }
}

/** Block 125552 in stratum form (facts/bitcoin-stratum.md, "Test vectors"). */
function notify(jobId: string, clean = false): object {
  return {
    id: null,
    method: 'mining.notify',
    params: [
      jobId,
      'ab02cd818b9e567ee21793cddef299feb29ad444a41b85b8000008a300000000',
      '01000000010000',
      'ffffffff00',
      [],
      '00000001',
      '1a44b9f2',
      '4dd7f5c7',
      clean,
    ],
  };
}

function setDifficulty(d: unknown): object {
  return { id: null, method: 'mining.set_difficulty', params: [d] };
}

const SUBSCRIBE_RESULT = [[['mining.set_difficulty', 's1'], ['mining.notify', 's1']], '08000002', 4];
const opened: LineProbe[] = [];

function setup(options: Partial<BitcoinClientSessionOptions> = {}) {
  const [poolEnd, minerEnd] = createLinePair();
  const peer = new RpcPeer(minerEnd, classicCodec);
  const client = new BitcoinClientSession(peer, { userAgent: 'lode-test/1.0', now: () => 1_700_000_000_000, ...options });
  const pool = new LineProbe(poolEnd);
  opened.push(pool);
  const jobs: ClientJob[] = [];
  client.jobs$.subscribe((j) => jobs.push(j));
  return { client, pool, jobs, peer };
}

async function subscribed(options: Partial<BitcoinClientSessionOptions> = {}) {
  const ctx = setup(options);
  const sub = ctx.client.subscribe();
  const req = await ctx.pool.nextJson();
  ctx.pool.send({ id: req.id, result: SUBSCRIBE_RESULT, error: null });
  await sub;
  return ctx;
}

afterEach(() => {
  for (const p of opened.splice(0)) p.close();
});

describe('BitcoinClientSession', () => {
  describe('when it subscribes', () => {
    it('sends its user agent and reads the extranonce and session id', async () => {
      const { client, pool, jobs } = setup();
      const sub = client.subscribe();
      expect(await pool.next()).toBe('{"id":1,"method":"mining.subscribe","params":["lode-test/1.0"]}');
      pool.send({ id: 1, result: SUBSCRIBE_RESULT, error: null });
      pool.send(setDifficulty(8));
      pool.send(notify('j1', true));
      const result = await sub;
      expect(result.extranonce1.toString('hex')).toBe('08000002');
      expect(result.extranonce2Size).toBe(4);
      expect(result.sessionId).toBe('s1');
      await pool.barrier();
      expect(jobs).toHaveLength(1);
      expect(jobs[0].difficulty).toBe(8);
      expect(jobs[0].receivedAt).toBe(1_700_000_000_000);
      expect(jobs[0].params).toEqual({
        jobId: 'j1',
        prevhash: 'ab02cd818b9e567ee21793cddef299feb29ad444a41b85b8000008a300000000',
        coinb1: '01000000010000',
        coinb2: 'ffffffff00',
        merkleBranches: [],
        version: 1,
        nbits: 0x1a44b9f2,
        ntime: 0x4dd7f5c7,
        cleanJobs: true,
      });
    });

    it('asks to resume a session with the id as the second param', async () => {
      const { client, pool } = setup();
      void client.subscribe('s1').catch(() => undefined);
      expect(await pool.next()).toBe('{"id":1,"method":"mining.subscribe","params":["lode-test/1.0","s1"]}');
    });

    it('rejects with the pool code when the pool refuses', async () => {
      const { client, pool } = setup();
      const sub = client.subscribe();
      await pool.next();
      pool.send('{"id":1,"result":null,"error":[20,"pool full",null]}');
      await expect(sub).rejects.toMatchObject({ kind: 'protocol', code: 20, message: 'pool full' });
    });
  });

  describe('when the pool changes the difficulty', () => {
    it('stages it for the next notify, up and down, and each job keeps its own (1 -> 8 -> 0.5)', async () => {
      const { client, pool, jobs } = await subscribed();
      pool.send(notify('a', true));
      pool.send(setDifficulty(8));
      await pool.barrier(901);
      expect(jobs.map((j) => [j.params.jobId, j.difficulty])).toEqual([['a', 1]]);
      expect(client.difficulty).toBe(8);

      pool.send(notify('b'));
      pool.send(setDifficulty(0.5));
      await pool.barrier(902);
      expect(jobs.map((j) => [j.params.jobId, j.difficulty])).toEqual([
        ['a', 1],
        ['b', 8],
      ]);

      pool.send(notify('c'));
      pool.send(notify('d'));
      await pool.barrier(903);
      expect(jobs.map((j) => [j.params.jobId, j.difficulty])).toEqual([
        ['a', 1],
        ['b', 8],
        ['c', 0.5],
        ['d', 0.5],
      ]);
    });

    it('keeps fractions and reads a decimal string', async () => {
      const { pool, jobs } = await subscribed();
      pool.send(setDifficulty(0.001));
      pool.send(notify('a'));
      pool.send(setDifficulty('0.25'));
      pool.send(notify('b'));
      await pool.barrier();
      expect(jobs.map((j) => j.difficulty)).toEqual([0.001, 0.25]);
    });

    it('goes back to 1 on a new subscribe', async () => {
      const { client, pool, jobs } = await subscribed();
      pool.send(setDifficulty(8));
      await pool.barrier(901);
      const again = client.subscribe();
      const req = await pool.nextJson();
      expect(client.difficulty).toBe(1);
      pool.send({ id: req.id, result: SUBSCRIBE_RESULT, error: null });
      pool.send(notify('a', true));
      await again;
      await pool.barrier(902);
      expect(jobs.map((j) => j.difficulty)).toEqual([1]);
    });
  });

  describe('when the pool sends something malformed', () => {
    it('counts and drops it instead of throwing, and stays up', async () => {
      const { client, pool, jobs } = await subscribed();
      pool.send(setDifficulty(4));
      pool.send({ id: null, method: 'mining.notify', params: (notify('short') as { params: unknown[] }).params.slice(0, 8) });
      const badPrevhash = [...(notify('bad') as { params: unknown[] }).params];
      badPrevhash[1] = 'zz';
      pool.send({ id: null, method: 'mining.notify', params: badPrevhash });
      pool.send(setDifficulty('abc'));
      pool.send(setDifficulty(-1));
      pool.send('{"id":null,"method":');
      pool.send({ id: null, method: 'mining.set_goal', params: ['sha256d'] });
      await pool.barrier();
      expect(jobs).toEqual([]);
      expect(client.difficulty).toBe(4);
      expect(client.counters).toEqual({ jobs: 0, malformed: 5, unknownMethods: 1 });

      pool.send(notify('ok'));
      await pool.barrier(901);
      expect(jobs.map((j) => [j.params.jobId, j.difficulty])).toEqual([['ok', 4]]);
    });

    it('answers a malformed request with -32602', async () => {
      const { pool } = await subscribed();
      pool.send({ id: 5, method: 'mining.set_difficulty', params: [] });
      expect(await pool.next()).toBe(
        '{"id":5,"result":null,"error":[-32602,"mining.set_difficulty takes a positive difficulty, got \'undefined\'",null]}',
      );
    });
  });

  describe('when the pool asks something', () => {
    it('answers client.get_version with the user agent and mining.ping with pong', async () => {
      const { pool } = await subscribed();
      pool.send('{"id":7,"method":"client.get_version","params":[]}');
      expect(await pool.next()).toBe('{"id":7,"result":"lode-test/1.0","error":null}');
      pool.send('{"id":8,"method":"mining.ping","params":[]}');
      expect(await pool.next()).toBe('{"id":8,"result":"pong","error":null}');
    });

    it('answers an unknown method with -32601', async () => {
      const { pool, client } = await subscribed();
      pool.send({ id: 9, method: 'client.foo', params: [] });
      expect(await pool.next()).toBe('{"id":9,"result":null,"error":[-32601,"unknown method \'client.foo\'",null]}');
      expect(client.counters.unknownMethods).toBe(1);
    });

    it('answers true to notify-type methods sent as requests, and acts on them', async () => {
      const { pool, client, jobs } = await subscribed();
      const reconnects: ReconnectRequest[] = [];
      const messages: string[] = [];
      client.reconnect$.subscribe((r) => reconnects.push(r));
      client.messages$.subscribe((m) => messages.push(m));
      pool.send({ id: 10, method: 'client.reconnect', params: ['pool2.example.com', '3334', 10] });
      expect(await pool.next()).toBe('{"id":10,"result":true,"error":null}');
      pool.send({ id: 11, method: 'client.show_message', params: ['hello'] });
      expect(await pool.next()).toBe('{"id":11,"result":true,"error":null}');
      pool.send({ ...notify('r1'), id: 12 });
      expect(await pool.next()).toBe('{"id":12,"result":true,"error":null}');
      expect(reconnects).toEqual([{ host: 'pool2.example.com', port: 3334, waitSeconds: 10 }]);
      expect(messages).toEqual(['hello']);
      expect(jobs.map((j) => j.params.jobId)).toEqual(['r1']);
    });

    it('emits reconnect notifications, a bare one meaning the same place now', async () => {
      const { pool, client } = await subscribed();
      const reconnects: ReconnectRequest[] = [];
      client.reconnect$.subscribe((r) => reconnects.push(r));
      pool.send({ id: null, method: 'client.reconnect', params: [] });
      pool.send({ id: null, method: 'client.reconnect', params: ['h.example', 4444] });
      await pool.barrier();
      expect(reconnects).toEqual([{ waitSeconds: 0 }, { host: 'h.example', port: 4444, waitSeconds: 0 }]);
    });
  });

  describe('when it submits a share', () => {
    const share = {
      workerName: 'alice.rig1',
      jobId: 'j1',
      extranonce2: Buffer.from('00000001', 'hex'),
      ntime: 0x4dd7f5c7,
      nonce: 0x9546a142,
    };

    it('sends 5 params in stratum hex and resolves on true', async () => {
      const { client, pool } = await subscribed();
      const done = client.submit(share);
      expect(await pool.next()).toBe(
        '{"id":2,"method":"mining.submit","params":["alice.rig1","j1","00000001","4dd7f5c7","9546a142"]}',
      );
      pool.send('{"id":2,"result":true,"error":null}');
      await expect(done).resolves.toBeUndefined();
    });

    it('sends version bits as a 6th param', async () => {
      const { client, pool } = await subscribed();
      void client.submit({ ...share, versionBits: 0x1fffe000 }).catch(() => undefined);
      expect((await pool.nextJson()).params).toEqual(['alice.rig1', 'j1', '00000001', '4dd7f5c7', '9546a142', '1fffe000']);
    });

    it('rejects with LodeError share carrying the pool code and message', async () => {
      const { client, pool } = await subscribed();
      const done = client.submit(share);
      await pool.next();
      pool.send('{"id":2,"result":null,"error":[21,"Job not found",null]}');
      const err: unknown = await done.catch((e: unknown) => e);
      expect(LodeError.is(err, 'share')).toBe(true);
      expect(err).toMatchObject({ code: 21, message: 'Job not found' });
    });

    it('rejects when the pool answers false without an error', async () => {
      const { client, pool } = await subscribed();
      const done = client.submit(share);
      await pool.next();
      pool.send('{"id":2,"result":false,"error":null}');
      await expect(done).rejects.toMatchObject({ kind: 'share', message: /answered false/ });
    });
  });

  describe('when it authorizes and asks for extensions', () => {
    it('reads true, false and an error 24 as booleans', async () => {
      const { client, pool } = await subscribed();
      const a = client.authorize('alice.rig1', 'x');
      expect(await pool.next()).toBe('{"id":2,"method":"mining.authorize","params":["alice.rig1","x"]}');
      pool.send('{"id":2,"result":true,"error":null}');
      await expect(a).resolves.toBe(true);
      const b = client.authorize('bob', 'x');
      await pool.next();
      pool.send('{"id":3,"result":false,"error":null}');
      await expect(b).resolves.toBe(false);
      const c = client.authorize('eve', 'x');
      await pool.next();
      pool.send('{"id":4,"result":null,"error":[24,"Unauthorized worker",null]}');
      await expect(c).resolves.toBe(false);
    });

    it('reports extranonce.subscribe true, false on an error, false on silence', async () => {
      const { client, pool } = await subscribed({ optionalAnswerTimeoutMs: 20 });
      const yes = client.extranonceSubscribe();
      expect(await pool.next()).toBe('{"id":2,"method":"mining.extranonce.subscribe","params":[]}');
      pool.send('{"id":2,"result":true,"error":null}');
      await expect(yes).resolves.toBe(true);
      const refused = client.extranonceSubscribe();
      await pool.next();
      pool.send('{"id":3,"result":null,"error":[-32601,"unknown method \'mining.extranonce.subscribe\'",null]}');
      await expect(refused).resolves.toBe(false);
      const silent = client.extranonceSubscribe();
      await pool.next();
      await expect(silent).resolves.toBe(false);
    });

    it('follows set_extranonce', async () => {
      const { client, pool } = await subscribed();
      const updates: ExtranonceUpdate[] = [];
      client.extranonce$.subscribe((u) => updates.push(u));
      pool.send({ id: null, method: 'mining.set_extranonce', params: ['0a0b0c0d', 6] });
      await pool.barrier();
      expect(updates).toEqual([{ extranonce1: Buffer.from('0a0b0c0d', 'hex'), extranonce2Size: 6 }]);
      expect(client.subscription?.extranonce1.toString('hex')).toBe('0a0b0c0d');
      expect(client.subscription?.extranonce2Size).toBe(6);
      expect(client.subscription?.sessionId).toBe('s1');
    });

    it('suggests a fractional difficulty as a JSON number and resolves on silence', async () => {
      const { client, pool } = await subscribed({ optionalAnswerTimeoutMs: 20 });
      const answered = client.suggestDifficulty(0.001);
      expect(await pool.next()).toBe('{"id":2,"method":"mining.suggest_difficulty","params":[0.001]}');
      pool.send('{"id":2,"result":true,"error":null}');
      await expect(answered).resolves.toBeUndefined();
      const silent = client.suggestDifficulty(1000);
      await pool.next();
      await expect(silent).resolves.toBeUndefined();
      await expect(client.suggestDifficulty(0)).rejects.toThrow(/not a finite number > 0/);
    });
  });

  describe('when the connection closes', () => {
    it('completes every stream and rejects what is pending', async () => {
      const { client, pool } = await subscribed();
      const completed: string[] = [];
      client.jobs$.subscribe({ complete: () => completed.push('jobs') });
      client.extranonce$.subscribe({ complete: () => completed.push('extranonce') });
      client.reconnect$.subscribe({ complete: () => completed.push('reconnect') });
      client.messages$.subscribe({ complete: () => completed.push('messages') });
      const closed = new Promise<CloseInfo>((resolve) => client.closed$.subscribe(resolve));
      const pending = client.authorize('alice', 'x');
      await pool.next();
      pool.close();
      expect((await closed).byPeer).toBe(true);
      await expect(pending).rejects.toMatchObject({ kind: 'connection' });
      expect(completed).toEqual(['jobs', 'extranonce', 'reconnect', 'messages']);
    });
  });
});
