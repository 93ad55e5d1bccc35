import { formatPretty } from './create-logger';

describe('formatPretty', () => {
  it('renders a pino line as time, level, name, message and fields', () => {
    const line = JSON.stringify({ level: 30, time: Date.UTC(2026, 10, 23, 12, 0, 1), name: 'pool', msg: 'share accepted', worker: 'w1', difficulty: 0.5 });
    expect(formatPretty(line)).toBe('12:00:01 INFO  pool: share accepted worker=w1 difficulty=0.5\n');
  });

  it('passes through a line that is not JSON', () => {
    expect(formatPretty('plain')).toBe('plain');
  });
});
