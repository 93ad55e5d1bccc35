import { silentLogger, type LodeLogger } from '@lode/stratum-core';
import { HashrateHistory } from './hashrate-history';

describe('HashrateHistory', () => {
  describe('when sampled more times than it keeps', () => {
    it('keeps the last `points` samples per coin, oldest first, each with the clock time', async () => {
      let now = 0;
      let rate = 0;
      const history = new HashrateHistory({
        coins: ['btc', 'eth'],
        intervalSeconds: 60,
        points: 2,
        sample: async (coin) => ({ hashrate: coin === 'btc' ? rate : rate * 2, workers: 1 }),
        clock: () => now,
        logger: silentLogger,
      });
      for (const [t, r] of [
        [60_000, 10],
        [120_000, 20],
        [180_000, 30],
      ]) {
        now = t as number;
        rate = r as number;
        await history.sampleNow();
      }
      expect(history.points('btc')).toEqual([
        { time: 120_000, hashrate: 20, workers: 1 },
        { time: 180_000, hashrate: 30, workers: 1 },
      ]);
      expect(history.points('eth')?.map((p) => p.hashrate)).toEqual([40, 60]);
      expect(history.points('btc', 120_000)?.map((p) => p.time)).toEqual([180_000]);
      expect(history.points('ltc')).toBeUndefined();
    });
  });

  describe('when a sample is asked for while one runs', () => {
    it('joins the running one instead of sampling twice', async () => {
      let calls = 0;
      let release = (): void => undefined;
      const history = new HashrateHistory({
        coins: ['btc'],
        intervalSeconds: 1,
        points: 10,
        sample: () => {
          calls++;
          return new Promise((resolve) => (release = () => resolve({ hashrate: 1, workers: 1 })));
        },
        logger: silentLogger,
      });
      const first = history.sampleNow();
      const second = history.sampleNow();
      release();
      await Promise.all([first, second]);
      expect(calls).toBe(1);
      expect(history.points('btc')).toHaveLength(1);
    });
  });

  describe('when a sample fails', () => {
    it('skips it and logs the coin and the error', async () => {
      const warnings: unknown[] = [];
      const logger: LodeLogger = { ...silentLogger, warn: (fields, message) => void warnings.push([fields, message]) };
      const history = new HashrateHistory({
        coins: ['btc'],
        intervalSeconds: 1,
        points: 10,
        sample: () => Promise.reject(new Error('redis is down')),
        logger,
      });
      await history.sampleNow();
      expect(history.points('btc')).toEqual([]);
      expect(warnings).toEqual([[{ coin: 'btc', err: 'redis is down' }, 'hashrate sample skipped']]);
    });
  });

  describe('when built with an interval or a size out of range', () => {
    it('throws LodeError(config) naming the value', () => {
      const base = { coins: [], sample: async () => ({ hashrate: 0, workers: 0 }), logger: silentLogger };
      expect(() => new HashrateHistory({ ...base, intervalSeconds: -1, points: 1 })).toThrow('history interval is -1 s; it must be a number of seconds > 0');
      expect(() => new HashrateHistory({ ...base, intervalSeconds: Number.NaN, points: 1 })).toThrow('history interval is NaN s');
      expect(() => new HashrateHistory({ ...base, intervalSeconds: 1, points: 0 })).toThrow('history size is 0 points; it must be an integer >= 1');
    });
  });
});
