import { SHARE_REJECT_REASONS } from '@lode/mining';
import type { ShareRejectReason } from '@lode/mining';
import { WarthogErrorCodes, rejectionCode, rejectionToError } from './errors';

describe('rejectionToError', () => {
  describe('when mapping every ShareRejectReason', () => {
    // 20 other, 21 job not found (stale), 22 duplicate, 23 low difficulty,
    // 24 unauthorized, 25 not subscribed (facts/warthog.md §7 "responses"),
    // written out here independently of errors.ts.
    const expected: Record<ShareRejectReason, number> = {
      'unknown-job': 20,
      stale: 21,
      duplicate: 22,
      'low-difficulty': 23,
      'bad-ntime': 20,
      'bad-extranonce2': 20,
      'bad-nonce': 20,
      'bad-version': 20,
      unauthorized: 24,
      'not-subscribed': 25,
      malformed: 20,
      'not-recorded': 20,
      'bad-seal': 20,
    };

    it.each([...SHARE_REJECT_REASONS])('gives %s its code and keeps the message', (reason) => {
      expect(rejectionToError({ accepted: false, reason, message: `m-${reason}` })).toEqual({
        code: expected[reason],
        message: `m-${reason}`,
      });
      expect(rejectionCode(reason)).toBe(expected[reason]);
    });

    it('keeps stale and unknown job apart', () => {
      expect(rejectionCode('stale')).toBe(WarthogErrorCodes.JOB_NOT_FOUND);
      expect(rejectionCode('unknown-job')).toBe(WarthogErrorCodes.OTHER);
    });
  });

  describe('when the verdict has no message', () => {
    it('says "low difficulty share" for 23, as facts/warthog.md §6-H shows', () => {
      expect(rejectionToError({ accepted: false, reason: 'low-difficulty', message: '' })).toEqual({
        code: 23,
        message: 'low difficulty share',
      });
    });

    it('says which field is bad for the 20s', () => {
      expect(rejectionToError({ accepted: false, reason: 'bad-nonce', message: '' })).toEqual({ code: 20, message: 'bad nonce' });
      expect(rejectionToError({ accepted: false, reason: 'bad-ntime', message: '' })).toEqual({ code: 20, message: 'bad ntime' });
      expect(rejectionToError({ accepted: false, reason: 'bad-extranonce2', message: '' })).toEqual({
        code: 20,
        message: 'bad extranonce2',
      });
    });
  });
});
