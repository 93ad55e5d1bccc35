import { BITCOIN_DIFF1_TARGET } from '@lode/mining';
import { LodeError } from '@lode/stratum-core';
import { WorkerStats } from './worker-stats';

describe('WorkerStats', () => {
  describe('when the coin has Bitcoin difficulty 1', () => {
    it('expects 2^48 / 65535 hashes per difficulty-1 share (facts/bitcoin-stratum.md "Targets")', () => {
      const stats = new WorkerStats({ diff1Target: BITCOIN_DIFF1_TARGET });
      expect(stats.hashesPerDifficulty / (2 ** 48 / 65535)).toBeCloseTo(1, 12);
    });
  });

  describe('when shares are recorded', () => {
    it('counts accepted, credited difficulty, rejections by reason and the last share time per worker and in total', () => {
      const stats = new WorkerStats({ diff1Target: 1n << 224n, windowSeconds: 100, bucketSeconds: 10 });
      stats.record('a', 'accepted', 4, 1_000);
      stats.record('a', 'accepted', 8, 2_000);
      stats.record('a', 'duplicate', 0, 3_000);
      stats.record('b', 'stale', 0, 4_000);
      stats.record('b', 'stale', 0, 5_000);
      const snap = stats.snapshot(5_000);
      const a = snap.workers.find((w) => w.worker === 'a')!;
      expect(a).toMatchObject({ accepted: 2, creditedDifficulty: 12, rejected: { duplicate: 1 }, rejectedTotal: 1, lastShareTime: 3_000 });
      const b = snap.workers.find((w) => w.worker === 'b')!;
      expect(b).toMatchObject({ accepted: 0, rejected: { stale: 2 }, rejectedTotal: 2, hashrate: 0 });
      expect(snap.pool).toMatchObject({ accepted: 2, creditedDifficulty: 12, rejected: { duplicate: 1, stale: 2 }, rejectedTotal: 3, workers: 2 });
    });

    it('estimates hashrate as credited difficulty x hashes per difficulty 1 / window', () => {
      // diff1 = 2^224: 2^256 / (2^224 + 1) hashes per difficulty-1 share, about 2^32.
      const stats = new WorkerStats({ diff1Target: 1n << 224n, windowSeconds: 100, bucketSeconds: 10 });
      stats.record('a', 'accepted', 50, 10_000);
      stats.record('a', 'accepted', 50, 60_000);
      stats.record('a', 'accepted', 50, 105_000);
      // at 110 s the window [20 s, 110 s] holds the last two shares
      const expected = (100 * 2 ** 32) / 100;
      expect(stats.snapshot(110_000).workers[0].hashrate / expected).toBeCloseTo(1, 9);
      expect(stats.snapshot(110_000).pool.hashrate / expected).toBeCloseTo(1, 9);
    });

    it('measures a worker younger than the window over its own age', () => {
      const stats = new WorkerStats({ diff1Target: 1n << 224n, windowSeconds: 100, bucketSeconds: 10 });
      stats.record('a', 'accepted', 50, 10_000);
      stats.record('a', 'accepted', 50, 60_000);
      // 100 difficulty over the 50 s since the first share
      expect(stats.snapshot(60_000).workers[0].hashrate / ((100 * 2 ** 32) / 50)).toBeCloseTo(1, 9);
    });
  });

  describe('when shares leave the window', () => {
    it('no longer counts them in the hashrate', () => {
      const stats = new WorkerStats({ diff1Target: 1n << 224n, windowSeconds: 100, bucketSeconds: 10 });
      stats.record('a', 'accepted', 50, 10_000);
      stats.record('a', 'accepted', 50, 60_000);
      const one = (50 * 2 ** 32) / 100;
      expect(stats.snapshot(115_000).workers[0].hashrate / one).toBeCloseTo(1, 9);
      expect(stats.snapshot(300_000).workers[0].hashrate).toBe(0);
      expect(stats.snapshot(300_000).workers[0].accepted).toBe(2);
    });
  });

  describe('when a share has no worker', () => {
    it('counts it in the pool totals only', () => {
      const stats = new WorkerStats({ diff1Target: 1n << 224n });
      stats.record(undefined, 'unauthorized', 0, 1);
      const snap = stats.snapshot(2);
      expect(snap.workers).toEqual([]);
      expect(snap.pool).toMatchObject({ rejected: { unauthorized: 1 }, rejectedTotal: 1, workers: 0 });
    });
  });

  describe('when more workers than maxWorkers are seen', () => {
    it('drops the least recently active one from the table, not from the totals', () => {
      const stats = new WorkerStats({ diff1Target: 1n << 224n, maxWorkers: 2 });
      stats.record('a', 'accepted', 1, 1);
      stats.record('b', 'accepted', 1, 2);
      stats.record('a', 'accepted', 1, 3);
      stats.record('c', 'accepted', 1, 4);
      const snap = stats.snapshot(5);
      expect(snap.workers.map((w) => w.worker)).toEqual(['a', 'c']);
      expect(snap.pool.accepted).toBe(4);
    });
  });

  describe('when a worker gets BIP 310 info', () => {
    it('shows the last one in its entry, a copy, and adds a worker without shares', () => {
      const stats = new WorkerStats({ diff1Target: 1n << 224n });
      stats.record('a', 'accepted', 1, 1);
      const info = { hwVersion: 'BM1366' };
      stats.setInfo('a', info);
      stats.setInfo('a', { swVersion: 'v2.9.0', hwId: 'rig-7' });
      stats.setInfo('b', { connectionUrl: 'stratum+tcp://127.0.0.1:3333' });
      const snap = stats.snapshot(2);
      expect(snap.workers.find((w) => w.worker === 'a')?.info).toEqual({ swVersion: 'v2.9.0', hwId: 'rig-7' });
      expect(snap.workers.find((w) => w.worker === 'b')).toMatchObject({ accepted: 0, info: { connectionUrl: 'stratum+tcp://127.0.0.1:3333' } });
      snap.workers[0].info!.swVersion = 'changed';
      expect(stats.snapshot(2).workers.find((w) => w.worker === 'a')?.info?.swVersion).toBe('v2.9.0');
    });
  });

  describe('when built with a zero diff1 target', () => {
    it('throws a config error', () => {
      expect(() => new WorkerStats({ diff1Target: 0n })).toThrow(LodeError);
    });
  });
});
