import { createLinePair, eip1571Codec, LodeError, RpcPeer } from '@lode/stratum-core';
import type { Eip1571Params, RpcPeerOptions } from '@lode/stratum-core';
import { LineProbe, settle, SPEC } from '../testing/wire.test-helper';
import type { EthClientJob } from './client-context';
import { EthStratumClientSession } from './client-session';
import type { EthStratumClientSessionOptions } from './client-session';

const NODE = 'Geth/v1.13.15-stable/linux-amd64/go1.21.6';
const helloReply = (id: number, members: Record<string, string> = {}) =>
  JSON.stringify({
    id,
    result: { proto: 'EthereumStratum/2.0.0', encoding: 'plain', resume: '1', timeout: 'b4', maxerrors: '5', node: NODE, ...members },
  });

/** The spec's default boundary, 0x00000000ffff0000...0000 (specs/003_fafafa51dc5fa36a.txt "Prepare for mining"). */
const SPEC_DEFAULT_TARGET = BigInt('0x00000000ffff0000000000000000000000000000000000000000000000000000');

const opened: Array<{ close(): void }> = [];

afterEach(() => {
  for (const o of opened.splice(0)) o.close();
  jest.useRealTimers();
});

function setup(options: EthStratumClientSessionOptions = {}, peerOptions: RpcPeerOptions = {}) {
  const [minerEnd, poolEnd] = createLinePair();
  const peer = new RpcPeer<Eip1571Params>(minerEnd, eip1571Codec, { firstRequestId: 0, maxRequestId: 65535, ...peerOptions });
  const client = new EthStratumClientSession(peer, options);
  const pool = new LineProbe(poolEnd);
  opened.push(pool);
  const jobs: EthClientJob[] = [];
  const errors: LodeError[] = [];
  client.jobs$.subscribe((j) => jobs.push(j));
  client.errors$.subscribe((e) => errors.push(e));
  return { client, pool, jobs, errors };
}

/** hello (id 0) answered with `members`, subscribe (id 1) answered "s-1". */
async function subscribed(options: EthStratumClientSessionOptions = {}, members: Record<string, string> = {}) {
  const ctx = setup(options);
  const hello = ctx.client.hello({ agent: 'lode-miner/0.1.0', host: 'eth.pool.example', port: 3333 });
  await ctx.pool.next();
  ctx.pool.send(helloReply(0, members));
  await hello;
  const sub = ctx.client.subscribe();
  expect(await ctx.pool.next()).toBe('{"id":1,"method":"mining.subscribe"}');
  ctx.pool.send('{"id":1,"result":"s-1"}');
  expect(await sub).toEqual({ sessionId: 's-1', resumed: false });
  return ctx;
}

