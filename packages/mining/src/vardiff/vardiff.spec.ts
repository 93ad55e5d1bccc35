import { LodeError } from '@lode/stratum-core';
import { Vardiff } from './vardiff';
import type { VardiffOptions } from './vardiff-options';

const OPTIONS: VardiffOptions = {
  targetShareSeconds: 10,
  retargetSeconds: 60,
  variancePercent: 30,
  minDifficulty: 0.0001,
  maxDifficulty: 1e9,
};

/** Expected hashes per share at difficulty D: D * 2^48 / 65535 (facts/bitcoin-stratum.md "Targets"). */
const hashesPerShare = (difficulty: number): number => (difficulty * 2 ** 48) / 65535;

/** The difficulty at which a miner of `hashrate` H/s finds one share per `seconds`. */
const idealDifficulty = (hashrate: number, seconds: number): number => (hashrate * seconds * 65535) / 2 ** 48;

/**
 * Feeds `vardiff` shares from a miner of fixed hashrate, evenly spaced at the
 * current difficulty, on a simulated clock. Returns the clock and how many
 * retargets happened.
 */
function mine(vardiff: Vardiff, hashrate: number, shares: number, start = 0): { now: number; retargets: number } {
  let now = start;
  let retargets = 0;
  for (let i = 0; i < shares; i++) {
    now += (hashesPerShare(vardiff.difficulty) / hashrate) * 1000;
    if (vardiff.recordShare(now) !== undefined) retargets++;
  }
  return { now, retargets };
}

/** Seconds per share the miner sees at the vardiff's current difficulty. */
const interval = (vardiff: Vardiff, hashrate: number): number => hashesPerShare(vardiff.difficulty) / hashrate;

