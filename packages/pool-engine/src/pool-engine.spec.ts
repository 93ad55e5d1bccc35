import { firstValueFrom, toArray } from 'rxjs';
import { LodeError } from '@lode/stratum-core';
import { EngineHarness, lastJob, submitNonce } from './testing/engine-harness';
import { deferred, fakeTemplate, flush } from './testing/fake-coin';
import type { ShareRecord } from './stores/share-record';

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

  describe('when built with bad options', () => {
    it('throws a config error naming the value', () => {
      expect(() => new EngineHarness({ extranonce1Size: 9 })).toThrow('extranonce1 size must be an integer from 1 to 8 bytes, got 9');
      expect(() => new EngineHarness({ historySize: 0 })).toThrow('historySize must be an integer >= 1, got 0');
      expect(() => new EngineHarness({ extranonce2Size: 0 })).toThrow(LodeError);
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
