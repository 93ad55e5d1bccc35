import { firstValueFrom, toArray } from 'rxjs';
import { FAKE_DIFF1, FakeCoinPlugin, FakeNode, fakeTemplate } from '../testing/fake-coin';
import type { JobBroadcast } from './job-broadcast';
import { JobManager } from './job-manager';

function setup(historySize = 32): { plugin: FakeCoinPlugin; node: FakeNode; jobs: JobManager; seen: JobBroadcast[] } {
  const plugin = new FakeCoinPlugin();
  const node = new FakeNode();
  const jobs = new JobManager(plugin, node, {}, { extranonce1Size: 4, extranonce2Size: 4, historySize });
  const seen: JobBroadcast[] = [];
  jobs.jobs$.subscribe((b) => seen.push(b));
  return { plugin, node, jobs, seen };
}

describe('JobManager', () => {
  describe('when started', () => {
    it('starts the node and turns each template into a job with a fresh hex id', async () => {
      const { node, jobs, seen } = setup();
      await jobs.start();
      expect(node.started).toBe(1);
      node.push(fakeTemplate(100, 'aa'));
      node.push(fakeTemplate(100, 'aa'));
      expect(seen).toHaveLength(2);
      expect(seen[0].job.id).toMatch(/^[0-9a-f]+$/);
      expect(seen[0].job.id).not.toBe(seen[1].job.id);
      expect(jobs.current).toBe(seen[1].job);
      expect(jobs.currentHeight).toBe(100);
      await jobs.stop();
    });

    it('never reuses a job id across managers in one process', async () => {
      const a = setup();
      const b = setup();
      await a.jobs.start();
      await b.jobs.start();
      for (let i = 0; i < 20; i++) {
        a.node.push(fakeTemplate(1, 'aa'));
        b.node.push(fakeTemplate(1, 'aa'));
      }
      const ids = [...a.seen, ...b.seen].map((s) => s.job.id);
      expect(new Set(ids).size).toBe(40);
      await a.jobs.stop();
      await b.jobs.stop();
    });
  });

  describe('listen', () => {
    it('gives a listener the current job at once, then every new one before jobs$, until unlisten', async () => {
      const { node, jobs, seen } = setup();
      await jobs.start();
      node.push(fakeTemplate(100, 'aa'));
      const heard: Array<{ id: string; clean: boolean; seenBefore: number }> = [];
      const listener = (b: JobBroadcast): void => {
        heard.push({ id: b.job.id, clean: b.clean, seenBefore: seen.length });
      };
      jobs.listen(listener);
      expect(heard).toEqual([{ id: seen[0].job.id, clean: true, seenBefore: 1 }]);
      expect(jobs.listenerCount).toBe(1);
      node.push(fakeTemplate(100, 'aa'));
      // called before jobs$ emitted this job
      expect(heard[1]).toEqual({ id: seen[1].job.id, clean: false, seenBefore: 1 });
      jobs.unlisten(listener);
      jobs.unlisten(listener);
      node.push(fakeTemplate(101, 'bb'));
      expect(heard).toHaveLength(2);
      expect(jobs.listenerCount).toBe(0);
      await jobs.stop();
    });

    it('keeps calling the other listeners when one throws, and one removed mid fan-out is not called', async () => {
      const { node, jobs } = setup();
      await jobs.start();
      const calls: string[] = [];
      const second = (): void => {
        calls.push('second');
      };
      jobs.listen(() => {
        calls.push('first');
        jobs.unlisten(second);
        throw new Error('listener bug');
      });
      jobs.listen(second);
      jobs.listen(() => {
        calls.push('third');
      });
      node.push(fakeTemplate(100, 'aa'));
      expect(calls).toEqual(['first', 'third']);
      await jobs.stop();
    });

    it('drops every listener on stop and registers none after it', async () => {
      const { node, jobs } = setup();
      await jobs.start();
      node.push(fakeTemplate(100, 'aa'));
      jobs.listen(() => undefined);
      await jobs.stop();
      expect(jobs.listenerCount).toBe(0);
      let called = 0;
      jobs.listen(() => called++);
      expect(called).toBe(0);
      expect(jobs.listenerCount).toBe(0);
    });
  });

  describe('when a template builds on a new previous block', () => {
    it('makes a clean job, and every older job stale but still known', async () => {
      const { node, jobs, seen } = setup();
      await jobs.start();
      node.push(fakeTemplate(100, 'aa'));
      node.push(fakeTemplate(100, 'aa'));
      node.push(fakeTemplate(101, 'bb'));
      expect(seen.map((s) => s.clean)).toEqual([true, false, true]);
      expect(jobs.get(seen[0].job.id)).toEqual({ job: seen[0].job, stale: true });
      expect(jobs.get(seen[1].job.id)?.stale).toBe(true);
      expect(jobs.get(seen[2].job.id)?.stale).toBe(false);
      expect(jobs.get('ffffffffff')).toBeUndefined();
      await jobs.stop();
    });

    it('makes a clean job on a reorg to another block at the same height', async () => {
      const { node, jobs, seen } = setup();
      await jobs.start();
      node.push(fakeTemplate(100, 'aa'));
      node.push(fakeTemplate(100, 'cc'));
      expect(seen.map((s) => s.clean)).toEqual([true, true]);
      expect(jobs.get(seen[0].job.id)?.stale).toBe(true);
      await jobs.stop();
    });
  });

  describe('when more jobs are made than the history holds', () => {
    it('forgets the oldest and announces it on retired$', async () => {
      const { node, jobs, seen } = setup(2);
      const retired: string[] = [];
      jobs.retired$.subscribe((id) => retired.push(id));
      await jobs.start();
      node.push(fakeTemplate(1, 'aa'));
      node.push(fakeTemplate(1, 'aa'));
      node.push(fakeTemplate(1, 'aa'));
      expect(jobs.get(seen[0].job.id)).toBeUndefined();
      expect(retired).toEqual([seen[0].job.id]);
      expect(jobs.size).toBe(2);
      await jobs.stop();
    });
  });

  describe('when a subscriber comes late', () => {
    it('gets the current job at once', async () => {
      const { node, jobs, seen } = setup();
      await jobs.start();
      node.push(fakeTemplate(7, 'aa'));
      node.push(fakeTemplate(7, 'aa'));
      const late: JobBroadcast[] = [];
      const sub = jobs.jobs$.subscribe((b) => late.push(b));
      expect(late).toEqual([seen[1]]);
      sub.unsubscribe();
      await jobs.stop();
    });
  });

  describe('when no template comes for the refresh interval', () => {
    afterEach(() => jest.useRealTimers());

    it('rebuilds a plain job from the current template', async () => {
      jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
      const { node, jobs, seen } = setup();
      await jobs.start();
      node.push(fakeTemplate(5, 'aa'));
      jest.advanceTimersByTime(29_999);
      expect(seen).toHaveLength(1);
      jest.advanceTimersByTime(1);
      expect(seen).toHaveLength(2);
      expect(seen[1]).toMatchObject({ clean: false, job: { height: 5, prevHash: 'aa' } });
      expect(seen[1].job.id).not.toBe(seen[0].job.id);
      await jobs.stop();
      jest.advanceTimersByTime(60_000);
      expect(seen).toHaveLength(2);
    });
  });

  describe('when templates come from a job bus (they carry jobId)', () => {
    afterEach(() => jest.useRealTimers());

    it('gives each job exactly the bus id and ignores a template whose id is already known', async () => {
      const { node, jobs, seen } = setup();
      await jobs.start();
      node.push({ ...fakeTemplate(100, 'aa'), jobId: 'bus-1' });
      node.push({ ...fakeTemplate(100, 'aa'), jobId: 'bus-2' });
      node.push({ ...fakeTemplate(100, 'aa'), jobId: 'bus-1' });
      expect(seen.map((s) => s.job.id)).toEqual(['bus-1', 'bus-2']);
      expect(jobs.current?.id).toBe('bus-2');
      expect(jobs.get('bus-1')?.stale).toBe(false);
      await jobs.stop();
    });

    it("takes the template's clean flag, and still cleans on a new previous block", async () => {
      const { node, jobs, seen } = setup();
      await jobs.start();
      node.push({ ...fakeTemplate(100, 'aa'), jobId: 'b1', clean: true });
      node.push({ ...fakeTemplate(100, 'aa'), jobId: 'b2', clean: true });
      node.push({ ...fakeTemplate(100, 'aa'), jobId: 'b3', clean: false });
      node.push({ ...fakeTemplate(101, 'bb'), jobId: 'b4', clean: false });
      node.push({ ...fakeTemplate(101, 'bb'), jobId: 'b5' });
      expect(seen.map((s) => [s.job.id, s.clean])).toEqual([
        ['b1', true],
        ['b2', true],
        ['b3', false],
        ['b4', true],
        ['b5', false],
      ]);
      await jobs.stop();
    });

    it('runs no refresh timer of its own (the bus leader republishes)', async () => {
      jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
      const { node, jobs, seen } = setup();
      await jobs.start();
      node.push(fakeTemplate(5, 'aa'));
      node.push({ ...fakeTemplate(5, 'aa'), jobId: 'bus-7' });
      jest.advanceTimersByTime(120_000);
      expect(seen.map((s) => s.job.id)).toEqual([seen[0].job.id, 'bus-7']);
      await jobs.stop();
    });
  });

  describe('when the plugin cannot build a job', () => {
    it('skips the template and keeps the current job', async () => {
      const { plugin, node, jobs, seen } = setup();
      await jobs.start();
      node.push(fakeTemplate(5, 'aa'));
      plugin.failCreateJob = true;
      node.push(fakeTemplate(6, 'bb'));
      expect(seen).toHaveLength(1);
      expect(jobs.currentHeight).toBe(5);
      plugin.failCreateJob = false;
      node.push(fakeTemplate(6, 'bb'));
      expect(seen[1].clean).toBe(true);
      await jobs.stop();
    });
  });

  describe('when asked for a network difficulty', () => {
    it('divides diff1 by the job network target', async () => {
      const { node, jobs, seen } = setup();
      await jobs.start();
      node.push(fakeTemplate(5, 'aa', 4096));
      expect(jobs.networkDifficulty(seen[0].job)).toBe(4096);
      expect(FAKE_DIFF1 / seen[0].job.networkTarget).toBe(4096n);
      await jobs.stop();
    });
  });

  describe('when stopped', () => {
    it('completes jobs$, stops the node and ignores later templates', async () => {
      const { node, jobs } = setup();
      await jobs.start();
      node.push(fakeTemplate(1, 'aa'));
      const all = firstValueFrom(jobs.jobs$.pipe(toArray()));
      await jobs.stop();
      expect(await all).toHaveLength(1);
      expect(node.stopped).toBe(1);
      node.push(fakeTemplate(2, 'bb'));
      expect(jobs.currentHeight).toBe(1);
    });
  });
});
