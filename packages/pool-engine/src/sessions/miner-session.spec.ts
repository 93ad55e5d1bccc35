import type { CoinJob } from '@lode/plugin-api';
import { LodeError } from '@lode/stratum-core';
import { EngineHarness, jobsOf, lastJob, submitNonce } from '../testing/engine-harness';
import { fakeTemplate, flush } from '../testing/fake-coin';
import { MemorySessionStore } from '../stores/memory-session-store';
import { MemoryShareStore } from '../stores/memory-share-store';
import type { SessionRecord } from '../stores/session-record';
import type { MinerSession } from './miner-session';
import type { SessionEvent } from './session-event';

/** A MemorySessionStore that keeps a copy of every record saved. */
class RecordingSessionStore extends MemorySessionStore {
  readonly saved: SessionRecord[] = [];

  constructor(now: () => number) {
    super({ now });
  }

  override async save(sessionId: string, record: SessionRecord): Promise<void> {
    this.saved.push(structuredClone(record));
    await super.save(sessionId, record);
  }
}

const VARDIFF = { targetShareSeconds: 10, retargetSeconds: 60, variancePercent: 30, minDifficulty: 1, maxDifficulty: 1e6 };

describe('MinerSession', () => {
  let h: EngineHarness;
  beforeEach(async () => {
    h = new EngineHarness();
    await h.engine.start();
    h.node.push(fakeTemplate(100, 'aa'));
  });
  afterEach(async () => {
    await h.engine.stop();
  });

  function open(initialDifficulty = 1): { session: ReturnType<EngineHarness['engine']['createSession']>; events: SessionEvent[] } {
    const session = h.engine.createSession({ remoteAddress: '127.0.0.1:40001', port: 3333, initialDifficulty });
    const events: SessionEvent[] = [];
    session.events$.subscribe((e) => events.push(e));
    return { session, events };
  }

  describe('onEvent', () => {
    it('gives the listener every event just before events$, survives a listener that throws, and takes one listener only', async () => {
      const session = h.engine.createSession({ remoteAddress: '127.0.0.1:40001', port: 3333, initialDifficulty: 3 });
      const order: string[] = [];
      let throwOnce = true;
      expect(
        session.onEvent((e) => {
          order.push(`listener:${e.type}`);
          if (throwOnce) {
            throwOnce = false;
            throw new Error('listener bug');
          }
        }),
      ).toBe(true);
      expect(session.onEvent(() => undefined)).toBe(false);
      session.events$.subscribe((e) => order.push(`events$:${e.type}`));
      await session.subscribe({});
      await session.authorize({ workerName: 'w1', password: '' });
      await flush();
      expect(order).toEqual(['listener:difficulty', 'events$:difficulty', 'listener:job', 'events$:job']);
      expect(h.logs.some((l) => l.level === 'error' && l.msg === 'session event listener threw')).toBe(true);
      h.node.push(fakeTemplate(101, 'bb'));
      expect(order.slice(4)).toEqual(['listener:job', 'events$:job']);
      await session.close();
      h.node.push(fakeTemplate(102, 'cc'));
      expect(order).toHaveLength(6);
    });

    it('completes events$ at once for a subscriber after close', async () => {
      const session = h.engine.createSession({ remoteAddress: '127.0.0.1:40001', port: 3333, initialDifficulty: 1 });
      await session.close();
      let completed = false;
      session.events$.subscribe({ complete: () => (completed = true) });
      expect(completed).toBe(true);
    });
  });

  describe('when subscribed', () => {
    it('hands out extranonce1 of the configured size, the extranonce2 size and a random 8-byte hex session id', async () => {
      const { session } = open();
      const result = await session.subscribe({ userAgent: 'cpuminer/2.5.1' });
      expect(result.extranonce1).toHaveLength(4);
      expect(result.extranonce2Size).toBe(4);
      expect(result.sessionId).toMatch(/^[0-9a-f]{16}$/);
      expect(await session.subscribe({})).toEqual(result);
      await session.close();
    });
  });

  describe('when both subscribe and the first authorize have succeeded', () => {
    it('emits the current difficulty, then the current job (clean), after the reply, then every new job', async () => {
      const { session, events } = open(2);
      await session.subscribe({});
      await flush();
      expect(events).toEqual([]);
      expect(await session.authorize({ workerName: 'w1', password: '' })).toBe(true);
      expect(events).toEqual([]);
      await flush();
      const current = h.engine.jobs.current!;
      expect(events).toEqual([
        { type: 'difficulty', difficulty: 2 },
        { type: 'job', job: current, clean: true, difficulty: 2 },
      ]);
      h.node.push(fakeTemplate(100, 'aa'));
      h.node.push(fakeTemplate(101, 'bb'));
      expect(jobsOf(events).map((j) => j.clean)).toEqual([true, false, true]);
      const ids = jobsOf(events).map((j) => j.job.id);
      expect(new Set(ids).size).toBe(ids.length);
      await session.close();
    });

    it('starts the same way when authorize comes before subscribe', async () => {
      const { session, events } = open();
      expect(await session.authorize({ workerName: 'w1', password: '' })).toBe(true);
      await flush();
      expect(events).toEqual([]);
      await session.subscribe({});
      await flush();
      expect(events.map((e) => e.type)).toEqual(['difficulty', 'job']);
      await session.close();
    });
  });

  describe('when authorizing', () => {
    it('accepts names of 1 to 128 characters and refuses others', async () => {
      const { session } = open();
      expect(await session.authorize({ workerName: '', password: '' })).toBe(false);
      expect(await session.authorize({ workerName: 'x'.repeat(129), password: '' })).toBe(false);
      expect(await session.authorize({ workerName: 'x'.repeat(128), password: '' })).toBe(true);
      expect(session.authorizedWorkers).toEqual(['x'.repeat(128)]);
      await session.close();
    });

    it("asks the engine's authorizer, a throwing one counting as a refusal", async () => {
      await h.engine.stop();
      h = new EngineHarness({
        authorizeWorker: ({ workerName }) => {
          if (workerName === 'boom') throw new Error('auth backend down');
          return workerName.startsWith('ok');
        },
      });
      await h.engine.start();
      const { session } = open();
      expect(await session.authorize({ workerName: 'nope', password: '' })).toBe(false);
      expect(await session.authorize({ workerName: 'boom', password: '' })).toBe(false);
      expect(await session.authorize({ workerName: 'ok.1', password: '' })).toBe(true);
      await session.close();
    });
  });

  describe('when a share comes before subscribe or from a worker not authorized', () => {
    it("refuses it as 'not-subscribed' or 'unauthorized' and records both", async () => {
      const { session } = open();
      const job = h.engine.jobs.current!;
      expect(await submitNonce(session, job, 5)).toMatchObject({ accepted: false, reason: 'not-subscribed' });
      await session.subscribe({});
      await session.authorize({ workerName: 'w1', password: '' });
      expect(await submitNonce(session, job, 5, { worker: 'w2' })).toEqual({
        accepted: false,
        reason: 'unauthorized',
        message: 'worker w2 is not authorized on this session',
      });
      expect(h.shares.recent(2).map((r) => [r.worker, r.verdict, r.remoteAddress])).toEqual([
        ['w1', 'not-subscribed', '127.0.0.1:40001'],
        ['w2', 'unauthorized', '127.0.0.1:40001'],
      ]);
      // Names never authorized count in the pool totals only.
      const snap = h.engine.stats.snapshot(h.now);
      expect(snap.workers).toEqual([]);
      expect(snap.pool.rejected).toEqual({ 'not-subscribed': 1, unauthorized: 1 });
      await session.close();
    });
  });

  describe('when shares are judged', () => {
    it('records every verdict in the share store and the stats', async () => {
      const { session, events } = await h.miner('w1', { initialDifficulty: 4 });
      const job = lastJob(events);
      await submitNonce(session, job, 10);
      await submitNonce(session, job, 10);
      await submitNonce(session, job, 3, { extranonce2: Buffer.from('00000009', 'hex') });
      await submitNonce(session, job, 4, { extranonce2: Buffer.from('0000000a', 'hex') });
      const records = h.shares.recent(10);
      expect(records.map((r) => [r.verdict, r.difficulty, r.shareDifficulty])).toEqual([
        ['accepted', 4, 10],
        ['duplicate', 0, 0],
        ['low-difficulty', 0, 3],
        ['accepted', 4, 4],
      ]);
      expect(records[0]).toMatchObject({ coin: 'fake', worker: 'w1', jobId: job.id, height: 100, networkDifficulty: 1_000_000 });
      expect(records[0].time).toBe(h.now);
      const snap = h.engine.stats.snapshot(h.now);
      expect(snap.workers).toEqual([
        expect.objectContaining({
          worker: 'w1',
          accepted: 2,
          creditedDifficulty: 8,
          rejected: { duplicate: 1, 'low-difficulty': 1 },
          rejectedTotal: 2,
          lastShareTime: h.now,
        }),
      ]);
      expect(snap.pool).toMatchObject({ accepted: 2, creditedDifficulty: 8, rejectedTotal: 2, workers: 1 });
      // both shares at one instant: measured over one 10 s bucket, not the 600 s window
      expect(snap.pool.hashrate).toBeCloseTo((8 * h.engine.stats.hashesPerDifficulty) / 10, 3);
      await session.close();
    });

    it("answers a good share whose record failed 'not-recorded', credits nothing, and takes it again once the store is back", async () => {
      await h.engine.stop();
      let down = true;
      const stored = new MemoryShareStore();
      h = new EngineHarness({}, {
        record: async (r) => (down ? Promise.reject(new LodeError('store', 'redis and spool unavailable')) : stored.record(r)),
      });
      await h.engine.start();
      h.node.push(fakeTemplate(100, 'aa', 1000));
      const { session, events } = await h.miner('w1', { initialDifficulty: 4 });
      const job = lastJob(events);
      expect(await submitNonce(session, job, 5)).toEqual({
        accepted: false,
        reason: 'not-recorded',
        message: 'the share could not be recorded (store unavailable); submit it again',
      });
      expect(h.logs).toContainEqual(
        expect.objectContaining({ level: 'error', msg: "share store failed to record an accepted share; answered 'not-recorded'" }),
      );
      // a rejected share keeps its reason
      expect(await submitNonce(session, job, 3, { extranonce2: Buffer.from('00000002', 'hex') })).toMatchObject({
        reason: 'low-difficulty',
      });
      // a block is submitted to the node all the same
      expect(await submitNonce(session, job, 5000, { extranonce2: Buffer.from('00000003', 'hex') })).toMatchObject({
        reason: 'not-recorded',
      });
      expect(h.node.submitted).toHaveLength(1);
      let snap = h.engine.stats.snapshot(h.now);
      expect(snap.pool).toMatchObject({ accepted: 0, creditedDifficulty: 0, rejected: { 'not-recorded': 2, 'low-difficulty': 1 } });
      down = false;
      expect(await submitNonce(session, job, 5)).toMatchObject({ accepted: true, difficulty: 4 });
      // once only: the share is in the index
      expect(await submitNonce(session, job, 5)).toMatchObject({ reason: 'duplicate' });
      snap = h.engine.stats.snapshot(h.now);
      expect(snap.pool).toMatchObject({ accepted: 1, creditedDifficulty: 4 });
      expect(stored.recent(10).map((r) => r.verdict)).toEqual(['accepted', 'duplicate']);
      await session.close();
    });
  });

  describe('when vardiff sees a fast share stream', () => {
    it('raises the difficulty, sends it as an event at once, and binds it to the next job', async () => {
      const { session, events } = await h.miner('w1', { initialDifficulty: 1, vardiff: VARDIFF });
      const job = lastJob(events);
      for (let i = 1; i <= 19; i++) {
        h.now += 1_000;
        const extranonce2 = Buffer.alloc(4);
        extranonce2.writeUInt32BE(i);
        expect(await submitNonce(session, job, 1000, { extranonce2 })).toMatchObject({ accepted: true, difficulty: 1 });
      }
      expect(session.difficulty).toBe(4);
      expect(events).toEqual([
        { type: 'difficulty', difficulty: 1 },
        { type: 'job', job, clean: true, difficulty: 1 },
        { type: 'difficulty', difficulty: 4 },
      ]);
      h.node.push(fakeTemplate(100, 'aa'));
      const next = lastJob(events);
      expect(events[3]).toEqual({ type: 'job', job: next, clean: false, difficulty: 4 });
      // The older job keeps its target: a difficulty-1 share on it is still credited at 1.
      expect(await submitNonce(session, job, 1, { extranonce2: Buffer.from('ffffffff', 'hex') })).toMatchObject({
        accepted: true,
        difficulty: 1,
      });
      expect(await submitNonce(session, next, 3)).toMatchObject({ accepted: false, reason: 'low-difficulty' });
      await session.close();
    });
  });

  describe('when a vardiff miner stays silent', () => {
    it("lowers its difficulty on the engine's idle check", async () => {
      const { session, events } = await h.miner('w1', { initialDifficulty: 8, vardiff: VARDIFF });
      h.now += 60_000;
      h.engine.maintain();
      expect(events.filter((e) => e.type === 'difficulty')).toHaveLength(1);
      h.now += 3 * 60_000;
      h.engine.maintain();
      expect(events[events.length - 1]).toEqual({ type: 'difficulty', difficulty: 4 });
      await session.close();
    });
  });

  describe('when a fixed-difficulty miner suggests a difficulty', () => {
    it('takes it as is, fractions included, and refuses a non-positive one', async () => {
      const { session, events } = await h.miner('w1', { initialDifficulty: 8 });
      expect(session.suggestDifficulty(0.001)).toBe(0.001);
      expect(events[events.length - 1]).toEqual({ type: 'difficulty', difficulty: 0.001 });
      expect(() => session.suggestDifficulty(0)).toThrow(LodeError);
      await session.close();
    });

    it('applies a suggestion made before the handshake to the first events', async () => {
      const { session, events } = open(8);
      session.suggestDifficulty(2);
      await session.subscribe({});
      await session.authorize({ workerName: 'w1', password: '' });
      await flush();
      expect(events[0]).toEqual({ type: 'difficulty', difficulty: 2 });
      expect(events[1]).toMatchObject({ type: 'job', difficulty: 2 });
      await session.close();
    });
  });

  describe('when a submit carries the version mask in effect (BIP 310)', () => {
    it('reaches checkShare and buildHeader with that mask, over the one set with setVersionMask', async () => {
      const { session, events } = await h.miner();
      const job = lastJob(events);
      session.setVersionMask(0x1fffe000);
      expect(await submitNonce(session, job, 5, { versionBits: 0x00002000, versionMask: 0x00006000 })).toMatchObject({
        accepted: true,
      });
      expect(h.plugin.checkedShares.at(-1)).toMatchObject({ versionBits: 0x00002000, versionMask: 0x00006000 });
      expect(h.plugin.builtHeaders.at(-1)).toMatchObject({ versionBits: 0x00002000, versionMask: 0x00006000 });
      // inside the session's mask but outside this submit's: the submit's mask is the one applied
      expect(
        await submitNonce(session, job, 5, { versionBits: 0x00100000, versionMask: 0x00006000, extranonce2: Buffer.from('00000002', 'hex') }),
      ).toMatchObject({ accepted: false, reason: 'bad-version' });
      // without one, the session's mask applies
      expect(await submitNonce(session, job, 5, { versionBits: 0x00100000, extranonce2: Buffer.from('00000003', 'hex') })).toMatchObject({
        accepted: true,
      });
      expect(h.plugin.builtHeaders.at(-1)).toMatchObject({ versionBits: 0x00100000, versionMask: 0x1fffe000 });
      await session.close();
    });
  });

  describe('when a vardiff miner sets a BIP 310 minimum difficulty', () => {
    /** One share every 600 s (a far too slow miner), each on its own extranonce2. */
    async function slowShares(session: MinerSession, job: CoinJob, count: number, from: number): Promise<void> {
      for (let i = 0; i < count; i++) {
        h.now += 600_000;
        const extranonce2 = Buffer.alloc(4);
        extranonce2.writeUInt32BE(from + i);
        expect(await submitNonce(session, job, 1000, { extranonce2 })).toMatchObject({ accepted: true });
      }
    }

    it('raises the difficulty to it at once, as an event bound to the next job', async () => {
      const { session, events } = await h.miner('w1', { initialDifficulty: 1, vardiff: VARDIFF });
      expect(session.setMinimumDifficulty(64)).toBe(true);
      expect(session.difficulty).toBe(64);
      expect(session.minimumDifficulty).toBe(64);
      expect(events.at(-1)).toEqual({ type: 'difficulty', difficulty: 64 });
      h.node.push(fakeTemplate(100, 'aa'));
      expect(events.at(-1)).toMatchObject({ type: 'job', difficulty: 64 });
      await session.close();
    });

    it('lowering it lets later retargets go below the old floor, but not below the new one', async () => {
      const { session, events } = await h.miner('w1', { initialDifficulty: 1, vardiff: VARDIFF });
      const job = lastJob(events);
      session.setMinimumDifficulty(64);
      const count = events.length;
      expect(session.setMinimumDifficulty(8)).toBe(true);
      // lowering sends nothing by itself
      expect(events).toHaveLength(count);
      expect(session.difficulty).toBe(64);
      await slowShares(session, job, 4, 1);
      // 600 s per share against 10 s aimed at: at most a factor of 4 down per retarget, 64 -> 16 -> 8
      expect(events.slice(count)).toEqual([
        { type: 'difficulty', difficulty: 16 },
        { type: 'difficulty', difficulty: 8 },
      ]);
      expect(session.difficulty).toBe(8);
      await session.close();
    });

    it('0 removes the floor', async () => {
      const { session, events } = await h.miner('w1', { initialDifficulty: 1, vardiff: VARDIFF });
      session.setMinimumDifficulty(64);
      expect(session.setMinimumDifficulty(0)).toBe(true);
      expect(session.minimumDifficulty).toBeUndefined();
      await slowShares(session, lastJob(events), 4, 1);
      // down to the port's minDifficulty (1)
      expect(session.difficulty).toBe(1);
      await session.close();
    });

    it("refuses a value above the port's maximum, naming both, and changes nothing", async () => {
      const { session, events } = await h.miner('w1', { initialDifficulty: 1, vardiff: { ...VARDIFF, maxDifficulty: 1e15 } });
      const count = events.length;
      expect(session.setMinimumDifficulty(5e15)).toBe("minimum difficulty 5e15 is above this port's maximum 1e15");
      expect(session.difficulty).toBe(1);
      expect(session.minimumDifficulty).toBeUndefined();
      expect(events).toHaveLength(count);
      await session.close();
    });
  });

  describe('when a fixed-difficulty miner sets a BIP 310 minimum difficulty', () => {
    it('raises the difficulty only when it is higher, and keeps it as the floor of suggestions', async () => {
      const { session, events } = await h.miner('w1', { initialDifficulty: 8 });
      const count = events.length;
      expect(session.setMinimumDifficulty(4)).toBe(true);
      expect(session.setMinimumDifficulty(8)).toBe(true);
      expect(events).toHaveLength(count);
      expect(session.setMinimumDifficulty(16.5)).toBe(true);
      expect(events.at(-1)).toEqual({ type: 'difficulty', difficulty: 16.5 });
      expect(session.suggestDifficulty(2)).toBe(16.5);
      expect(session.setMinimumDifficulty(0)).toBe(true);
      expect(session.suggestDifficulty(2)).toBe(2);
      await session.close();
    });

    it('refuses a value above the network difficulty of the current job, or not a number >= 0', async () => {
      const { session, events } = await h.miner('w1', { initialDifficulty: 8 });
      const count = events.length;
      // fakeTemplate's network difficulty is 1e6
      expect(session.setMinimumDifficulty(2e6)).toBe('minimum difficulty 2e6 is above the network difficulty 1e6 of the current job');
      expect(session.setMinimumDifficulty(-1)).toBe('minimum difficulty must be a finite number >= 0, got -1');
      expect(session.setMinimumDifficulty(Number.NaN)).toBe('minimum difficulty must be a finite number >= 0, got NaN');
      expect(session.difficulty).toBe(8);
      expect(events).toHaveLength(count);
      await session.close();
    });

    it('applies one set before the handshake to the first events', async () => {
      const { session, events } = open(1);
      expect(session.setMinimumDifficulty(32)).toBe(true);
      await session.subscribe({});
      await session.authorize({ workerName: 'w1', password: '' });
      await flush();
      expect(events[0]).toEqual({ type: 'difficulty', difficulty: 32 });
      expect(events[1]).toMatchObject({ type: 'job', difficulty: 32 });
      await session.close();
    });
  });

  describe('when the miner gives BIP 310 info', () => {
    it('keeps it on the session and shows it in the stats of every worker it authorizes', async () => {
      const { session, events } = await h.miner('w1');
      const info = { connectionUrl: 'stratum+tcp://127.0.0.1:3333', hwVersion: 'BM1370', swVersion: 'v2.9.0', hwId: 'x'.repeat(300) };
      session.setInfo(info);
      const kept = { ...info, hwId: 'x'.repeat(256) };
      expect(session.info).toEqual(kept);
      expect(await session.authorize({ workerName: 'w2', password: '' })).toBe(true);
      await submitNonce(session, lastJob(events), 5);
      const snap = h.engine.stats.snapshot(h.now);
      expect(snap.workers).toHaveLength(2);
      for (const worker of ['w1', 'w2']) {
        expect(snap.workers.find((w) => w.worker === worker)).toMatchObject({ info: kept });
      }
      // the last one seen wins
      session.setInfo({ swVersion: 'v2.10.0' });
      expect(h.engine.stats.snapshot(h.now).workers.find((w) => w.worker === 'w1')?.info).toEqual({ swVersion: 'v2.10.0' });
      await session.close();
    });

    it('shows no info for workers of sessions that gave none', async () => {
      const { session, events } = await h.miner('w1');
      await submitNonce(session, lastJob(events), 5);
      expect(h.engine.stats.snapshot(h.now).workers[0]).not.toHaveProperty('info');
      await session.close();
    });
  });

  describe('when the session is moved to a fresh extranonce1', () => {
    it('hands out a value no other session holds, and frees the old one', async () => {
      await h.engine.stop();
      // 1-byte extranonce1: 256 values, so uniqueness can be checked exhaustively.
      h = new EngineHarness({ extranonce1Size: 1 });
      await h.engine.start();
      h.node.push(fakeTemplate(100, 'aa'));
      const { session, extranonce1: old } = await h.miner();
      const others = [];
      for (let i = 0; i < 254; i++) others.push(open().session);
      const held = await Promise.all(others.map(async (o) => (await o.subscribe({})).extranonce1.toString('hex')));
      const moved = session.reassignExtranonce1();
      expect(moved.extranonce2Size).toBe(4);
      expect(moved.extranonce1).toHaveLength(1);
      expect([old.toString('hex'), ...held]).not.toContain(moved.extranonce1.toString('hex'));
      expect((await session.subscribe({})).extranonce1).toEqual(moved.extranonce1);
      // the old value is the only free one now
      const late = open().session;
      expect((await late.subscribe({})).extranonce1).toEqual(old);
      await Promise.all([...others, late].map((o) => o.close()));
      await session.close();
    });

    it('sends the current job again, clean, on the next turn, and judges each job with the extranonce1 it was sent with', async () => {
      const { session, events, extranonce1: old } = await h.miner();
      const jobA = lastJob(events);
      h.node.push(fakeTemplate(100, 'aa'));
      const jobB = lastJob(events);
      const count = events.length;
      const { extranonce1: fresh } = session.reassignExtranonce1();
      expect(fresh.equals(old)).toBe(false);
      // nothing yet: the caller sends mining.set_extranonce (or client.reconnect) first
      expect(events).toHaveLength(count);
      await flush();
      expect(events.slice(count)).toEqual([{ type: 'job', job: jobB, clean: true, difficulty: 1 }]);

      // an in-flight share on a job sent before the move: the old extranonce1
      expect(await submitNonce(session, jobA, 5)).toMatchObject({ accepted: true });
      expect(h.plugin.checkedShares.at(-1)?.extranonce1).toEqual(old);
      expect(h.plugin.builtHeaders.at(-1)?.extranonce1).toEqual(old);
      // the re-sent job and every later one: the new extranonce1
      expect(await submitNonce(session, jobB, 5)).toMatchObject({ accepted: true });
      expect(h.plugin.builtHeaders.at(-1)?.extranonce1).toEqual(fresh);
      h.node.push(fakeTemplate(100, 'aa'));
      const jobC = lastJob(events);
      expect(jobsOf(events).at(-1)?.clean).toBe(false);
      expect(await submitNonce(session, jobC, 5, { extranonce2: Buffer.from('00000002', 'hex') })).toMatchObject({ accepted: true });
      expect(h.plugin.builtHeaders.at(-1)?.extranonce1).toEqual(fresh);
      await session.close();
    });

    it('sends a job that arrives before the re-send clean instead, and nothing more', async () => {
      const { session, events } = await h.miner();
      session.reassignExtranonce1();
      h.node.push(fakeTemplate(100, 'aa'));
      const next = lastJob(events);
      await flush();
      expect(jobsOf(events).slice(1)).toEqual([{ type: 'job', job: next, clean: true, difficulty: 1 }]);
      await session.close();
    });

    it('throws LodeError(connection) before subscribe and after close', async () => {
      const { session } = open();
      expect(() => session.reassignExtranonce1()).toThrow(expect.objectContaining({ kind: 'connection' }));
      await session.subscribe({});
      await session.close();
      expect(() => session.reassignExtranonce1()).toThrow(expect.objectContaining({ kind: 'connection' }));
    });
  });

  describe('when closed', () => {
    it('completes events$, stops following jobs and refuses later shares', async () => {
      const { session, events } = await h.miner();
      let completed = false;
      session.events$.subscribe({ complete: () => (completed = true) });
      const job = lastJob(events);
      await session.close();
      expect(completed).toBe(true);
      const count = events.length;
      h.node.push(fakeTemplate(101, 'bb'));
      expect(events).toHaveLength(count);
      expect(await submitNonce(session, job, 5)).toMatchObject({ accepted: false, reason: 'not-subscribed' });
      expect(h.engine.sessionCount).toBe(0);
      await expect(session.subscribe({})).rejects.toThrow(LodeError);
    });
  });

  describe('when a miner reconnects with its session id', () => {
    it('gets the same extranonce1 back within the window, and no other session gets it meanwhile', async () => {
      await h.engine.stop();
      // 1-byte extranonce1: 256 values, so "nobody else got it" can be checked exhaustively.
      h = new EngineHarness({ extranonce1Size: 1, resumeWindowSeconds: 600 });
      await h.engine.start();
      const first = open();
      const { extranonce1, sessionId } = await first.session.subscribe({});
      await first.session.close();
      expect(h.engine.resumeHolds).toBe(1);

      const others = [];
      for (let i = 0; i < 255; i++) others.push(open().session);
      const handed = await Promise.all(others.map(async (s) => (await s.subscribe({})).extranonce1.toString('hex')));
      expect(new Set(handed).size).toBe(255);
      expect(handed).not.toContain(extranonce1.toString('hex'));
      await expect(open().session.subscribe({})).rejects.toThrow('exhausted');
      await Promise.all(others.map((s) => s.close()));

      h.now += 599_000;
      h.engine.maintain();
      const back = open();
      expect(await back.session.subscribe({ sessionId })).toEqual({ extranonce1, extranonce2Size: 4, sessionId });
      await back.session.close();
    });

    it('gets a new session after the window, and the old value is free again', async () => {
      await h.engine.stop();
      h = new EngineHarness({ extranonce1Size: 1, resumeWindowSeconds: 600 });
      await h.engine.start();
      const first = open();
      const { extranonce1, sessionId } = await first.session.subscribe({});
      await first.session.close();
      h.now += 600_001;
      h.engine.maintain();
      expect(h.engine.resumeHolds).toBe(0);
      const late = open();
      const result = await late.session.subscribe({ sessionId });
      expect(result.sessionId).not.toBe(sessionId);
      // Every other value is taken, so the old one must be free for someone.
      const rest = [];
      for (let i = 0; i < 255; i++) rest.push(open().session);
      const handed = await Promise.all(rest.map(async (s) => (await s.subscribe({})).extranonce1.toString('hex')));
      expect([result.extranonce1.toString('hex'), ...handed]).toContain(extranonce1.toString('hex'));
    });

    it('cannot resume a session closed with abandon (mining.bye): nothing saved, extranonce1 free at once', async () => {
      await h.engine.stop();
      h = new EngineHarness({ extranonce1Size: 1, resumeWindowSeconds: 600 });
      await h.engine.start();
      const first = open();
      const { sessionId } = await first.session.subscribe({});
      await first.session.close({ abandon: true });
      expect(h.engine.resumeHolds).toBe(0);
      const again = open();
      const result = await again.session.subscribe({ sessionId });
      expect(result.sessionId).not.toBe(sessionId);
      await again.session.close();
    });

    it('never lets two connections resume the same session', async () => {
      const first = open();
      const { extranonce1, sessionId } = await first.session.subscribe({});
      await first.session.close();
      const a = open();
      const b = open();
      const [ra, rb] = await Promise.all([a.session.subscribe({ sessionId }), b.session.subscribe({ sessionId })]);
      expect([ra.extranonce1.equals(extranonce1), rb.extranonce1.equals(extranonce1)].sort()).toEqual([false, true]);
      expect(ra.extranonce1.equals(rb.extranonce1)).toBe(false);
      await a.session.close();
      await b.session.close();
    });

    it('gets its workers, difficulty and saved jobs back without a new authorize, each job at its own target', async () => {
      await h.engine.stop();
      h = new EngineHarness({}, undefined, { sessionStore: new RecordingSessionStore(() => h.now) });
      await h.engine.start();
      h.node.push(fakeTemplate(100, 'aa'));
      const { session, events, extranonce1 } = await h.miner('w1', { initialDifficulty: 8 });
      const at8 = lastJob(events);
      session.suggestDifficulty(32);
      h.node.push(fakeTemplate(100, 'aa'));
      const at32 = lastJob(events);
      const sessionId = session.sessionId;
      await session.close();
      const saved = (h.sessions as RecordingSessionStore).saved;
      expect(saved).toEqual([
        {
          extranonce1: extranonce1.toString('hex'),
          expiresAt: h.now + 600_000,
          workers: ['w1'],
          difficulty: 32,
          jobs: [
            // fake diff1 = 2^224: difficulty 8 -> 2^221, 32 -> 2^219 (64 hex digits)
            { jobId: at8.id, target: `${'0'.repeat(8)}2${'0'.repeat(55)}`, difficulty: 8, extranonce1: extranonce1.toString('hex') },
            { jobId: at32.id, target: `${'0'.repeat(9)}8${'0'.repeat(54)}`, difficulty: 32, extranonce1: extranonce1.toString('hex') },
          ],
        },
      ]);

      const back = open(1);
      expect(await back.session.subscribe({ sessionId })).toEqual({ extranonce1, extranonce2Size: 4, sessionId });
      expect(back.session.authorizedWorkers).toEqual(['w1']);
      expect(back.session.difficulty).toBe(32);
      await flush();
      expect(back.events).toEqual([
        { type: 'difficulty', difficulty: 32 },
        { type: 'job', job: at32, clean: true, difficulty: 32 },
      ]);
      expect(await submitNonce(back.session, at8, 8)).toMatchObject({ accepted: true, difficulty: 8 });
      expect(await submitNonce(back.session, at32, 9, { extranonce2: Buffer.from('00000002', 'hex') })).toMatchObject({
        reason: 'low-difficulty',
      });
      await back.session.close();
    });

    it('saves the 8 newest jobs only, newest last', async () => {
      await h.engine.stop();
      h = new EngineHarness({}, undefined, { sessionStore: new RecordingSessionStore(() => h.now) });
      await h.engine.start();
      h.node.push(fakeTemplate(100, 'aa'));
      const { session, events } = await h.miner();
      for (let i = 0; i < 10; i++) h.node.push(fakeTemplate(100, 'aa'));
      const sent = jobsOf(events).map((j) => j.job.id);
      await session.close();
      expect((h.sessions as RecordingSessionStore).saved[0].jobs?.map((j) => j.jobId)).toEqual(sent.slice(-8));
    });

    it('keeps a difficulty the miner suggested on the new connection before subscribing', async () => {
      const first = await h.miner('w1', { initialDifficulty: 64 });
      const sessionId = first.session.sessionId;
      await first.session.close();
      const back = open(1);
      back.session.suggestDifficulty(2);
      await back.session.subscribe({ sessionId });
      expect(back.session.difficulty).toBe(2);
      expect(back.session.authorizedWorkers).toEqual(['w1']);
      await back.session.close();
    });

    it('ignores an unknown or malformed session id', async () => {
      const s = open();
      const result = await s.session.subscribe({ sessionId: 'not-hex' });
      expect(result.sessionId).toMatch(/^[0-9a-f]{16}$/);
      await s.session.close();
    });
  });
});
