import { promSum } from './prom-text';

const TEXT = [
  '# HELP lode_pool_notify_fanout_seconds from template in hand to the last session written with the new job, seconds',
  '# TYPE lode_pool_notify_fanout_seconds histogram',
  'lode_pool_notify_fanout_seconds_bucket{le="0.0001",coin="btc",clean="true"} 0',
  'lode_pool_notify_fanout_seconds_sum{coin="btc",clean="true"} 0.25',
  'lode_pool_notify_fanout_seconds_count{coin="btc",clean="true"} 3',
  'lode_pool_notify_fanout_seconds_sum{coin="btc",clean="false"} 0.5',
  'lode_pool_notify_fanout_seconds_count{coin="btc",clean="false"} 1',
  'lode_pool_notify_fanout_seconds_sum{coin="ltc",clean="true"} 9',
  'lode_pool_notify_fanout_sessions{coin="btc"} 1000',
  'lode_process_resident_memory_bytes 123456789',
  'lode_process_resident_memory_bytes_total 1',
].join('\n');

describe('promSum', () => {
  describe('when labels filter the series', () => {
    it('adds the matching samples only', () => {
      expect(promSum(TEXT, 'lode_pool_notify_fanout_seconds_sum', { coin: 'btc' })).toBe(0.75);
      expect(promSum(TEXT, 'lode_pool_notify_fanout_seconds_count', { coin: 'btc', clean: 'true' })).toBe(3);
      expect(promSum(TEXT, 'lode_pool_notify_fanout_seconds_sum')).toBe(9.75);
    });
  });

  describe('when a series has no labels', () => {
    it('reads its value and not a longer name sharing its prefix', () => {
      expect(promSum(TEXT, 'lode_process_resident_memory_bytes')).toBe(123456789);
    });
  });

  describe('when nothing matches', () => {
    it('returns 0', () => {
      expect(promSum(TEXT, 'lode_pool_notify_fanout_sessions', { coin: 'eth' })).toBe(0);
    });
  });
});
