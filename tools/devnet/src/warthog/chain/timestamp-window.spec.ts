import { MEDIAN_N, TimestampWindow } from './timestamp-window';

// 50 blocks 20 s apart ending at 10_000: the 26th smallest is 10_000 - 24 * 20 = 9_520
const history = Array.from({ length: MEDIAN_N }, (_, i) => 10_000 - (MEDIAN_N - 1 - i) * 20);

describe('TimestampWindow', () => {
  describe('when judging a timestamp after 50 blocks', () => {
    const window = new TimestampWindow(history);

    it('needs t to reach more than half of the last 50 timestamps', () => {
      expect(window.minimum()).toBe(9_520);
      expect(window.check(9_520, 10_000)).toBe('ok');
      expect(window.check(9_519, 10_000)).toBe('median');
    });

    it('refuses t more than 600 s ahead of the clock', () => {
      expect(window.check(10_600, 10_000)).toBe('ok');
      expect(window.check(10_601, 10_000)).toBe('future');
    });
  });

  describe('when blocks are appended', () => {
    it('forgets the oldest timestamps', () => {
      const window = new TimestampWindow(history);
      for (let i = 0; i < 30; i++) window.append(20_000);
      expect(window.minimum()).toBe(20_000);
      expect(window.check(19_999, 20_000)).toBe('median');
    });

    it('refuses a drop of more than 600 s below the largest timestamp', () => {
      const window = new TimestampWindow(history);
      window.append(20_000);
      expect(window.minimum()).toBe(20_000 - 600);
      expect(window.check(19_399, 20_000)).toBe('drop');
      expect(window.check(19_400, 20_000)).toBe('ok');
    });
  });

  describe('when the chain is shorter than 50 blocks', () => {
    it('counts the missing timestamps as 0', () => {
      const window = new TimestampWindow([100]);
      expect(window.check(1, 100)).toBe('ok');
      expect(window.check(0, 100)).toBe('median');
    });
  });
});
