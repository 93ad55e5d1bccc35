import { HashrateMeter } from './hashrate-meter';

describe('HashrateMeter', () => {
  describe('when chunks are recorded', () => {
    it('reports the wall-clock rate of the window and starts a new one', () => {
      const m = new HashrateMeter(1000);
      m.record(4_000_000, 400);
      m.record(6_000_000, 600);
      expect(m.takeWindow(3000)).toBe(5_000_000); // 10M hashes over 2 s
      expect(m.takeWindow(4000)).toBe(0);
      expect(m.totalHashes).toBe(10_000_000);
    });

    it('smooths the scan rate of successive chunks', () => {
      const m = new HashrateMeter(0);
      expect(m.scanRate).toBeUndefined();
      m.record(1000, 1000);
      expect(m.scanRate).toBe(1000);
      m.record(2000, 1000);
      expect(m.scanRate).toBeCloseTo(1300, 9);
    });
  });
});
