import type { ShareRejectReason } from './share-reject-reason';
import { SHARE_REJECT_REASONS } from './share-reject-reasons';
import type { ShareVerdict } from './share-verdict';

describe('ShareVerdict', () => {
  describe('when the reasons are listed', () => {
    it('lists each of the twelve reasons once', () => {
      expect(new Set(SHARE_REJECT_REASONS).size).toBe(13);
      const stale: ShareRejectReason = 'stale';
      expect(SHARE_REJECT_REASONS).toContain(stale);
    });
  });

  describe('when a verdict is narrowed on accepted', () => {
    it('exposes the fields of its branch', () => {
      const verdicts: ShareVerdict[] = [
        { accepted: true, difficulty: 0.5, shareDifficulty: 3.2, block: false, hash: '00'.repeat(32) },
        { accepted: false, reason: 'duplicate', message: 'share already submitted' },
      ];
      const described = verdicts.map((v) => (v.accepted ? `ok ${v.difficulty}` : `${v.reason}: ${v.message}`));
      expect(described).toEqual(['ok 0.5', 'duplicate: share already submitted']);
    });
  });
});
