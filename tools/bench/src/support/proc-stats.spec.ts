import { fdLimitMessage, fdsNeeded, maxSessionsUnder, parseFdLimit, parseStatCpuSeconds, parseVmRss } from './proc-stats';

describe('parseVmRss', () => {
  describe('when the status text has a VmRSS line', () => {
    it('returns bytes (kB x 1024)', () => {
      expect(parseVmRss('Name:\tnode\nVmPeak:\t  900000 kB\nVmRSS:\t    2068 kB\nRssAnon:\t 1000 kB\n')).toBe(2068 * 1024);
    });
  });
  describe('when it has none', () => {
    it('throws', () => {
      expect(() => parseVmRss('Name:\tkthreadd\n')).toThrow('no VmRSS line');
    });
  });
});

describe('parseStatCpuSeconds', () => {
  describe('when the command name holds spaces and parentheses', () => {
    it('reads utime + stime after the last parenthesis', () => {
      // utime 250 and stime 50 ticks at 100 ticks/s: 3 s
      const line = '3605 (node (x) y) R 3602 3602 2080 0 -1 4194304 99 0 0 0 250 50 0 0 20 0 1 0 4468381 3133440 383';
      expect(parseStatCpuSeconds(line, 100)).toBe(3);
    });
  });
});

describe('parseFdLimit', () => {
  describe('when given /proc/<pid>/limits', () => {
    it('returns the soft and hard open-files limits', () => {
      const text = 'Limit                     Soft Limit           Hard Limit           Units     \nMax open files            20000                20000                files     \n';
      expect(parseFdLimit(text)).toEqual({ soft: 20000, hard: 20000 });
      expect(parseFdLimit('Max open files            1024                 unlimited            files\n')).toEqual({ soft: 1024, hard: Number.POSITIVE_INFINITY });
    });
  });
});

describe('maxSessionsUnder', () => {
  describe('when the limit is 20,000', () => {
    it('leaves the reserve and rounds down to 500', () => {
      expect(fdsNeeded(10_000)).toBe(10_256);
      expect(maxSessionsUnder(20_000)).toBe(19_500);
      expect(maxSessionsUnder(Number.POSITIVE_INFINITY)).toBe(Number.MAX_SAFE_INTEGER);
    });
  });
});

describe('fdLimitMessage', () => {
  it('names the sessions, the files needed, both limits and how to raise them', () => {
    const text = fdLimitMessage(50_000, { soft: 20_000, hard: 20_000 });
    expect(text).toContain('50,000 sessions need 50,256 open files');
    expect(text).toContain('the limit here is 20,000 (ulimit -n; hard limit 20,000, ulimit -Hn)');
    expect(text).toContain('ulimit -Hn 262144');
  });
});
