import { createMinerLogger } from './create-logger';

function capture(json = false): { lines: string[]; log: ReturnType<typeof createMinerLogger> } {
  const lines: string[] = [];
  const log = createMinerLogger({ level: 'info', json, sink: { write: (t: string) => lines.push(t) } });
  return { lines, log };
}

describe('humanLogStream', () => {
  describe('when the miner logs its own lines', () => {
    it('prints the message alone, with the level when it is not info', () => {
      const { lines, log } = capture();
      log.info({ event: 'accepted', jobId: '1a' }, 'miner: share accepted job 1a nonce 9a3b3338 (diff 0.001)');
      log.warn({ code: 21 }, 'miner: share rejected: Job not found (code 21)');
      log.debug({}, 'miner: hidden at info');
      expect(lines).toEqual([
        'miner: share accepted job 1a nonce 9a3b3338 (diff 0.001)\n',
        'WARN miner: share rejected: Job not found (code 21)\n',
      ]);
    });
  });

  describe('when a library logs with fields', () => {
    it('appends them as key=value', () => {
      const { lines, log } = capture();
      log.info({ conn: 'ab1', bytes: 12 }, 'connection closed');
      expect(lines).toEqual(['connection closed conn=ab1 bytes=12\n']);
    });
  });

  describe('when --json is given', () => {
    it('prints pino JSON', () => {
      const { lines, log } = capture(true);
      log.info({ event: 'authorized', worker: 'w' }, 'miner: authorized worker w');
      const record = JSON.parse(lines[0]!) as Record<string, unknown>;
      expect(record).toMatchObject({ level: 30, event: 'authorized', worker: 'w', msg: 'miner: authorized worker w' });
      expect(typeof record['time']).toBe('number');
    });
  });
});
