import { parseStreamShare } from './parse-stream-share';

describe('parseStreamShare', () => {
  describe('when the entry is a full accepted block share', () => {
    it('reads every field the accounting uses', () => {
      const fields = ['id', 'i1:7', 'worker', 'A', 'height', '100000', 'difficulty', '0.5', 'verdict', 'accepted', 'blockHash', 'ab', 'time', '1700000000123'];
      expect(parseStreamShare('1700000000999-0', fields)).toEqual({
        entryId: '1700000000999-0',
        id: 'i1:7',
        worker: 'A',
        verdict: 'accepted',
        difficulty: 0.5,
        time: 1700000000123,
        height: 100000,
        blockHash: 'ab',
      });
    });
  });

  describe('when optional fields are missing or empty', () => {
    it('falls back to the entry id for the share id and time, and 0 for a rejected difficulty', () => {
      const share = parseStreamShare('1700000000999-3', ['verdict', 'stale', 'difficulty', '4', 'blockHash', 'ab', 'time', '']);
      expect(share).toEqual({ entryId: '1700000000999-3', id: 'entry:1700000000999-3', worker: '', verdict: 'stale', difficulty: 0, time: 1700000000999, height: -1 });
    });

    it('keeps reject reasons printable', () => {
      expect(parseStreamShare('1-0', ['verdict', 'bad reason\n'])).toMatchObject({ verdict: 'bad_reason_' });
    });
  });

  describe('when the entry cannot be accounted', () => {
    it('says why', () => {
      expect(parseStreamShare('1-0', ['worker', 'A'])).toBe('the entry has no verdict');
      expect(parseStreamShare('1-0', ['verdict', 'accepted', 'difficulty', '-1'])).toBe("credited difficulty is '-1'; it must be a finite number >= 0");
      expect(parseStreamShare('1-0', ['verdict', 'accepted', 'blockHash', 'ab', 'height', 'x'])).toBe("block ab has height 'x'; a block needs an integer height >= 0");
    });
  });
});