describe('EthStratumClientSession', () => {
  describe('when it says hello', () => {
    it('sends the hello object with the port in hex and id 0, and reads all six members of the reply', async () => {
      const { client, pool } = setup();
      const hello = client.hello({ agent: 'lode-miner/0.1.0', host: 'eth.pool.example', port: 1234 });
      expect(await pool.next()).toBe(
        '{"id":0,"method":"mining.hello","params":{"agent":"lode-miner/0.1.0","host":"eth.pool.example","port":"4d2","proto":"EthereumStratum/2.0.0"}}',
      );
      pool.send(helloReply(0));
      expect(await hello).toEqual({
        proto: 'EthereumStratum/2.0.0',
        encoding: 'plain',
        resume: true,
        timeoutSeconds: 180,
        maxErrors: 5,
        node: NODE,
      });
    });

    it('rejects a reply that lacks one of the six members (ethminer does too)', async () => {
      const { client, pool } = setup();
      const hello = client.hello({ agent: 'lode-miner/0.1.0', host: 'h', port: 1234 });
      await pool.next();
      pool.send('{"id":0,"result":{"proto":"EthereumStratum/2.0.0","encoding":"plain","resume":"1","timeout":"b4","maxerrors":"5"}}');
      await expect(hello).rejects.toThrow('mining.hello result lacks "node"');
    });

    it('rejects a reply with another proto, and an error reply with its code', async () => {
      const a = setup();
      const hello = a.client.hello({ agent: 'm', host: 'h', port: 1234 });
      await a.pool.next();
      a.pool.send(helloReply(0, { proto: 'EthereumStratum/1.0.0' }));
      await expect(hello).rejects.toThrow('mining.hello result proto is "EthereumStratum/1.0.0", expected "EthereumStratum/2.0.0"');

      const b = setup();
      const refused = b.client.hello({ agent: 'm', host: 'h', port: 1234 });
      await b.pool.next();
      b.pool.send('{"id":0,"error":{"code":400,"message":"Bad protocol request"}}');
      await expect(refused).rejects.toMatchObject({ kind: 'protocol', code: 400, message: 'Bad protocol request' });
    });

    it('switches to gzip + base64 lines when the pool says "gzip"', async () => {
      const { client, pool } = setup();
      const hello = client.hello({ agent: 'm', host: 'h', port: 1234 });
      await pool.next();
      pool.send(helloReply(0, { encoding: 'gzip' }));
      await hello;
      pool.useGzip();
      const sub = client.subscribe();
      expect(await pool.next()).toBe('{"id":1,"method":"mining.subscribe"}');
      pool.send('{"id":1,"result":"s-1"}');
      expect(await sub).toEqual({ sessionId: 's-1', resumed: false });
    });
  });

  describe('when it subscribes', () => {
    it('sends the session id to resume and reports whether the pool resumed it', async () => {
      const { client, pool } = setup();
      const hello = client.hello({ agent: 'm', host: 'h', port: 1234 });
      await pool.next();
      pool.send(helloReply(0));
      await hello;
      const resumed = client.subscribe('s-42');
      expect(await pool.next()).toBe('{"id":1,"method":"mining.subscribe","params":"s-42"}');
      pool.send('{"id":1,"result":"s-42"}');
      expect(await resumed).toEqual({ sessionId: 's-42', resumed: true });
    });

    it('keeps the previous session\'s values on resume, and drops them when the pool starts a new session', async () => {
      const previous = { epoch: 7, target: 0xffn << 200n, algo: 'ethash', extranonce: Buffer.from('0102', 'hex') };
      const a = setup();
      const hello = a.client.hello({ agent: 'm', host: 'h', port: 1234 });
      await a.pool.next();
      a.pool.send(helloReply(0));
      await hello;
      const sub = a.client.subscribe('s-42', previous);
      await a.pool.next();
      a.pool.send('{"id":1,"result":"s-42"}');
      await sub;
      expect(a.client.staged).toEqual(previous);

      const b = setup();
      const helloB = b.client.hello({ agent: 'm', host: 'h', port: 1234 });
      await b.pool.next();
      b.pool.send(helloReply(0));
      await helloB;
      const subB = b.client.subscribe('s-42', previous);
      await b.pool.next();
      b.pool.send('{"id":1,"result":"s-43"}');
      expect(await subB).toEqual({ sessionId: 's-43', resumed: false });
      expect(b.client.staged).toEqual({ target: SPEC_DEFAULT_TARGET, algo: 'ethash', extranonce: Buffer.alloc(0) });
    });
  });

  describe('when it authorizes workers', () => {
    it('returns the token, and throws the pool\'s 303 when refused', async () => {
      const { client, pool } = await subscribed();
      const token = client.authorize('alice.rig1', 'x');
      expect(await pool.next()).toBe('{"id":2,"method":"mining.authorize","params":["alice.rig1","x"]}');
      pool.send('{"id":2,"result":"w-1"}');
      expect(await token).toBe('w-1');
      const refused = client.authorize('mallory', 'x');
      await pool.next();
      pool.send('{"id":3,"error":{"code":303,"message":"Worker not authorized"}}');
      await expect(refused).rejects.toMatchObject({ kind: 'protocol', code: 303 });
    });
  });

  describe('when the pool sends mining.set and mining.notify', () => {
    it('binds each job to the values set before it, left-padding the target', async () => {
      const { pool, jobs } = await subscribed();
      pool.send(`{"method":"mining.set","params":{"epoch":"dc","target":"${SPEC.targetHex}","algo":"ethash","extranonce":"af4c"}}`);
      pool.send(`{"method":"mining.notify","params":["bf0488aa","6526d5","${SPEC.headerHash}","0"]}`);
      pool.send('{"method":"mining.set","params":{"target":"ffff0000000000000000000000000000000000000000000000000000","extranonce":""}}');
      pool.send(`{"method":"mining.notify","params":["bf0488ab","6526d6","${SPEC.headerHash}","1"]}`);
      await settle();
      expect(jobs).toEqual([
        {
          jobId: 'bf0488aa',
          height: 6629077,
          headerHash: SPEC.headerHash,
          clean: false,
          epoch: 220,
          algo: 'ethash',
          target: BigInt(`0x${SPEC.targetHex}`),
          extranonce: Buffer.from('af4c', 'hex'),
        },
        {
          jobId: 'bf0488ab',
          height: 6629078,
          headerHash: SPEC.headerHash,
          clean: true,
          epoch: 220,
          algo: 'ethash',
          target: SPEC_DEFAULT_TARGET,
          extranonce: Buffer.alloc(0),
        },
      ]);
    });

    it('uses the spec\'s defaults for what was never set: boundary 00000000ffff0000..., "ethash", no extranonce', async () => {
      const { pool, jobs } = await subscribed();
      pool.send('{"method":"mining.set","params":{"epoch":"0"}}');
      pool.send(`{"method":"mining.notify","params":["j1","1","${SPEC.headerHash}","1"]}`);
      await settle();
      expect(jobs).toHaveLength(1);
      expect(jobs[0]).toMatchObject({ epoch: 0, algo: 'ethash', target: SPEC_DEFAULT_TARGET, extranonce: Buffer.alloc(0) });
    });

    it('reports a job before any epoch on errors$ and skips it', async () => {
      const { pool, jobs, errors, client } = await subscribed();
      pool.send(`{"method":"mining.notify","params":["j1","1","${SPEC.headerHash}","1"]}`);
      await settle();
      expect(jobs).toEqual([]);
      expect(errors.map((e) => e.message)).toEqual(['mining.notify job j1 arrived before any mining.set epoch; the job is skipped']);
      expect(client.counters.malformed).toBe(1);
    });

    it('applies nothing from a mining.set with one bad member', async () => {
      const { pool, client, errors } = await subscribed();
      pool.send('{"method":"mining.set","params":{"epoch":"dc","extranonce":"01020304050607"}}');
      await settle();
      expect(errors.map((e) => e.message)).toEqual(['mining.set extranonce is 7 bytes, at most 6 allowed']);
      expect(client.staged.epoch).toBeUndefined();
    });
  });

  describe('when it submits a share', () => {
    it('sends [jobId, miner nonce hex, token] and reads {"id":n} as accepted, 2xx as stale, others as rejected', async () => {
      const { client, pool } = await subscribed();
      const ok = client.submit(SPEC.jobId, Buffer.from(SPEC.minerNonce, 'hex'), 'w-123');
      expect(await pool.next()).toBe(`{"id":2,"method":"mining.submit","params":["${SPEC.jobId}","${SPEC.minerNonce}","w-123"]}`);
      pool.send('{"id":2}');
      expect(await ok).toEqual({ accepted: true, stale: false });

      const stale = client.submit(SPEC.jobId, Buffer.from(SPEC.minerNonce, 'hex'), 'w-123');
      await pool.next();
      pool.send('{"id":3,"error":{"code":202,"message":"Stale"}}');
      expect(await stale).toEqual({ accepted: true, stale: true, code: 202, message: 'Stale' });

      const bad = client.submit(SPEC.jobId, Buffer.from(SPEC.minerNonce, 'hex'), 'w-123');
      await pool.next();
      pool.send('{"id":4,"error":{"code":406,"message":"Bad nonce"}}');
      expect(await bad).toEqual({ accepted: false, stale: false, code: 406, message: 'Bad nonce' });
    });

    it('refuses a miner nonce longer than 8 bytes without sending it', async () => {
      const { client } = await subscribed();
      await expect(client.submit('j', Buffer.alloc(9), 'w-1')).rejects.toThrow('miner nonce must be 1..8 bytes');
    });
  });

  describe('when it reports its hashrate', () => {
    it('sends the compact hex and returns the pool\'s figure when it answers one', async () => {
      const { client, pool } = await subscribed();
      const bare = client.reportHashrate(0x500000n, 'w-123');
      expect(await pool.next()).toBe('{"id":2,"method":"mining.hashrate","params":["500000","w-123"]}');
      pool.send('{"id":2}');
      expect(await bare).toBeUndefined();
      const figure = client.reportHashrate(0x500000n, 'w-123');
      await pool.next();
      pool.send('{"id":3,"result":["4f0000","w-123"]}');
      expect(await figure).toBe(0x4f0000n);
      const limited = client.reportHashrate(0x500000n, 'w-123');
      await pool.next();
      pool.send('{"id":4,"error":{"code":220,"message":"Enhance your calm. Too many requests"}}');
      await expect(limited).rejects.toMatchObject({ code: 220 });
    });
  });

  describe('when nothing was sent for a while', () => {
    it('sends mining.noop at timeout - 5 s (ethminer\'s keepalive), and again after each quiet period', async () => {
      jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
      const { pool, client } = await subscribed({}, { timeout: '14' });
      jest.advanceTimersByTime(14_999);
      await settle();
      expect(pool.buffered).toEqual([]);
      jest.advanceTimersByTime(1);
      expect(await pool.next()).toBe('{"id":2,"method":"mining.noop"}');
      pool.send('{"id":2}');
      jest.advanceTimersByTime(15_000);
      expect(await pool.next()).toBe('{"id":3,"method":"mining.noop"}');
      expect(client.counters.keepalives).toBe(2);
    });
  });

  describe('when the pool sends reconnect, hashrate or bye', () => {
    it('emits mining.reconnect with the port as a number', async () => {
      const { client, pool } = await subscribed();
      const seen: unknown[] = [];
      client.reconnect$.subscribe((r) => seen.push(r));
      pool.send(`{"method":"mining.reconnect","params":{"host":"someotherhost.com","port":"${SPEC.reconnectPortHex}","resume":"1"}}`);
      await settle();
      expect(seen).toEqual([{ host: 'someotherhost.com', port: 3456, resume: true }]);
    });

    it('emits the pool\'s hashrate notification', async () => {
      const { client, pool } = await subscribed();
      const seen: unknown[] = [];
      client.hashrate$.subscribe((r) => seen.push(r));
      pool.send('{"method":"mining.hashrate","params":{"interval":60,"hr":"500000","accepted":[3692,20],"rejected":0}}');
      await settle();
      expect(seen).toEqual([{ intervalMinutes: 60, hashrate: 0x500000n, accepted: 3692, stale: 20, rejected: 0 }]);
    });

    it('closes on mining.bye and reports bye on closed$', async () => {
      const { client, pool } = await subscribed();
      const closed: unknown[] = [];
      client.closed$.subscribe((c) => closed.push(c));
      pool.send('{"method":"mining.bye"}');
      expect((await pool.closed).reason).toBe('mining.bye from the pool');
      expect(closed).toEqual([{ reason: 'mining.bye from the pool', byPeer: true, bye: true }]);
      expect(client.isClosed).toBe(true);
    });

    it('sends mining.bye without params and closes when the miner leaves', async () => {
      const { client, pool } = await subscribed();
      client.bye();
      expect(await pool.next()).toBe('{"method":"mining.bye"}');
      expect((await pool.closed).reason).toBe('mining.bye sent');
    });

    it('answers a request it does not know with 405', async () => {
      const { pool } = await subscribed();
      pool.send('{"id":700,"method":"client.get_version"}');
      expect(await pool.next()).toBe('{"id":700,"error":{"code":405,"message":"Method not found: \\"client.get_version\\""}}');
    });
  });

  describe('when its request ids reach 65535', () => {
    it('wraps to 0 (the peer does it; EIP-1571 ids are 0..65535)', async () => {
      const [minerEnd, poolEnd] = createLinePair({ maxQueuedLines: 100_000 });
      const peer = new RpcPeer<Eip1571Params>(minerEnd, eip1571Codec, { firstRequestId: 0, maxRequestId: 65535 });
      const client = new EthStratumClientSession(peer, { keepalive: false });
      opened.push({ close: () => poolEnd.close('test over') });
      // A pool that acknowledges every request with the short form, and answers hello, subscribe and authorize.
      const ids: number[] = [];
      poolEnd.lines$.subscribe((line) => {
        const msg = JSON.parse(line) as { id: number; method: string };
        ids.push(msg.id);
        if (msg.method === 'mining.hello') poolEnd.send(helloReply(msg.id));
        else if (msg.method === 'mining.subscribe') poolEnd.send(`{"id":${msg.id},"result":"s-1"}`);
        else if (msg.method === 'mining.authorize') poolEnd.send(`{"id":${msg.id},"result":"w-1"}`);
        else poolEnd.send(`{"id":${msg.id}}`);
      });
      await client.hello({ agent: 'm', host: 'h', port: 1234 });
      await client.subscribe();
      for (let sent = 2; sent <= 65535; sent += 200) {
        const batch: Array<Promise<void>> = [];
        for (let i = sent; i < Math.min(sent + 200, 65536); i++) batch.push(client.noop());
        await Promise.all(batch);
      }
      expect(await client.authorize('alice.rig1', 'x')).toBe('w-1');
      expect(ids.length).toBe(65537);
      expect(ids.slice(0, 2)).toEqual([0, 1]);
      expect(ids.slice(-3)).toEqual([65534, 65535, 0]);
    });
  });
});
