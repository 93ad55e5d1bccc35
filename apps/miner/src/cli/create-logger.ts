import { type Logger, pino } from 'pino';
import type { LogLevel } from './miner-cli';
import { humanLogStream, type TextSink } from './human-log-stream';

/**
 * The miner's pino logger: human lines (see humanLogStream) by default, raw
 * pino JSON (with time) when `json` is set. Both write synchronously, so
 * nothing is lost when the process exits right after the last line.
 *
 * @param sink where the lines go; default process.stdout
 */
export function createMinerLogger(options: { level: LogLevel; json: boolean; sink?: TextSink }): Logger {
  const sink = options.sink ?? process.stdout;
  if (options.json) {
    return pino({ level: options.level, base: null }, { write: (line: string) => sink.write(line) });
  }
  return pino({ level: options.level, base: null, timestamp: false }, humanLogStream(sink));
}
