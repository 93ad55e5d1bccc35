import { firstValueFrom, toArray } from 'rxjs';
import type { CoinTemplate } from '@lode/plugin-api';
import { LodeError } from '@lode/stratum-core';
import type { PoolEngineOptions } from './pool-engine-options';
import type { DuplicateIndex } from './ports/duplicate-index';
import { MemoryDuplicateIndex } from './ports/memory-duplicate-index';
import type { MinerSession } from './sessions/miner-session';
import type { SessionEvent } from './sessions/session-event';
import { MemorySessionStore } from './stores/memory-session-store';
import type { ShareRecord } from './stores/share-record';
import { EngineHarness, lastJob, submitNonce } from './testing/engine-harness';
import { FakeCoinPlugin, FakeNode, deferred, fakeTemplate, flush } from './testing/fake-coin';
import { MemoryShareStore } from './stores/memory-share-store';
import { PoolEngine } from './pool-engine';
import { FakeLeaseCluster } from './testing/fake-extranonce-leases';

/** A template as a job bus delivers it to every instance: with the bus's job id. */
function busTemplate(height: number, prevHash: string, jobId: string): CoinTemplate {
  return { ...fakeTemplate(height, prevHash), jobId };
}

/** Two "instances" in one process on one set of shared ports, with one clock. */
function twoInstances(options: PoolEngineOptions = {}): {
  a: EngineHarness;
  b: EngineHarness;
  cluster: FakeLeaseCluster;
  advance(ms: number): void;
} {
  let now = 1_700_000_000_000;
  const clock = (): number => now;
  const cluster = new FakeLeaseCluster(clock);
  const duplicateIndex = new MemoryDuplicateIndex();
  const sessionStore = new MemorySessionStore({ now: clock });
  const make = (instanceId: string): EngineHarness =>
    new EngineHarness(options, undefined, { instanceId, duplicateIndex, extranonceLeases: cluster.leases(), sessionStore, clock });
  return {
    a: make('a'),
    b: make('b'),
    cluster,
    advance: (ms) => {
      now += ms;
    },
  };
}

/** A session on `h`'s engine with its events collected. */
function connect(h: EngineHarness, initialDifficulty = 1): { session: MinerSession; events: SessionEvent[] } {
  const session = h.engine.createSession({ remoteAddress: '127.0.0.1:40002', port: 3333, initialDifficulty });
  const events: SessionEvent[] = [];
  session.events$.subscribe((e) => events.push(e));
  return { session, events };
}