/** Deterministic PRNG (mulberry32) for a Poisson share stream. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('Vardiff', () => {
  describe('when a fixed-hashrate miner starts far too low', () => {
    it('converges into the ±30% band within a few retargets (14 TH/s from difficulty 1)', () => {
      const hashrate = 14e12;
      const vardiff = new Vardiff(OPTIONS, 1, 0);
      const { now, retargets } = mine(vardiff, hashrate, 200);
      expect(retargets).toBeLessThanOrEqual(10);
      expect(interval(vardiff, hashrate)).toBeGreaterThanOrEqual(7);
      expect(interval(vardiff, hashrate)).toBeLessThanOrEqual(13);
      // and stays there
      expect(mine(vardiff, hashrate, 100, now).retargets).toBe(0);
    });
  });

  describe('when a fixed-hashrate miner starts far too high', () => {
    it('converges down into the band (a 500 kH/s NerdMiner from difficulty 1)', () => {
      const hashrate = 5e5;
      const vardiff = new Vardiff(OPTIONS, 1, 0);
      mine(vardiff, hashrate, 60);
      expect(vardiff.difficulty).toBeLessThan(1);
      expect(interval(vardiff, hashrate)).toBeGreaterThanOrEqual(7);
      expect(interval(vardiff, hashrate)).toBeLessThanOrEqual(13);
      expect(vardiff.difficulty / idealDifficulty(hashrate, 10)).toBeGreaterThan(0.7);
    });
  });

  describe('when shares arrive as a Poisson process (seeded)', () => {
    it('keeps the difficulty around the ideal without drifting', () => {
      const hashrate = 1e12;
      const ideal = idealDifficulty(hashrate, 10);
      const random = mulberry32(42);
      const vardiff = new Vardiff(OPTIONS, ideal, 0);
      let now = 0;
      let logSum = 0;
      const shares = 5000;
      for (let i = 0; i < shares; i++) {
        now += -Math.log(1 - random()) * interval(vardiff, hashrate) * 1000;
        vardiff.recordShare(now);
        logSum += Math.log(vardiff.difficulty / ideal);
      }
      const geometricMeanRatio = Math.exp(logSum / shares);
      expect(geometricMeanRatio).toBeGreaterThan(0.6);
      expect(geometricMeanRatio).toBeLessThan(1.6);
    });
  });

  describe('when the observed interval is inside the band', () => {
    it('never changes (shares every 12 s, 20% slow)', () => {
      const vardiff = new Vardiff(OPTIONS, 64, 0);
      for (let t = 12_000; t <= 1_200_000; t += 12_000) expect(vardiff.recordShare(t)).toBeUndefined();
      expect(vardiff.difficulty).toBe(64);
    });
  });

  describe('when the observed interval is far outside the band', () => {
    it('moves at most a factor of 4 per step', () => {
      const vardiff = new Vardiff(OPTIONS, 100, 0);
      // 100 shares per second: the fast path fires on share 19 (> 3x the 6 expected)
      let changed: number | undefined;
      for (let i = 1; changed === undefined; i++) changed = vardiff.recordShare(i * 10);
      expect(changed).toBe(400);
      const slow = new Vardiff(OPTIONS, 100, 0);
      expect(slow.recordShare(600_000)).toBe(25);
    });

    it('retargets to current * target / observed inside the limit', () => {
      const vardiff = new Vardiff(OPTIONS, 30, 0);
      // 3 shares in 60 s: 20 s per share -> 30 * 10 / 20 = 15
      expect(vardiff.recordShare(20_000)).toBeUndefined();
      expect(vardiff.recordShare(40_000)).toBeUndefined();
      expect(vardiff.recordShare(60_000)).toBe(15);
    });

    it('weights shares by the difficulty they were credited at', () => {
      const vardiff = new Vardiff(OPTIONS, 30, 0);
      // 6 shares in 60 s, but each credited at 15: half the work, 20 s per share at 30
      for (let i = 1; i < 6; i++) expect(vardiff.recordShare(i * 10_000, 15)).toBeUndefined();
      expect(vardiff.recordShare(60_000, 15)).toBe(15);
    });
  });

  describe('when clamped by min and max', () => {
    it('never goes above maxDifficulty', () => {
      const vardiff = new Vardiff({ ...OPTIONS, maxDifficulty: 500 }, 100, 0);
      mine(vardiff, 1e15, 200);
      expect(vardiff.difficulty).toBe(500);
    });

    it('never goes below minDifficulty', () => {
      const vardiff = new Vardiff({ ...OPTIONS, minDifficulty: 0.5 }, 1, 0);
      mine(vardiff, 1e3, 20);
      expect(vardiff.difficulty).toBe(0.5);
    });

    it('clamps the initial difficulty', () => {
      expect(new Vardiff({ ...OPTIONS, minDifficulty: 8 }, 1, 0).difficulty).toBe(8);
    });

    it('caps at the network difficulty, over the floor', () => {
      const vardiff = new Vardiff(OPTIONS, 1000, 0);
      expect(vardiff.setCeiling(300, 0)).toBe(300);
      expect(vardiff.setCeiling(5000, 0)).toBeUndefined();
      vardiff.suggest(10_000, 0);
      expect(vardiff.difficulty).toBe(5000);
      vardiff.setCeiling(undefined, 0);
      expect(vardiff.suggest(10_000, 0)).toBe(10_000);
    });
  });

  describe('when the miner suggests a difficulty', () => {
    it('applies it and keeps it as the floor', () => {
      const vardiff = new Vardiff(OPTIONS, 1, 0);
      expect(vardiff.suggest(50, 0)).toBe(50);
      expect(vardiff.difficulty).toBe(50);
      // far too slow for 50: would go down, but the floor holds
      mine(vardiff, 1e9, 30);
      expect(vardiff.difficulty).toBe(50);
      expect(vardiff.checkIdle(10 ** 12)).toBeUndefined();
    });

    it('still lets vardiff raise it', () => {
      const vardiff = new Vardiff(OPTIONS, 1, 0);
      vardiff.suggest(0.001, 0);
      mine(vardiff, 1e12, 100);
      expect(vardiff.difficulty).toBeGreaterThan(1);
    });

    it('clamps it to [min, max] and accepts fractions', () => {
      const vardiff = new Vardiff({ ...OPTIONS, minDifficulty: 0.01, maxDifficulty: 100 }, 1, 0);
      expect(vardiff.suggest(0.0001, 0)).toBe(0.01);
      expect(vardiff.suggest(1e6, 0)).toBe(100);
      expect(vardiff.suggest(0.25, 0)).toBe(0.25);
    });

    it('throws a protocol error for a value that is not a finite number > 0', () => {
      const vardiff = new Vardiff(OPTIONS, 1, 0);
      expect(() => vardiff.suggest(-2, 0)).toThrow('suggested difficulty must be a finite number > 0, got -2');
      expect(() => vardiff.suggest(Number.NaN, 0)).toThrow(LodeError);
    });
  });

  describe('when the connection sets a BIP 310 minimum difficulty', () => {
    it('raises a lower current difficulty to it at once and holds it as the floor', () => {
      const vardiff = new Vardiff(OPTIONS, 8, 0);
      expect(vardiff.setMinimum(2048, 0)).toBe(2048);
      expect(vardiff.difficulty).toBe(2048);
      // far too slow for 2048: retargets and idle halving would go down, the floor holds
      mine(vardiff, 1e9, 30);
      expect(vardiff.difficulty).toBe(2048);
      expect(vardiff.checkIdle(10 ** 12)).toBeUndefined();
    });

    it('leaves a higher current difficulty alone (nothing to send)', () => {
      const vardiff = new Vardiff(OPTIONS, 5000, 0);
      expect(vardiff.setMinimum(2048, 0)).toBeUndefined();
      expect(vardiff.difficulty).toBe(5000);
    });

    it('lowering it lets later retargets go below the old floor, but not below the new one', () => {
      const vardiff = new Vardiff(OPTIONS, 8, 0);
      vardiff.setMinimum(2048, 0);
      expect(vardiff.setMinimum(100, 0)).toBeUndefined();
      expect(vardiff.difficulty).toBe(2048);
      // 1 GH/s wants about 2.3e-3: it goes down, past 2048, and stops at 100
      const { now } = mine(vardiff, 1e9, 30);
      expect(vardiff.difficulty).toBeLessThan(2048);
      expect(vardiff.difficulty).toBe(100);
      expect(mine(vardiff, 1e9, 20, now).retargets).toBe(0);
    });

    it('0 or undefined turns it off, back to minDifficulty', () => {
      for (const off of [0, undefined]) {
        const vardiff = new Vardiff(OPTIONS, 8, 0);
        vardiff.setMinimum(2048, 0);
        expect(vardiff.setMinimum(off, 0)).toBeUndefined();
        mine(vardiff, 5e5, 60);
        expect(vardiff.difficulty).toBeLessThan(1);
      }
    });

    it('accepts fractions, and a value under minDifficulty leaves minDifficulty in force', () => {
      const vardiff = new Vardiff({ ...OPTIONS, minDifficulty: 0.5 }, 0.5, 0);
      expect(vardiff.setMinimum(0.75, 0)).toBe(0.75);
      vardiff.setMinimum(0.1, 0);
      mine(vardiff, 1e3, 20);
      expect(vardiff.difficulty).toBe(0.5);
    });

    it('is held at maxDifficulty', () => {
      const vardiff = new Vardiff({ ...OPTIONS, maxDifficulty: 1000 }, 8, 0);
      expect(vardiff.setMinimum(5000, 0)).toBe(1000);
    });

    it('throws a protocol error for a negative, NaN or infinite value', () => {
      const vardiff = new Vardiff(OPTIONS, 8, 0);
      expect(() => vardiff.setMinimum(-1, 0)).toThrow('minimum difficulty must be a finite number >= 0, got -1');
      expect(() => vardiff.setMinimum(Number.NaN, 0)).toThrow(expect.objectContaining({ kind: 'protocol' }));
      expect(() => vardiff.setMinimum(Number.POSITIVE_INFINITY, 0)).toThrow(LodeError);
      expect(vardiff.difficulty).toBe(8);
    });

    describe('when a suggestion is made too', () => {
      it('keeps both floors: the higher holds, and removing one leaves the other', () => {
        const vardiff = new Vardiff(OPTIONS, 1, 0);
        vardiff.setMinimum(2048, 0);
        // a suggestion below the minimum is applied as the minimum
        expect(vardiff.suggest(50, 0)).toBe(2048);
        // removing the minimum falls back to the suggestion's floor, not below it
        expect(vardiff.setMinimum(0, 0)).toBeUndefined();
        mine(vardiff, 1e9, 30);
        expect(vardiff.difficulty).toBe(50);
        // a suggestion above the minimum wins; raising the minimum past it wins again
        expect(vardiff.suggest(300, 0)).toBe(300);
        expect(vardiff.setMinimum(400, 0)).toBe(400);
      });
    });

    describe('when the network ceiling is below it', () => {
      it('obeys the ceiling, and returns to the floor once the ceiling is lifted', () => {
        const vardiff = new Vardiff(OPTIONS, 8, 0);
        vardiff.setCeiling(1000, 0);
        expect(vardiff.setMinimum(2048, 0)).toBe(1000);
        expect(vardiff.setCeiling(undefined, 0)).toBe(2048);
      });
    });
  });

  describe('when the miner goes silent', () => {
    it('halves after more than 3x retargetSeconds, once per silent period', () => {
      const vardiff = new Vardiff(OPTIONS, 64, 0);
      vardiff.recordShare(10_000);
      expect(vardiff.checkIdle(190_000)).toBeUndefined();
      expect(vardiff.checkIdle(190_001)).toBe(32);
      expect(vardiff.checkIdle(300_000)).toBeUndefined();
      expect(vardiff.checkIdle(370_002)).toBe(16);
    });

    it('stops at the floor', () => {
      const vardiff = new Vardiff({ ...OPTIONS, minDifficulty: 20 }, 32, 0);
      expect(vardiff.checkIdle(200_000)).toBe(20);
      expect(vardiff.checkIdle(400_000)).toBeUndefined();
      expect(vardiff.difficulty).toBe(20);
    });
  });

  describe('when the options are invalid', () => {
    it.each<[string, Partial<VardiffOptions>]>([
      ['targetShareSeconds', { targetShareSeconds: 0 }],
      ['retargetSeconds', { retargetSeconds: Number.NaN }],
      ['variancePercent', { variancePercent: 100 }],
      ['minDifficulty', { minDifficulty: -1 }],
      ['maxDifficulty', { maxDifficulty: Number.POSITIVE_INFINITY }],
      ['minDifficulty', { minDifficulty: 10, maxDifficulty: 5 }],
    ])('throws a config error naming %s', (name, patch) => {
      expect(() => new Vardiff({ ...OPTIONS, ...patch }, 1, 0)).toThrow(name);
      try {
        new Vardiff({ ...OPTIONS, ...patch }, 1, 0);
      } catch (e) {
        expect(LodeError.is(e, 'config')).toBe(true);
      }
    });

    it('throws for an initial difficulty <= 0', () => {
      expect(() => new Vardiff(OPTIONS, 0, 0)).toThrow('vardiff initialDifficulty must be a finite number > 0, got 0');
    });
  });
});
