import type { CoinJob, CoinPlugin, ShareSubmission } from '@lode/plugin-api';
import type { NotifyParams } from '@lode/dialect-bitcoin';
import { NONCE_RANGE, ScanWork } from './scan-work';

// Stratum difficulty 1 = 0xffff * 2^208 (facts/bitcoin-stratum.md "Targets").
const DIFF1 = 0xffffn << 208n;

/** A coin whose header is a record of the share it was built from. */
function recordingCoin(built: ShareSubmission[]): CoinPlugin {
  return {
    id: 'btc',
    diff1Target: DIFF1,
    buildHeader: (_job: CoinJob, share: ShareSubmission) => {
      built.push(share);
      const header = Buffer.alloc(80);
      share.extranonce2.copy(header, 0);
      return header;
    },
  } as unknown as CoinPlugin;
}

const params: NotifyParams = {
  jobId: 'j1',
  prevhash: '521a8d1c96a3399c34b22ddb2f15ecd587a251a6ccda6629b428e0bd00000000',
  coinb1: 'aa',
  coinb2: 'bb',
  merkleBranches: [],
  version: 0x20000000,
  nbits: 0x1d00dcad,
  ntime: 0x5a76455f,
  cleanJobs: true,
};

describe('ScanWork', () => {
  describe('when chunks walk a nonce range', () => {
    it('continues the range, then starts the next extranonce2 at nonce 0', () => {
      const built: ShareSubmission[] = [];
      const work = new ScanWork(recordingCoin(built), params, 0.001, { extranonce1: Buffer.from('0badc0de', 'hex'), extranonce2Size: 4 });
      const a = work.nextChunk(() => 1000);
      const b = work.nextChunk((remaining) => remaining);
      const c = work.nextChunk(() => 5);
      expect([a.startNonce, a.count, a.extranonce2.toString('hex')]).toEqual([0, 1000, '00000000']);
      expect([b.startNonce, b.count, b.extranonce2.toString('hex')]).toEqual([1000, NONCE_RANGE - 1000, '00000000']);
      expect([c.startNonce, c.count, c.extranonce2.toString('hex')]).toEqual([0, 5, '00000001']);
      expect(c.header.subarray(0, 4).toString('hex')).toBe('00000001');
      expect(built.map((s) => [s.extranonce1.toString('hex'), s.extranonce2.toString('hex'), s.ntime, s.nonce])).toEqual([
        ['0badc0de', '00000000', 0x5a76455f, 0],
        ['0badc0de', '00000001', 0x5a76455f, 0],
      ]);
    });
  });

  describe('when built from a job', () => {
    it('binds the share target of the job\'s own difficulty', () => {
      const work = new ScanWork(recordingCoin([]), params, 0.001, { extranonce1: Buffer.alloc(4), extranonce2Size: 4 });
      // difficulty 0.001 -> target 000003e7fc18 followed by 52 zero hex digits (facts/bitcoin-stratum.md "Targets")
      expect(work.target.toString(16).padStart(64, '0')).toBe(`000003e7fc18${'0'.repeat(52)}`);
      expect(work.job.work).toMatchObject({ dialect: 'bitcoin', prevhash: params.prevhash, ntime: params.ntime });
    });

    it('refuses a difficulty that is not positive', () => {
      expect(() => new ScanWork(recordingCoin([]), params, 0, { extranonce1: Buffer.alloc(4), extranonce2Size: 4 })).toThrow(
        'difficulty must be a finite number > 0, got 0',
      );
    });
  });
});
