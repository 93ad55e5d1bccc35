/** Where formatted lines go: anything with `write(string)` (process.stdout, a test buffer). */
export interface TextSink {
  write(text: string): unknown;
}

const LEVEL_TAGS: Record<number, string> = { 10: 'TRACE ', 20: 'DEBUG ', 40: 'WARN ', 50: 'ERROR ', 60: 'FATAL ' };

/** Fields pino adds to every line, and the miner's own machine-readable tag. */
const HIDDEN = new Set(['level', 'msg', 'time', 'pid', 'hostname', 'event']);

/**
 * A pino destination that prints one human line per log record, message
 * first: `miner: share accepted job 1a nonce 9a3b3338 (diff 0.001)`.
 *
 * The miner's own lines (messages starting `miner: `) already say everything
 * and print as they are, prefixed with the level when it is not info
 * (`WARN miner: share rejected: …`). Other lines (from the stratum and
 * dialect packages) get their fields appended as key=value. A line that is
 * not pino JSON is passed through unchanged.
 */
export function humanLogStream(sink: TextSink): { write(line: string): void } {
  return {
    write(line: string): void {
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line) as Record<string, unknown>;
      } catch {
        sink.write(line.endsWith('\n') ? line : `${line}\n`);
        return;
      }
      const level = typeof record['level'] === 'number' ? record['level'] : 30;
      const msg = typeof record['msg'] === 'string' ? record['msg'] : '';
      let text = `${LEVEL_TAGS[level] ?? ''}${msg}`;
      if (!msg.startsWith('miner: ') || level <= 20) {
        const fields = Object.entries(record)
          .filter(([k]) => !HIDDEN.has(k))
          .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
        if (fields.length > 0) text += ` ${fields.join(' ')}`;
      }
      sink.write(`${text}\n`);
    },
  };
}
