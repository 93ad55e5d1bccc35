import { createLinePair, eip1571Codec, RpcPeer } from '@lode/stratum-core';
import type { Eip1571Params } from '@lode/stratum-core';
import type { EthCloseInfo } from './close-info';
import type { EthClientJob } from './client/client-context';
import { EthStratumClientSession } from './client/client-session';
import type { EthStratumServerHandler, EthStratumServerSessionOptions } from './server/server-handler';
import type { EthServerJob } from './server/server-session';
import { EthStratumServerSession } from './server/server-session';
import { fakePool, settle, SPEC } from './testing/wire.test-helper';
import type { FakePool } from './testing/wire.test-helper';

const NODE = 'Geth/v1.13.15-stable/linux-amd64/go1.21.6';

/** The spec's job (specs/003_fafafa51dc5fa36a.txt "Prepare for mining", "Jobs notification"). */
const SPEC_JOB: EthServerJob = {
  jobId: SPEC.jobId,
  height: SPEC.height,
  headerHash: SPEC.headerHash,
  clean: true,
  epoch: SPEC.epoch,
  algo: 'ethash',
  target: SPEC.target,
  extranonce: Buffer.from(SPEC.extranonceHex, 'hex'),
};

const opened: Array<{ close(): void }> = [];

afterEach(() => {
  for (const o of opened.splice(0)) o.close();
  jest.useRealTimers();
});

/** A miner's client session and a pool's server session on the two ends of one in-memory wire. */
function connect(options: Partial<EthStratumServerSessionOptions> = {}, pool: EthStratumServerHandler = fakePool()) {
  const [minerEnd, poolEnd] = createLinePair();
  const server = new EthStratumServerSession(new RpcPeer<Eip1571Params>(poolEnd, eip1571Codec), pool, { node: NODE, ...options });
  const client = new EthStratumClientSession(new RpcPeer<Eip1571Params>(minerEnd, eip1571Codec, { firstRequestId: 0, maxRequestId: 65535 }));
  opened.push({ close: () => client.close('test over') });
  const jobs: EthClientJob[] = [];
  client.jobs$.subscribe((j) => jobs.push(j));
  const clientClosed: EthCloseInfo[] = [];
  client.closed$.subscribe((c) => clientClosed.push(c));
  return { server, client, jobs, clientClosed };
}

async function handshake(options: Partial<EthStratumServerSessionOptions> = {}, pool: EthStratumServerHandler = fakePool()) {
  const ctx = connect(options, pool);
  await ctx.client.hello({ agent: 'lode-miner/0.1.0', host: 'eth.pool.example', port: 3333 });
  const sub = await ctx.client.subscribe();
  const token = await ctx.client.authorize('alice.rig1', 'x');
  return { ...ctx, sub, token };
}

/**
 * A pool that remembers sessions for resume, as the spec asks ("A server
 * implementing session-resuming MUST cache ... any authorized worker"), and
 * forgets a session abandoned with mining.bye.
 */
function resumingPool(): FakePool & { sessions: Map<string, string[]> } {
  const sessions = new Map<string, string[]>();
  const base = fakePool();
  let n = 0;
  let current: string | undefined;
  const pool = Object.assign(base, { sessions });
  pool.answerSubscribe = (req) => {
    const known = req.sessionId !== undefined ? sessions.get(req.sessionId) : undefined;
    if (req.sessionId !== undefined && known !== undefined) {
      current = req.sessionId;
      return { sessionId: req.sessionId, extranonce: Buffer.from('af4c', 'hex'), workers: [...known], resumed: true };
    }
    current = `s-${++n}`;
    sessions.set(current, []);
    return { sessionId: current, extranonce: Buffer.from('af4c', 'hex'), workers: [], resumed: false };
  };
  pool.onAuthorize = (req) => {
    const workers = sessions.get(current ?? '');
    if (workers !== undefined && !workers.includes(req.workerName)) workers.push(req.workerName);
  };
  const closed = base.closed;
  pool.closed = (info) => {
    closed?.call(pool, info);
    if (info.bye && current !== undefined) sessions.delete(current);
  };
  return pool;
}

