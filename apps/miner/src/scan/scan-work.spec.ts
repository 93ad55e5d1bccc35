import type { CoinJob, CoinPlugin, ShareSubmission } from '@lode/plugin-api';
import type { NotifyParams } from '@lode/dialect-bitcoin';
import { NONCE_RANGE, ScanWork, submitVersionBits } from './scan-work';

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

  describe('when a version mask is negotiated (BIP 310)', () => {
    const extranonce = { extranonce1: Buffer.from('0badc0de', 'hex'), extranonce2Size: 4 };
    const whole = (remaining: number): number => remaining;

    it('walks every version value over the full nonce range before the next extranonce2, 0 last', () => {
      const built: ShareSubmission[] = [];
      const work = new ScanWork(recordingCoin(built), params, 1, extranonce, 0, 0x00c00000);
      const chunks = [1, 2, 3, 4, 5].map(() => work.nextChunk(whole));
      expect(chunks.map((c) => [c.extranonce2.toString('hex'), c.versionBits, c.startNonce, c.count])).toEqual([
        ['00000000', 0x00400000, 0, NONCE_RANGE],
        ['00000000', 0x00800000, 0, NONCE_RANGE],
        ['00000000', 0x00c00000, 0, NONCE_RANGE],
        ['00000000', 0, 0, NONCE_RANGE],
        ['00000001', 0x00400000, 0, NONCE_RANGE],
      ]);
      // nVersion = (job_version & ~mask) | (bits & mask), job version 20000000
      expect(chunks.map((c) => c.version.toString(16))).toEqual(['20400000', '20800000', '20c00000', '20000000', '20400000']);
      expect(built.map((b) => [b.versionBits, b.versionMask])).toEqual([
        [0x00400000, 0x00c00000],
        [0x00800000, 0x00c00000],
        [0x00c00000, 0x00c00000],
        [0, 0x00c00000],
        [0x00400000, 0x00c00000],
      ]);
      expect(work.share(chunks[1]!, 7)).toMatchObject({ nonce: 7, versionBits: 0x00800000, versionMask: 0x00c00000 });
    });

    it('keeps one header over the chunks of its nonce range', () => {
      const work = new ScanWork(recordingCoin([]), params, 1, extranonce, 0, 0x1fffe000);
      const a = work.nextChunk(() => 1000);
      const b = work.nextChunk(whole);
      const c = work.nextChunk(() => 1);
      expect([a.versionBits, b.versionBits, c.versionBits]).toEqual([0x2000, 0x2000, 0x4000]);
      expect([b.startNonce, c.extranonce2.toString('hex')]).toEqual([1000, '00000000']);
    });

    it('applies a new mask from the next chunk on, with the next extranonce2 and the new mask\'s first value', () => {
      const work = new ScanWork(recordingCoin([]), params, 1, extranonce, 0, 0x1fffe000);
      const a = work.nextChunk(() => 1000);
      expect(work.setVersionMask(0x00c00000)).toBe(true);
      expect(work.setVersionMask(0x00c00000)).toBe(false);
      const b = work.nextChunk(() => 1000);
      expect([a.extranonce2.toString('hex'), a.versionBits]).toEqual(['00000000', 0x2000]);
      expect([b.extranonce2.toString('hex'), b.versionBits, b.versionMask, b.startNonce]).toEqual(['00000001', 0x00400000, 0x00c00000, 0]);
    });

    it('starts at extranonce2 0 when the mask comes before the first chunk', () => {
      const work = new ScanWork(recordingCoin([]), params, 1, extranonce);
      work.setVersionMask(0x1fffe000);
      const a = work.nextChunk(whole);
      expect([a.extranonce2.toString('hex'), a.versionBits]).toEqual(['00000000', 0x2000]);
    });
  });

  describe('when no mask is negotiated', () => {
    it('builds headers with the job version and no version bits', () => {
      const built: ShareSubmission[] = [];
      const work = new ScanWork(recordingCoin(built), params, 1, { extranonce1: Buffer.alloc(4), extranonce2Size: 4 });
      const a = work.nextChunk(() => 10);
      expect([a.version, a.versionBits, a.versionMask]).toEqual([0x20000000, undefined, undefined]);
      expect(built[0]).not.toHaveProperty('versionBits');
    });
  });
});

describe('submitVersionBits', () => {
  describe('when the mask is unchanged', () => {
    it('gives back the bits the header was rolled with', () => {
      expect(submitVersionBits(0x20000000, 0x20002000, 0x1fffe000)).toBe(0x2000);
    });
  });

  describe('when set_version_mask narrowed the mask', () => {
    it('keeps bits still inside it and refuses bits outside it (BIP 310: bits & ~mask == 0)', () => {
      expect(submitVersionBits(0x20000000, 0x20002000, 0x1f7fe000)).toBe(0x2000);
      expect(submitVersionBits(0x20000000, 0x20802000, 0x1f7fe000)).toBeNull();
    });

    it('refuses a header whose job version bit the old mask cleared and the new one no longer covers', () => {
      // job 20800000, rolled within 1fffe000 with bits 00002000 -> 20002000; under 1f7fe000 the pool keeps bit 23
      expect(submitVersionBits(0x20800000, 0x20002000, 0x1f7fe000)).toBeNull();
    });
  });

  describe('when no mask is negotiated', () => {
    it('submits 5 params for an unrolled header and refuses a rolled one', () => {
      expect(submitVersionBits(0x20000000, 0x20000000, undefined)).toBeUndefined();
      expect(submitVersionBits(0x20000000, 0x20002000, undefined)).toBeNull();
    });
  });

  describe('when the mask arrived after the header was built', () => {
    it('describes the unrolled header with the job version\'s bits inside the mask', () => {
      expect(submitVersionBits(0x20000000, 0x20000000, 0x1fffe000)).toBe(0);
    });
  });
});
