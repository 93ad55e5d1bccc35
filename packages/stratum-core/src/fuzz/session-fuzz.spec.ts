import fc from 'fast-check';
import { arrayParamsMutation, fuzzRuns, hostileValue, internalErrorLogger, mutatedRequest } from './session-fuzz';

const SUBMIT = { method: 'mining.submit', params: ['alice.rig1', 'b125552', '00000001', '4dd7f5c7', '9546a142'] };

describe('session fuzz helpers', () => {
  it('mutatedRequest applies drops, sets (a "__proto__" becomes a real member) and wrapped param edits, leaving the template alone', () => {
    const line = mutatedRequest(7, SUBMIT, [
      { op: 'set', key: '__proto__', value: { polluted: true } },
      { op: 'param', index: 6, value: 'zz' }, // 6 % (5 + 1) = 0
      { op: 'dropParam', index: 9 }, // 9 % 5 = 4
      { op: 'drop', key: 'method' },
    ]);
    expect(line).toBe('{"id":7,"params":["zz","b125552","00000001","4dd7f5c7"],"__proto__":{"polluted":true}}');
    expect(SUBMIT.params).toHaveLength(5);
  });

  it('internalErrorLogger keeps only the lines that mean the session itself threw', () => {
    const internal: string[] = [];
    const logger = internalErrorLogger(internal);
    logger.error({ err: new Error('peer sent junk') }, 'invalid line from peer');
    logger.child({}).warn({}, 'method handler threw');
    logger.error({ err: new Error('boom') }, 'method handler threw');
    expect(internal).toHaveLength(1);
    expect(internal[0]).toMatch(/^method handler threw: Error: boom/);
  });

  it('fuzzRuns reads FUZZ_RUNS and FUZZ_SEED, and scales the jest limit with the runs', () => {
    const saved = { runs: process.env['FUZZ_RUNS'], seed: process.env['FUZZ_SEED'] };
    try {
      delete process.env['FUZZ_RUNS'];
      delete process.env['FUZZ_SEED'];
      const plain = fuzzRuns(100, 150);
      expect([plain.runs, plain.timeoutMs, plain.parameters()]).toEqual([100, 45_000, { numRuns: 100 }]);
      process.env['FUZZ_RUNS'] = '20000';
      process.env['FUZZ_SEED'] = '42';
      const long = fuzzRuns(100, 150);
      expect([long.runs, long.timeoutMs, long.parameters(10)]).toEqual([20_000, 3_030_000, { numRuns: 10, seed: 42 }]);
    } finally {
      for (const [key, value] of [['FUZZ_RUNS', saved.runs], ['FUZZ_SEED', saved.seed]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it('draws mutations only of the members and indexes given', () => {
    const mutation = arrayParamsMutation({ drop: ['id'], set: ['worker'], maxIndex: 2 }, hostileValue(['zz']));
    fc.assert(
      fc.property(mutation, (m) => {
        if (m.op === 'drop') return m.key === 'id';
        if (m.op === 'set') return m.key === 'worker';
        return m.index >= 0 && m.index <= 2;
      }),
      { numRuns: 200, seed: 1 },
    );
  });
});
