import { LodeError } from '@lode/stratum-core';
import { JobLedger } from './job-ledger';

describe('JobLedger', () => {
  describe('when jobs are recorded', () => {
    it('finds each by id with the target and difficulty in effect', () => {
      const ledger = new JobLedger<{ height: number }>();
      ledger.record('a1', { height: 1 }, 1000n, 2, 111);
      ledger.record('a2', { height: 2 }, 500n, 4, 222);
      expect(ledger.lookup('a1')).toEqual({ jobId: 'a1', job: { height: 1 }, target: 1000n, difficulty: 2, sentAt: 111 });
      expect(ledger.lookup('a2')?.target).toBe(500n);
      expect(ledger.lookup('zz')).toBeUndefined();
      expect(ledger.size).toBe(2);
      expect(ledger.latest()?.jobId).toBe('a2');
    });

    it('stamps sentAt with the clock by default', () => {
      const ledger = new JobLedger<null>();
      const before = Date.now();
      const entry = ledger.record('x', null, 1n, 1);
      expect(entry.sentAt).toBeGreaterThanOrEqual(before);
    });
  });

  describe('when more jobs than the capacity are recorded', () => {
    it('evicts the oldest, keeping the default 16', () => {
      const ledger = new JobLedger<number>();
      for (let i = 0; i < 20; i++) ledger.record(`j${i}`, i, 1n, 1, i);
      expect(ledger.size).toBe(16);
      expect(ledger.lookup('j3')).toBeUndefined();
      expect(ledger.lookup('j4')?.job).toBe(4);
      expect(ledger.lookup('j19')?.job).toBe(19);
    });

    it('treats a re-recorded id as the newest', () => {
      const ledger = new JobLedger<number>({ capacity: 2 });
      ledger.record('a', 1, 1n, 1, 0);
      ledger.record('b', 2, 1n, 1, 0);
      ledger.record('a', 3, 1n, 1, 0);
      ledger.record('c', 4, 1n, 1, 0);
      expect(ledger.lookup('b')).toBeUndefined();
      expect(ledger.lookup('a')?.job).toBe(3);
      expect(ledger.latest()?.jobId).toBe('c');
    });
  });

  describe('when cleared', () => {
    it('forgets every job', () => {
      const ledger = new JobLedger<number>({ capacity: 4 });
      ledger.record('a', 1, 1n, 1, 0);
      ledger.clear();
      expect(ledger.size).toBe(0);
      expect(ledger.lookup('a')).toBeUndefined();
      expect(ledger.latest()).toBeUndefined();
    });
  });

  describe('when given invalid input', () => {
    it.each([[0], [-1], [1.5]])('throws a config error for capacity %p', (capacity) => {
      expect(() => new JobLedger({ capacity })).toThrow(LodeError);
    });

    it('throws a protocol error for a target <= 0 or a bad difficulty', () => {
      const ledger = new JobLedger<null>();
      expect(() => ledger.record('a', null, 0n, 1)).toThrow('job a: target must be a bigint > 0, got 0');
      expect(() => ledger.record('a', null, 1n, Number.NaN)).toThrow(
        'job a: difficulty must be a finite number > 0, got NaN',
      );
    });
  });
});
