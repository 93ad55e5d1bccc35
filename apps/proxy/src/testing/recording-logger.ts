import type { LodeLogger } from '@lode/stratum-core';

/** One line a {@link RecordingLogger} kept. */
export interface RecordedLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  msg: string;
  fields: object;
}

/** A logger that keeps every line (children share the list), for specs that assert log lines. */
export class RecordingLogger implements LodeLogger {
  constructor(
    readonly lines: RecordedLine[] = [],
    private readonly bindings: object = {},
  ) {}

  debug(obj: object, msg = ''): void {
    this.lines.push({ level: 'debug', msg, fields: { ...this.bindings, ...obj } });
  }

  info(obj: object, msg = ''): void {
    this.lines.push({ level: 'info', msg, fields: { ...this.bindings, ...obj } });
  }

  warn(obj: object, msg = ''): void {
    this.lines.push({ level: 'warn', msg, fields: { ...this.bindings, ...obj } });
  }

  error(obj: object, msg = ''): void {
    this.lines.push({ level: 'error', msg, fields: { ...this.bindings, ...obj } });
  }

  child(bindings: object): LodeLogger {
    return new RecordingLogger(this.lines, { ...this.bindings, ...bindings });
  }

  /** the messages logged, in order */
  messages(): string[] {
    return this.lines.map((l) => l.msg);
  }
}
