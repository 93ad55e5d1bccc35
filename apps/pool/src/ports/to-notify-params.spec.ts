import type { CoinJob } from '@lode/plugin-api';
import { toNotifyParams } from './to-notify-params';

// Block 125552's stratum form (facts/bitcoin-stratum.md, the worked example; also dialect-bitcoin messages.spec).
const WORK = {
  dialect: 'bitcoin',
  prevhash: 'ab02cd818b9e567ee21793cddef299feb29ad444a41b85b8000008a300000000',
  coinb1: '01000000010000',
  coinb2: 'ffffffff00',
  merkleBranches: ['3ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a'],
  version: 1,
  nbits: 0x1a44b9f2,
  ntime: 0x4dd7f5c7,
};

function job(id: string, work: Record<string, unknown> = { ...WORK, merkleBranches: [...WORK.merkleBranches] }): CoinJob {
  return { id, coin: 'btc', height: 125552, prevHash: '', networkTarget: 1n, ntimeMin: 0, ntimeMax: 0xffffffff, createdAt: 0, work } as unknown as CoinJob;
}

describe('toNotifyParams', () => {
  describe('when a job is sent to many sessions', () => {
    it('maps the work to the notify fields and returns the same frozen object per (job, clean)', () => {
      const j = job('1a');
      const clean = toNotifyParams(j, true);
      expect(clean).toEqual({ jobId: '1a', ...WORK, dialect: undefined, cleanJobs: true });
      expect(toNotifyParams(j, true)).toBe(clean);
      expect(Object.isFrozen(clean) && Object.isFrozen(clean.merkleBranches)).toBe(true);
      const notClean = toNotifyParams(j, false);
      expect(notClean).not.toBe(clean);
      expect(notClean.cleanJobs).toBe(false);
      expect(toNotifyParams(j, false)).toBe(notClean);
    });

    it('keeps each job apart and copies the branches (the job array is not frozen)', () => {
      const j1 = job('1');
      const j2 = job('2');
      expect(toNotifyParams(j1, true).jobId).toBe('1');
      expect(toNotifyParams(j2, true).jobId).toBe('2');
      expect(Object.isFrozen((j1.work as { merkleBranches: string[] }).merkleBranches)).toBe(false);
    });
  });

  describe("when the job's coin does not produce Stratum v1 work", () => {
    it('throws a config error every time', () => {
      const eth = job('3', { dialect: 'ethstratum' });
      expect(() => toNotifyParams(eth, true)).toThrow(/produces ethstratum work, which a bitcoin port cannot send/);
      expect(() => toNotifyParams(eth, true)).toThrow(/bitcoin port cannot send/);
    });
  });
});
