import { SHARE_REJECT_REASONS } from '@lode/mining';
import type { ShareRejectReason } from '@lode/mining';
import { countsTowardMaxErrors, ethError, EthStratumErrors, rejectionEntry, rejectionToError } from './errors';

describe('EthStratumErrors', () => {
  describe('when a share rejection is mapped', () => {
    it('gives every reason of @lode/mining its code', () => {
      const codes = Object.fromEntries(SHARE_REJECT_REASONS.map((r) => [r, rejectionEntry(r).code]));
      expect(codes).toEqual({
        'unknown-job': 404,
        stale: 410,
        duplicate: 409,
        'low-difficulty': 406,
        'bad-ntime': 400,
        'bad-extranonce2': 414,
        'bad-nonce': 414,
        'bad-version': 400,
        unauthorized: 301,
        'not-subscribed': 302,
        malformed: 400,
        'not-recorded': 503,
        'bad-seal': 406,
      });
    });

    it('keeps stale and duplicate apart (DESIGN "Rules learned from the field")', () => {
      expect(rejectionEntry('stale').code).not.toBe(rejectionEntry('duplicate').code);
    });

    it('answers low difficulty with the spec\'s example 406 "Bad nonce", followed by the verdict\'s message', () => {
      expect(rejectionToError({ accepted: false, reason: 'low-difficulty', message: 'share difficulty 0.5 is below 1' })).toEqual({
        code: 406,
        message: 'Bad nonce: share difficulty 0.5 is below 1',
      });
      expect(rejectionToError({ accepted: false, reason: 'unknown-job', message: '' })).toEqual({ code: 404, message: 'Job not found' });
    });

    it('falls back to 400 for a reason it does not know', () => {
      expect(rejectionEntry('future-reason' as ShareRejectReason)).toBe(EthStratumErrors.BAD_REQUEST);
    });
  });

  describe('when the table is read', () => {
    it('carries the spec\'s example codes and messages', () => {
      expect(EthStratumErrors.STALE_ACCEPTED).toEqual({ code: 202, message: 'Stale' });
      expect(EthStratumErrors.TOO_MANY_REQUESTS).toEqual({ code: 220, message: 'Enhance your calm. Too many requests' });
      expect(EthStratumErrors.BAD_PROTOCOL).toEqual({ code: 400, message: 'Bad protocol request' });
      expect(EthStratumErrors.JOB_NOT_FOUND).toEqual({ code: 404, message: 'Job not found' });
      expect(EthStratumErrors.BAD_NONCE).toEqual({ code: 406, message: 'Bad nonce' });
    });

    it('puts each code in the spec\'s range: 2xx accepted, 3xx authorization, 4xx request, 5xx server', () => {
      expect(EthStratumErrors.UNKNOWN_WORKER.code).toBe(301);
      expect(EthStratumErrors.NOT_SUBSCRIBED.code).toBe(302);
      expect(EthStratumErrors.NOT_AUTHORIZED.code).toBe(303);
      expect(EthStratumErrors.METHOD_NOT_FOUND.code).toBe(405);
      expect(EthStratumErrors.BAD_NONCE_SIZE.code).toBe(414);
      expect(EthStratumErrors.INTERNAL.code).toBe(500);
      expect(EthStratumErrors.NOT_RECORDED.code).toBe(503);
    });

    it('appends a detail after a colon', () => {
      expect(ethError(EthStratumErrors.BAD_NONCE_SIZE, 'miner nonce is 5 bytes, expected 6')).toEqual({
        code: 414,
        message: 'Bad nonce size: miner nonce is 5 bytes, expected 6',
      });
    });
  });

  describe('when errors are counted toward maxerrors', () => {
    it('counts the miner\'s faults only: not 202, 410 or 5xx', () => {
      expect([202, 220, 301, 302, 303, 400, 404, 405, 406, 409, 410, 414, 500, 503].filter(countsTowardMaxErrors)).toEqual([
        220, 301, 302, 303, 400, 404, 405, 406, 409, 414,
      ]);
    });
  });
});
