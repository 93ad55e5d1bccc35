import type { LodeLogger } from '@lode/plugin-api';

/** One log line a test may look at. */
export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  obj: object;
  msg?: string;
}

/** A logger that keeps its lines in memory (test-only; tests are short, so the array stays small). */
export function memoryLogger(lines: LogLine[] = []): LodeLogger & { lines: LogLine[] } {
  const logger = {
    lines,
    debug: (obj: object, msg?: string) => void lines.push({ level: 'debug', obj, msg }),
    info: (obj: object, msg?: string) => void lines.push({ level: 'info', obj, msg }),
    warn: (obj: object, msg?: string) => void lines.push({ level: 'warn', obj, msg }),
    error: (obj: object, msg?: string) => void lines.push({ level: 'error', obj, msg }),
    child: () => logger,
  };
  return logger;
}
