import { formatPretty } from './create-logger';

describe('formatPretty', () => {
  describe('when given a pino JSON line', () => {
    it('prints time, level, name, message and the other fields', () => {
      // 2023-11-14T22:13:20.000Z
      const line = JSON.stringify({ level: 40, time: 1_700_000_000_000, name: 'proxy', msg: 'failover to backup', miners: 3, upstream: 'backup' });
      expect(formatPretty(line)).toBe('22:13:20 WARN  proxy: failover to backup miners=3 upstream=backup\n');
    });
  });

  describe('when given something else', () => {
    it('passes it through', () => {
      expect(formatPretty('not json')).toBe('not json');
    });
  });
});