describe('PoolEngine', () => {
  describe('when started and stopped', () => {
    it('starts and stops the node, completes blocks$ and closes live sessions', async () => {
      const h = new EngineHarness();
      await h.engine.start();
      expect(h.node.started).toBe(1);
      h.node.push(fakeTemplate(1, 'aa'));
      const { session } = await h.miner();
      const blocks = firstValueFrom(h.engine.blocks$.pipe(toArray()));
      await h.engine.stop();
      expect(await blocks).toEqual([]);
      expect(session.closed).toBe(true);
      expect(h.node.stopped).toBe(1);
      expect(() => h.engine.createSession({ remoteAddress: 'x', port: 1, initialDifficulty: 1 })).toThrow(LodeError);
      await h.engine.stop();
      expect(h.node.stopped).toBe(1);
    });
  });

  describe('when stopped while a submit is in flight', () => {
    it('waits for the submit to finish before stopping the job manager', async () => {
      const held = deferred<void>();
      const recorded: ShareRecord[] = [];
      const h = new EngineHarness({}, {
        record: async (r) => {
          recorded.push(r);
          await held.promise;
        },
      });
      await h.engine.start();
      h.node.push(fakeTemplate(1, 'aa'));
      const { session, events } = await h.miner();
      const verdict = submitNonce(session, lastJob(events), 5);
      expect(h.engine.inFlightSubmits).toBe(1);
      let stopped = false;
      const stopping = h.engine.stop().then(() => (stopped = true));
      await flush();
      await flush();
      expect(stopped).toBe(false);
      expect(h.node.stopped).toBe(0);
      expect(session.closed).toBe(false);
      // A submit that arrives while stopping is refused, so the wait ends.
      expect(await submitNonce(session, lastJob(events), 6)).toEqual({
        accepted: false,
        reason: 'not-subscribed',
        message: 'the pool is stopping',
      });
      held.resolve();
      await stopping;
      expect(await verdict).toMatchObject({ accepted: true });
      expect(recorded).toHaveLength(1);
      expect(h.node.stopped).toBe(1);
    });

    it('waits for a block submission to be answered', async () => {
      const h = new EngineHarness();
      await h.engine.start();
      h.node.push(fakeTemplate(1, 'aa', 10));
      const answer = deferred<{ accepted: boolean; hash: string }>();
      h.node.nextSubmit = () => answer.promise;
      const { session, events } = await h.miner();
      const blocks = firstValueFrom(h.engine.blocks$.pipe(toArray()));
      expect(await submitNonce(session, lastJob(events), 50)).toMatchObject({ block: true });
      let stopped = false;
      const stopping = h.engine.stop().then(() => (stopped = true));
      await flush();
      expect(stopped).toBe(false);
      answer.resolve({ accepted: true, hash: 'cafe' });
      await stopping;
      expect(await blocks).toEqual([{ height: 1, hash: 'cafe', accepted: true, worker: 'w1' }]);
    });
  });

  describe('when many sessions come and go', () => {
    it('never hands one extranonce1 to two live or resumable sessions', async () => {
      const h = new EngineHarness();
      await h.engine.start();
      const live = new Map<string, ReturnType<typeof h.engine.createSession>>();
      const held = new Set<string>();
      for (let round = 0; round < 4; round++) {
        for (let i = 0; i < 500; i++) {
          const session = h.engine.createSession({ remoteAddress: '127.0.0.1:1', port: 1, initialDifficulty: 1 });
          const en1 = (await session.subscribe({})).extranonce1.toString('hex');
          expect(live.has(en1) || held.has(en1)).toBe(false);
          live.set(en1, session);
        }
        // Close every other session: its value is held for resume, not free.
        let k = 0;
        for (const [en1, session] of [...live]) {
          if (k++ % 2 === 0) {
            await session.close();
            live.delete(en1);
            held.add(en1);
          }
        }
      }
      expect(h.engine.sessionCount).toBe(live.size);
      expect(h.engine.resumeHolds).toBe(held.size);
      await h.engine.stop();
    });
  });

  describe('when shares are recorded', () => {
    it('gives every record a unique id "<instanceId>:<run>:<sequence>", the instance and the version bits', async () => {
      const h = new EngineHarness({}, undefined, { instanceId: 'pool-a' });
      const other = new EngineHarness();
      for (const e of [h, other]) {
        await e.engine.start();
        e.node.push(fakeTemplate(1, 'aa'));
      }
      expect(other.engine.instanceId).toMatch(/^[0-9a-f]{8}$/);
      const { session, events } = await h.miner();
      const theirs = await other.miner();
      session.setVersionMask(0x1fffe000);
      const job = lastJob(events);
      await submitNonce(session, job, 5);
      await submitNonce(theirs.session, lastJob(theirs.events), 5);
      await submitNonce(session, job, 5);
      await submitNonce(session, job, 5, { versionBits: 0x2000 });
      const records = h.shares.recent(10);
      expect(records.map((r) => [r.instance, r.verdict, r.versionBits])).toEqual([
        ['pool-a', 'accepted', undefined],
        ['pool-a', 'duplicate', undefined],
        ['pool-a', 'accepted', 0x2000],
      ]);
      const ids = [...records, ...other.shares.recent(10)].map((r) => r.id);
      expect(new Set(ids).size).toBe(4);
      // "<instance>:<run>:<n>": the run id keeps a restarted instance from reusing ids
      for (const r of records) expect(r.id).toMatch(/^pool-a:[0-9a-z]+:[0-9]+$/);
      expect(other.shares.recent(1)[0].id.startsWith(`${other.engine.instanceId}:`)).toBe(true);
      await h.engine.stop();
      await other.engine.stop();
    });
  });

  describe('when a new block arrives', () => {
    it('sweeps the duplicate index below height - 2, once per clean job', async () => {
      const swept: [string, number][] = [];
      const index = new MemoryDuplicateIndex();
      const spy: DuplicateIndex = {
        add: (coin, height, key) => index.add(coin, height, key),
        sweepBelow: async (coin, height) => {
          swept.push([coin, height]);
          await index.sweepBelow(coin, height);
        },
      };
      const h = new EngineHarness({}, undefined, { duplicateIndex: spy });
      await h.engine.start();
      h.node.push(fakeTemplate(100, 'aa'));
      h.node.push(fakeTemplate(100, 'aa'));
      h.node.push(fakeTemplate(101, 'bb'));
      h.node.push(fakeTemplate(102, 'cc'));
      expect(swept).toEqual([
        ['fake', 98],
        ['fake', 99],
        ['fake', 100],
      ]);
      await h.engine.stop();
    });

    it("does not sweep below height 0 on a chain's first blocks (the Redis index refuses negative heights)", async () => {
      const swept: number[] = [];
      const spy: DuplicateIndex = {
        add: async () => true,
        sweepBelow: async (_coin, height) => {
          swept.push(height);
        },
      };
      const h = new EngineHarness({}, undefined, { duplicateIndex: spy });
      await h.engine.start();
      h.node.push(fakeTemplate(1, 'aa'));
      h.node.push(fakeTemplate(2, 'bb'));
      h.node.push(fakeTemplate(3, 'cc'));
      expect(swept).toEqual([1]);
      await h.engine.stop();
    });
  });

  describe('when the duplicate index fails', () => {
    it('judges shares without the check, counts and logs it, and checks again once it answers', async () => {
      let failing = true;
      const index = new MemoryDuplicateIndex();
      const flaky: DuplicateIndex = {
        add: async (coin, height, key) => {
          if (failing) throw new LodeError('store', 'redis unreachable');
          return index.add(coin, height, key);
        },
        sweepBelow: async () => undefined,
      };
      const h = new EngineHarness({}, undefined, { duplicateIndex: flaky });
      await h.engine.start();
      h.node.push(fakeTemplate(100, 'aa'));
      const { session, events } = await h.miner();
      const job = lastJob(events);
      expect(await submitNonce(session, job, 5)).toMatchObject({ accepted: true });
      expect(await submitNonce(session, job, 5)).toMatchObject({ accepted: true });
      expect(h.engine.duplicateCheckFailures).toBe(2);
      const warned = h.logs.filter((l) => l.msg.startsWith('duplicate index failed'));
      expect(warned).toEqual([
        expect.objectContaining({
          level: 'warn',
          msg: 'duplicate index failed: shares are judged without the duplicate check until it answers again',
        }),
      ]);
      failing = false;
      expect(await submitNonce(session, job, 6)).toMatchObject({ accepted: true });
      expect(await submitNonce(session, job, 6)).toMatchObject({ reason: 'duplicate' });
      expect(h.logs).toContainEqual(expect.objectContaining({ level: 'info', msg: 'duplicate index answers again' }));
      await h.engine.stop();
    });
  });

  describe('when two instances share one session store, duplicate index and extranonce leases (issue 4)', () => {
    it('resumes a session on the other instance: same extranonce1, its workers, difficulty and jobs, and its shares stay duplicates', async () => {
      const { a, b, cluster } = twoInstances();
      await a.engine.start();
      await b.engine.start();
      for (const h of [a, b]) h.node.push(busTemplate(100, 'aa', 'j1'));
      const first = connect(a, 4);
      const { extranonce1, sessionId } = await first.session.subscribe({});
      expect(extranonce1.subarray(0, 1)).toEqual(a.engine.extranoncePrefix);
      expect(cluster.holder(extranonce1)).toBe('a');
      await first.session.authorize({ workerName: 'w1', password: '' });
      await flush();
      const j1 = lastJob(first.events);
      expect(j1.id).toBe('j1');
      expect(await submitNonce(first.session, j1, 5)).toMatchObject({ accepted: true, difficulty: 4 });
      first.session.suggestDifficulty(16);
      for (const h of [a, b]) h.node.push(busTemplate(100, 'aa', 'j2'));
      await first.session.close();
      // dropped, so that whichever instance the miner comes back to can claim it
      expect(cluster.holder(extranonce1)).toBeUndefined();

      const back = connect(b);
      expect(await back.session.subscribe({ sessionId })).toEqual({ extranonce1, extranonce2Size: 4, sessionId });
      expect(cluster.holder(extranonce1)).toBe('b');
      expect(back.session.authorizedWorkers).toEqual(['w1']);
      await flush();
      const j2 = b.engine.jobs.get('j2')?.job;
      expect(back.events).toEqual([
        { type: 'difficulty', difficulty: 16 },
        { type: 'job', job: j2, clean: true, difficulty: 16 },
      ]);
      const onB = b.engine.jobs.get('j1')?.job;
      expect(onB).toBeDefined();
      expect(await submitNonce(back.session, onB!, 5)).toMatchObject({ accepted: false, reason: 'duplicate' });
      // j1 keeps the difficulty it was sent at on A
      expect(await submitNonce(back.session, onB!, 6)).toMatchObject({ accepted: true, difficulty: 4 });
      expect(b.shares.recent(2).map((r) => [r.instance, r.verdict])).toEqual([
        ['b', 'duplicate'],
        ['b', 'accepted'],
      ]);
      await back.session.close();
      await a.engine.stop();
      await b.engine.stop();
      expect(cluster.prefixes.size).toBe(0);
      expect(cluster.calls.filter((c) => c === 'releasePrefix')).toHaveLength(2);
    });

    it('gives each instance its own prefix and never one extranonce1 to two live sessions, across resumes', async () => {
      // 2-byte extranonce1 with a 1-byte prefix: 256 values per instance, so the space can be exhausted.
      const { a, b, advance } = twoInstances({ extranonce1Size: 2, resumeWindowSeconds: 60 });
      await a.engine.start();
      await b.engine.start();
      expect(a.engine.extranoncePrefix).toEqual(Buffer.from([0]));
      expect(b.engine.extranoncePrefix).toEqual(Buffer.from([1]));
      const live = new Map<string, MinerSession>();
      const add = (session: MinerSession, extranonce1: Buffer): void => {
        const hex = extranonce1.toString('hex');
        expect(live.has(hex)).toBe(false);
        live.set(hex, session);
      };
      const onA: MinerSession[] = [];
      for (let i = 0; i < 100; i++) {
        for (const h of [a, b]) {
          const { session } = connect(h);
          add(session, (await session.subscribe({})).extranonce1);
          if (h === a) onA.push(session);
        }
      }
      // 50 of A's sessions come back on B
      for (const session of onA.slice(0, 50)) {
        const { extranonce1, sessionId } = await session.subscribe({});
        await session.close();
        live.delete(extranonce1.toString('hex'));
        const back = connect(b).session;
        const resumed = await back.subscribe({ sessionId });
        expect(resumed.extranonce1).toEqual(extranonce1);
        add(back, resumed.extranonce1);
      }
      // A's resume windows end: the values are free in A's allocator, but B's sessions use them
      advance(61_000);
      a.engine.maintain();
      expect(a.engine.resumeHolds).toBe(0);
      let handed = 0;
      const refusals = new Set<string>();
      for (let attempt = 0; attempt < 200; attempt++) {
        const { session } = connect(a);
        try {
          add(session, (await session.subscribe({})).extranonce1);
          handed++;
        } catch (error) {
          refusals.add((error as Error).message);
          await session.close();
        }
      }
      // 256 values: 50 live on A, 50 live on B, the other 156 handed out now
      expect(handed).toBe(156);
      expect(refusals).toContain('no free extranonce1: 16 values in a row are claimed by sessions resumed on other instances');
      for (const hex of live.keys()) expect(hex).toHaveLength(4);
      expect(live.size).toBe(100 + 100 + 156);
      await a.engine.stop();
      await b.engine.stop();
    });

    it("skips a value another instance claimed when allocating", async () => {
      const { a, cluster } = twoInstances({ extranonce1Size: 2 });
      await a.engine.start();
      const theirs = cluster.leases();
      for (let x = 0; x < 256; x += 2) expect(await theirs.claim(Buffer.from([0, x]), 'b', 60_000)).toBe(true);
      for (let i = 0; i < 100; i++) {
        const { extranonce1 } = await connect(a).session.subscribe({});
        expect(extranonce1[0]).toBe(0);
        expect(extranonce1[1] % 2).toBe(1);
        expect(cluster.holder(extranonce1)).toBe('a');
      }
      expect(a.engine.extranonceClaims).toBe(100);
      await a.engine.stop();
    });

    it('refreshes the claims of live sessions on maintain, and releases them at close', async () => {
      const { a, cluster, advance } = twoInstances({ resumeWindowSeconds: 600, maintenanceIntervalMs: 10_000 });
      await a.engine.start();
      const { session } = connect(a);
      const { extranonce1 } = await session.subscribe({});
      const hex = extranonce1.toString('hex');
      // ttl = resume window + 2 maintenance intervals
      expect(cluster.calls).toContain(`claim ${hex} a 620000`);
      advance(615_000);
      a.engine.maintain();
      await flush();
      advance(10_000);
      expect(cluster.holder(extranonce1)).toBe('a');
      await session.close();
      await flush();
      expect(cluster.calls.at(-1)).toBe(`release ${hex} a`);
      expect(cluster.holder(extranonce1)).toBeUndefined();
      await a.engine.stop();
    });

    it('claims the fresh value of a session moved with reassignExtranonce1 and releases the old one', async () => {
      const { a, cluster } = twoInstances();
      await a.engine.start();
      const { session } = connect(a);
      const { extranonce1: old } = await session.subscribe({});
      const { extranonce1: fresh } = session.reassignExtranonce1();
      await flush();
      expect(cluster.holder(old)).toBeUndefined();
      expect(cluster.holder(fresh)).toBe('a');
      expect(a.engine.extranonceClaims).toBe(1);
      await a.engine.stop();
      expect(cluster.holder(fresh)).toBeUndefined();
    });

    it('hands out values while the leases fail, and claims them on the next refresh', async () => {
      const { a, cluster } = twoInstances();
      await a.engine.start();
      cluster.failing = true;
      const { session } = connect(a);
      const { extranonce1 } = await session.subscribe({});
      expect(cluster.holder(extranonce1)).toBeUndefined();
      expect(a.logs).toContainEqual(
        expect.objectContaining({ level: 'warn', msg: 'extranonce leases failed: extranonce1 used unclaimed until a refresh claims it' }),
      );
      cluster.failing = false;
      a.engine.maintain();
      await flush();
      expect(cluster.holder(extranonce1)).toBe('a');
      await a.engine.stop();
    });

    it('refuses subscribe before start (no prefix yet), and a fixed prefix beside the leases', async () => {
      const { a } = twoInstances();
      await expect(connect(a).session.subscribe({})).rejects.toThrow(
        'the pool engine has not started: its extranonce1 prefix comes from the leases at start()',
      );
      expect(a.engine.extranoncePrefix).toBeUndefined();
      const cluster = new FakeLeaseCluster(Date.now);
      expect(
        () => new EngineHarness({ instancePrefix: Buffer.from([7]) }, undefined, { extranonceLeases: cluster.leases() }),
      ).toThrow('instancePrefix and extranonceLeases exclude each other');
      expect(
        () => new EngineHarness({ extranoncePrefixBytes: 4 }, undefined, { extranonceLeases: cluster.leases() }),
      ).toThrow('extranoncePrefixBytes must be an integer from 1 to 3 (extranonce1 is 4 bytes), got 4');
      await a.engine.stop();
    });

    it('fails to start when no prefix is free', async () => {
      const cluster = new FakeLeaseCluster(Date.now);
      cluster.failing = true;
      const h = new EngineHarness({}, undefined, { extranonceLeases: cluster.leases() });
      await expect(h.engine.start()).rejects.toThrow('fake leases unavailable');
      expect(h.node.started).toBe(0);
      await h.engine.stop();
    });
  });

  describe('when built with bad options', () => {
    it('throws a config error naming the value', () => {
      expect(() => new EngineHarness({ extranonce1Size: 9 })).toThrow('extranonce1 size must be an integer from 1 to 8 bytes, got 9');
      expect(() => new EngineHarness({ historySize: 0 })).toThrow('historySize must be an integer >= 1, got 0');
      expect(() => new EngineHarness({ extranonce2Size: 0 })).toThrow(LodeError);
      expect(() => new EngineHarness({}, undefined, { instanceId: 'a b' })).toThrow(
        'instanceId must be 1 to 64 characters of [A-Za-z0-9._-], got "a b"',
      );
    });
  });

  describe('when a session is created with a bad initial difficulty', () => {
    it('throws a config error', async () => {
      const h = new EngineHarness();
      expect(() => h.engine.createSession({ remoteAddress: 'x', port: 1, initialDifficulty: 0 })).toThrow(
        'initialDifficulty must be a finite number > 0, got 0',
      );
      expect(h.engine.sessionCount).toBe(0);
    });
  });
});

describe('PoolEngine with a coin that sets its own extranonce layout (CoinPlugin.extranonceSizes)', () => {
  it("uses the coin's sizes over the engine options (ethash: 2 + 6 = the 8-byte nonce)", async () => {
    const plugin = new FakeCoinPlugin();
    const seen: Record<string, unknown>[] = [];
    Object.assign(plugin, {
      extranonceSizes: (config: Record<string, unknown>) => {
        seen.push(config);
        return { extranonce1Size: 2, extranonce2Size: 6 };
      },
    });
    const coinConfig = { extranonceBytes: 2 };
    const engine = new PoolEngine({
      plugin,
      node: new FakeNode(),
      coinConfig,
      shareStore: new MemoryShareStore(),
      sessionStore: new MemorySessionStore(),
      options: { extranonce1Size: 4, extranonce2Size: 4 },
    });
    const session = engine.createSession({ remoteAddress: '127.0.0.1:1', port: 1, initialDifficulty: 1 });
    const result = await session.subscribe({});
    expect(result.extranonce1).toHaveLength(2);
    expect(result.extranonce2Size).toBe(6);
    expect(seen).toEqual([coinConfig]);
    await session.close();
    await engine.stop();
  });
});
