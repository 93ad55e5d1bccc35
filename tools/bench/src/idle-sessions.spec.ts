import { loopbackAddresses, perSession, plannedSizes, type MemoryAt } from './idle-sessions';

const usage = (rss: number, heapUsed: number, external: number, arrayBuffers: number): NodeJS.MemoryUsage => ({
  rss,
  heapTotal: 0,
  heapUsed,
  external,
  arrayBuffers,
});

describe('perSession', () => {
  describe('when a point holds more sessions than the reference', () => {
    it('divides each memory delta by the sessions added', () => {
      const reference: MemoryAt = { sessions: 200, rssBytes: 100 * 2 ** 20, collected: usage(90 * 2 ** 20, 10 * 2 ** 20, 1000, 500) };
      // 10,200 sessions: 10,000 added; RSS +40,960,000 bytes -> 4096 bytes each
      const point: MemoryAt = { sessions: 10_200, rssBytes: 100 * 2 ** 20 + 40_960_000, collected: usage(90 * 2 ** 20 + 30_000_000, 10 * 2 ** 20 + 20_000_000, 1000 + 5_000_000, 500 + 5_000_000) };
      expect(perSession(reference, point)).toEqual({ rss: 4096, rssCollected: 3000, heapUsed: 2000, external: 1000 });
    });
  });

  describe('when no session was added', () => {
    it('gives NaN', () => {
      const at: MemoryAt = { sessions: 200, rssBytes: 1, collected: usage(1, 1, 1, 1) };
      expect(perSession(at, at).rss).toBeNaN();
    });
  });
});

describe('loopbackAddresses', () => {
  it('gives none up to 25,000 sessions, then one 127.0.0.x address per 25,000', () => {
    expect(loopbackAddresses(1000)).toBeUndefined();
    expect(loopbackAddresses(25_000)).toBeUndefined();
    expect(loopbackAddresses(25_001)).toEqual(['127.0.0.1', '127.0.0.2']);
    expect(loopbackAddresses(50_000)).toEqual(['127.0.0.1', '127.0.0.2']);
    expect(loopbackAddresses(100_001)).toEqual(['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5']);
  });
});

describe('plannedSizes', () => {
  describe('when the hard limit is 20,000 open files', () => {
    it('keeps the sizes that fit, skips the others with the reason, and adds the largest that fits', () => {
      const plan = plannedSizes([10_000, 50_000, 100_000], { soft: 20_000, hard: 20_000 }, true);
      expect(plan.sizes).toEqual([10_000, 19_500]);
      expect(plan.skipped.map((s) => s.sessions)).toEqual([50_000, 100_000]);
      expect(plan.skipped[0].reason).toContain('50,000 sessions need 50,256 open files');
    });
    it('adds nothing when told not to', () => {
      expect(plannedSizes([10_000, 50_000], { soft: 20_000, hard: 20_000 }, false).sizes).toEqual([10_000]);
    });
  });

  describe('when every size fits', () => {
    it('keeps them, ascending, and skips none', () => {
      expect(plannedSizes([50_000, 10_000], { soft: 1_048_576, hard: 1_048_576 }, true)).toEqual({ sizes: [10_000, 50_000], skipped: [] });
    });
  });
});
