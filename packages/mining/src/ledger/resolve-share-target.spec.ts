import { BITCOIN_DIFF1_TARGET } from '../difficulty/bitcoin-diff1-target';
import { targetFromDifficulty } from '../difficulty/target-from-difficulty';
import { JobLedger } from './job-ledger';
import { resolveShareTarget } from './resolve-share-target';

const at = (difficulty: number): { target: bigint; difficulty: number } => ({
  target: targetFromDifficulty(difficulty, BITCOIN_DIFF1_TARGET),
  difficulty,
});

describe('resolveShareTarget', () => {
  describe('when the difficulty went down after the job was sent (ESP-Miner#212: 10000 -> 398)', () => {
    it('applies and credits the current, easier target', () => {
      const ledger = new JobLedger<null>();
      const job = at(10000);
      ledger.record('old', null, job.target, job.difficulty, 0);
      expect(resolveShareTarget(ledger.lookup('old')!, at(398))).toEqual(at(398));
    });
  });

  describe('when the difficulty went up after the job was sent', () => {
    it("applies and credits the job's own, easier target", () => {
      const ledger = new JobLedger<null>();
      const job = at(0.5);
      ledger.record('old', null, job.target, job.difficulty, 0);
      expect(resolveShareTarget(ledger.lookup('old')!, at(2))).toEqual(at(0.5));
    });
  });

  describe('when two changes happened between jobs', () => {
    it('still judges each job at its own target', () => {
      const ledger = new JobLedger<null>();
      ledger.record('j1', null, at(8).target, 8, 0);
      ledger.record('j2', null, at(4).target, 4, 1);
      ledger.record('j3', null, at(16).target, 16, 2);
      const current = at(16);
      expect(resolveShareTarget(ledger.lookup('j1')!, current).difficulty).toBe(8);
      expect(resolveShareTarget(ledger.lookup('j2')!, current).difficulty).toBe(4);
      expect(resolveShareTarget(ledger.lookup('j3')!, current).difficulty).toBe(16);
    });
  });

  describe('when both targets are equal', () => {
    it("returns the job's", () => {
      const entry = { jobId: 'j', job: null, target: 100n, difficulty: 3, sentAt: 0 };
      expect(resolveShareTarget(entry, { target: 100n, difficulty: 3.0000001 })).toEqual({ target: 100n, difficulty: 3 });
    });
  });
});
