import { SHARE_REJECT_REASONS } from '@lode/mining';
import type { ShareRejectReason } from '@lode/mining';
import {
  ClassicErrorCodes,
  classicCountsTowardMaxErrors,
  classicRejectionCode,
  classicRejectionError,
} from '../classic/classic-errors';

/** The classic table as the brief fixes it (Stratum v1 codes 20..25). */
const EXPECTED: Record<ShareRejectReason, [number, string]> = {
  stale: [21, 'Job not found (stale)'],
  'unknown-job': [21, 'Job not found'],
  duplicate: [22, 'Duplicate share'],
  'low-difficulty': [23, 'Low difficulty share'],
  'bad-seal': [23, 'Invalid share: mix digest does not match'],
  unauthorized: [24, 'Unauthorized worker'],
  'not-subscribed': [25, 'Not subscribed'],
  malformed: [20, 'Malformed request'],
  'bad-nonce': [20, 'Invalid nonce'],
  'bad-extranonce2': [20, 'Invalid extranonce'],
  'bad-ntime': [20, 'Invalid ntime'],
  'bad-version': [20, 'Invalid version'],
  'not-recorded': [20, 'Share not recorded, submit again'],
};

describe('classic share rejection errors', () => {
  it('names the code constants 20..25', () => {
    expect(ClassicErrorCodes).toEqual({ OTHER: 20, JOB_NOT_FOUND: 21, DUPLICATE: 22, LOW_DIFFICULTY: 23, UNAUTHORIZED: 24, NOT_SUBSCRIBED: 25 });
  });

  it.each(SHARE_REJECT_REASONS.map((r) => [r]))('maps %s to its code and message, the verdict message appended', (reason) => {
    const [code, message] = EXPECTED[reason];
    expect(classicRejectionCode(reason)).toBe(code);
    expect(classicRejectionError({ accepted: false, reason, message: '' })).toEqual({ code, message });
    expect(classicRejectionError({ accepted: false, reason, message: 'why' })).toEqual({ code, message: `${message}: why` });
  });

  it('counts every rejection toward maxErrors except stale shares and unrecorded ones', () => {
    const counted = SHARE_REJECT_REASONS.filter((reason) => classicCountsTowardMaxErrors(classicRejectionError({ accepted: false, reason, message: 'x' })));
    expect([...counted].sort()).toEqual(SHARE_REJECT_REASONS.filter((r) => r !== 'stale' && r !== 'not-recorded').sort());
  });
});