describe('EthereumStratum/2.0.0 end to end', () => {
  describe('when a miner connects, subscribes and authorizes', () => {
    it('receives the job bound to the mining.set values, and its share is accepted', async () => {
      const pool = fakePool();
      const { client, server, jobs, token } = await handshake({}, pool);
      expect(token).toBe('w-1');
      server.sendJob(SPEC_JOB);
      await settle();
      expect(jobs).toEqual([
        {
          jobId: SPEC.jobId,
          height: SPEC.height,
          headerHash: SPEC.headerHash,
          clean: true,
          epoch: SPEC.epoch,
          algo: 'ethash',
          target: SPEC.target,
          extranonce: Buffer.from(SPEC.extranonceHex, 'hex'),
        },
      ]);
      expect(await client.submit(SPEC.jobId, Buffer.from(SPEC.minerNonce, 'hex'), token)).toEqual({ accepted: true, stale: false });
      expect(pool.submits[0].nonce.toString('hex')).toBe(SPEC.fullNonce);
    });

    it('applies a changed target to the next job only', async () => {
      const { server, jobs } = await handshake();
      server.sendJob(SPEC_JOB);
      server.sendJob({ ...SPEC_JOB, jobId: 'j2', clean: false, target: 0xffffn << 208n, extranonce: Buffer.from('01', 'hex') });
      await settle();
      expect(jobs.map((j) => [j.jobId, j.target, j.extranonce.toString('hex')])).toEqual([
        [SPEC.jobId, SPEC.target, 'af4c'],
        ['j2', 0xffffn << 208n, '01'],
      ]);
    });

    it('gives several workers distinct tokens, and the same worker the same token', async () => {
      const { client } = await handshake();
      expect(await client.authorize('alice.rig2', 'x')).toBe('w-2');
      expect(await client.authorize('alice.rig1', 'x')).toBe('w-1');
    });

    it('reports a share the pool credits as stale as accepted and stale (202)', async () => {
      const pool = fakePool();
      pool.verdict = { accepted: true, difficulty: 1, shareDifficulty: 1, block: false, hash: '00'.repeat(32), stale: true };
      const { client, server, token } = await handshake({}, pool);
      server.sendJob(SPEC_JOB);
      expect(await client.submit(SPEC.jobId, Buffer.from(SPEC.minerNonce, 'hex'), token)).toEqual({
        accepted: true,
        stale: true,
        code: 202,
        message: 'Stale',
      });
    });

    it('reports a duplicate as rejected with 409, distinct from stale 410', async () => {
      const pool = fakePool();
      const { client, server, token } = await handshake({}, pool);
      server.sendJob(SPEC_JOB);
      pool.verdict = { accepted: false, reason: 'duplicate', message: 'nonce af4c68765fccd712 already submitted' };
      expect(await client.submit(SPEC.jobId, Buffer.from(SPEC.minerNonce, 'hex'), token)).toMatchObject({ accepted: false, code: 409 });
      pool.verdict = { accepted: false, reason: 'stale', message: 'job bf0488aa was superseded' };
      expect(await client.submit(SPEC.jobId, Buffer.from(SPEC.minerNonce, 'hex'), token)).toMatchObject({ accepted: false, code: 410 });
    });
  });

  describe('when the port speaks gzip', () => {
    it('runs the whole session over gzip lines', async () => {
      const pool = fakePool();
      const { client, server, jobs, token } = await handshake({ encoding: 'gzip' }, pool);
      expect(client.server?.encoding).toBe('gzip');
      server.sendJob(SPEC_JOB);
      await settle();
      expect(jobs).toHaveLength(1);
      expect(await client.submit(SPEC.jobId, Buffer.from(SPEC.minerNonce, 'hex'), token)).toEqual({ accepted: true, stale: false });
    });
  });

  describe('when a miner comes back to resume its session', () => {
    it('gets the same session and tokens, and may submit without authorizing again', async () => {
      const pool = resumingPool();
      const first = await handshake({ resume: true }, pool);
      expect(await first.client.authorize('alice.rig2', 'x')).toBe('w-2');
      first.client.close('network blip');
      await settle();

      const second = connect({ resume: true }, pool);
      await second.client.hello({ agent: 'lode-miner/0.1.0', host: 'eth.pool.example', port: 3333 });
      expect(await second.client.subscribe(first.sub.sessionId)).toEqual({ sessionId: 's-1', resumed: true });
      second.server.sendJob(SPEC_JOB);
      await settle();
      expect(second.jobs).toHaveLength(1);
      expect(await second.client.submit(SPEC.jobId, Buffer.from(SPEC.minerNonce, 'hex'), 'w-2')).toEqual({ accepted: true, stale: false });
      expect(pool.submits.map((s) => s.workerName)).toEqual(['alice.rig2']);
      expect(pool.authorizes.map((a) => a.workerName)).toEqual(['alice.rig1', 'alice.rig2']);
    });

    it('gets a new session after mining.bye, and its old tokens are unknown there', async () => {
      const pool = resumingPool();
      const first = await handshake({ resume: true }, pool);
      first.client.bye();
      await settle();
      // The miner's close follows its bye at once; either way the pool learns the session is abandoned.
      expect(pool.closedWith).toEqual([expect.objectContaining({ byPeer: true, bye: true })]);
      expect(first.clientClosed).toEqual([{ reason: 'mining.bye sent', byPeer: false, bye: true }]);

      const second = connect({ resume: true }, pool);
      await second.client.hello({ agent: 'lode-miner/0.1.0', host: 'eth.pool.example', port: 3333 });
      expect(await second.client.subscribe(first.sub.sessionId)).toEqual({ sessionId: 's-2', resumed: false });
      expect(await second.client.submit(SPEC.jobId, Buffer.from(SPEC.minerNonce, 'hex'), first.token)).toMatchObject({
        accepted: false,
        stale: false,
        code: 301,
      });
    });
  });

  describe('when the pool says bye', () => {
    it('closes both ends and both report bye', async () => {
      const pool = fakePool();
      const { server, clientClosed } = await handshake({}, pool);
      server.bye();
      await settle();
      expect(clientClosed).toEqual([{ reason: 'mining.bye from the pool', byPeer: true, bye: true }]);
      expect(pool.closedWith).toEqual([{ reason: 'mining.bye sent', byPeer: false, bye: true }]);
    });
  });

  describe('when the miner reports hashrate too often', () => {
    it('gets 220 from the pool', async () => {
      let now = 5_000_000;
      const { client, token } = await handshake({ now: () => now });
      expect(await client.reportHashrate(0x500000n, token)).toBeUndefined();
      now += 1_000;
      await expect(client.reportHashrate(0x500000n, token)).rejects.toMatchObject({ code: 220 });
    });
  });

  describe('when the miner finds nothing for a long time', () => {
    it('keeps the connection with mining.noop past the pool\'s idle timeout', async () => {
      jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
      const { server, client } = await handshake({ timeoutSeconds: 20 });
      for (let i = 0; i < 4; i++) {
        jest.advanceTimersByTime(15_000);
        await settle();
      }
      expect(server.isClosed).toBe(false);
      expect(client.counters.keepalives).toBe(4);
      expect(server.counters.requests['mining.noop']).toBe(4);
    });

    it('is dropped by the pool when it sends nothing and keeps no keepalive', async () => {
      jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
      const [minerEnd, poolEnd] = createLinePair();
      const pool = fakePool();
      const server = new EthStratumServerSession(new RpcPeer<Eip1571Params>(poolEnd, eip1571Codec), pool, { node: NODE, timeoutSeconds: 20 });
      const client = new EthStratumClientSession(new RpcPeer<Eip1571Params>(minerEnd, eip1571Codec, { firstRequestId: 0 }), { keepalive: false });
      opened.push({ close: () => client.close('test over') });
      await client.hello({ agent: 'm', host: 'h', port: 3333 });
      jest.advanceTimersByTime(20_000);
      await settle();
      expect(server.isClosed).toBe(true);
      expect(client.isClosed).toBe(true);
      expect(pool.closedWith).toEqual([{ reason: 'idle for 20 s', byPeer: false, bye: false }]);
    });
  });

  describe('when the miner keeps erring', () => {
    it('is disconnected once maxerrors is reached', async () => {
      const { client, server, clientClosed } = await handshake({ maxErrors: 3 });
      server.sendJob(SPEC_JOB);
      for (let i = 0; i < 2; i++) {
        expect(await client.submit(SPEC.jobId, Buffer.from(SPEC.minerNonce, 'hex'), 'w-9')).toMatchObject({ accepted: false, code: 301 });
      }
      expect(await client.submit(SPEC.jobId, Buffer.from('00', 'hex'), 'w-1')).toMatchObject({ accepted: false, code: 414 });
      await settle();
      expect(clientClosed).toEqual([{ reason: 'maxerrors 3 reached', byPeer: true, bye: false }]);
    });
  });
});
