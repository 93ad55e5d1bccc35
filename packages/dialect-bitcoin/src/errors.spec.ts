import { SHARE_REJECT_REASONS } from '@lode/mining';
import type { ShareRejectReason } from '@lode/mining';
import { BitcoinErrorCodes, rejectionCode, rejectionToError } from './errors';

describe('rejectionToError', () => {
  describe('when mapping every ShareRejectReason', () => {
    // The Stratum v1 error codes (20 other, 21 job not found, 22 duplicate,
    // 23 low difficulty, 24 unauthorized, 25 not subscribed), written out here
    // independently of errors.ts.
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
      expect(rejectionCode('stale')).toBe(BitcoinErrorCodes.JOB_NOT_FOUND);
      expect(rejectionCode('unknown-job')).not.toBe(rejectionCode('stale'));
    });
  });

  describe('when the verdict has no message', () => {
    it('uses the standard text', () => {
      expect(rejectionToError({ accepted: false, reason: 'duplicate', message: '' })).toEqual({
        code: 22,
        message: 'Duplicate share',
      });
    });

    it('tells a miner whose share could not be recorded to submit it again, with code 20', () => {
      expect(rejectionToError({ accepted: false, reason: 'not-recorded', message: '' })).toEqual({
        code: 20,
        message: 'the share could not be recorded (store unavailable); submit it again',
      });
    });
  });
});
