import { parseShareMix } from './parse-share-mix';
import { ShareMixScheduler } from './share-mix-scheduler';
import type { ShareKind } from './share-kind';

const picks = (s: ShareMixScheduler, n: number): ShareKind[] => Array.from({ length: n }, () => s.next());

describe('ShareMixScheduler', () => {
  describe('when the mix is valid 60, stale 20, malformed 20', () => {
    it('interleaves them smoothly: valid, stale, valid, malformed, valid, then again', () => {
      const s = new ShareMixScheduler(parseShareMix('valid=60,stale=20,malformed=20'));
      expect(picks(s, 10)).toEqual(['valid', 'stale', 'valid', 'malformed', 'valid', 'valid', 'stale', 'valid', 'malformed', 'valid']);
    });
  });

  describe('when the mix has all five kinds (50/20/10/10/10)', () => {
    const mix = parseShareMix('valid=50,low=20,dup=10,stale=10,malformed=10');

    it('gives the hand-computed first ten picks, in the mix proportions', () => {
      const s = new ShareMixScheduler(mix);
      expect(picks(s, 10)).toEqual(['valid', 'low-difficulty', 'valid', 'duplicate', 'valid', 'stale', 'malformed', 'valid', 'low-difficulty', 'valid']);
    });

    it('gives exactly the percents over 100 picks', () => {
      const s = new ShareMixScheduler(mix);
      const counts: Record<string, number> = {};
      for (const k of picks(s, 100)) counts[k] = (counts[k] ?? 0) + 1;
      expect(counts).toEqual({ valid: 50, 'low-difficulty': 20, duplicate: 10, stale: 10, malformed: 10 });
    });

    it('with an offset, starts that many picks into the same sequence', () => {
      const s = new ShareMixScheduler(mix, 3);
      expect(picks(s, 7)).toEqual(['duplicate', 'valid', 'stale', 'malformed', 'valid', 'low-difficulty', 'valid']);
    });
  });

  describe('when the mix is one kind', () => {
    it('always picks it', () => {
      const s = new ShareMixScheduler(parseShareMix('valid=100'));
      expect(new Set(picks(s, 50))).toEqual(new Set(['valid']));
    });
  });
});

describe('parseShareMix', () => {
  it('reads full names and short names, and leaves the rest at 0', () => {
    expect(parseShareMix('valid=70,low=10,dup=10,stale=5,malformed=5')).toEqual({ valid: 70, 'low-difficulty': 10, duplicate: 10, stale: 5, malformed: 5 });
    expect(parseShareMix('ok=90%, bad=10%')).toEqual({ valid: 90, 'low-difficulty': 0, duplicate: 0, stale: 0, malformed: 10 });
  });

  it('refuses a total other than 100, an unknown kind, a kind given twice and a percent that is not a number', () => {
    expect(() => parseShareMix('valid=70')).toThrow('adds up to 70%, expected 100%');
    expect(() => parseShareMix('valid=50,orphan=50')).toThrow('share mix kind "orphan" is not one of valid, low-difficulty, duplicate, stale, malformed');
    expect(() => parseShareMix('valid=50,ok=50')).toThrow('share mix names valid twice');
    expect(() => parseShareMix('valid=abc')).toThrow('share mix percent "abc" of valid is not a number from 0 to 100');
    expect(() => parseShareMix('valid')).toThrow('share mix item "valid" is not kind=percent');
  });
});
