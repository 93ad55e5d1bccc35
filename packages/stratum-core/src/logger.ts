/** A level a {@link LodeLogger} logs at. */
export type LodeLogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * The logger shape every Lode package takes through its constructor: pino's
 * `(object, message)` call form, so an app can pass a pino logger as is.
 */
export interface LodeLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: object): LodeLogger;
  /**
   * Optional (pino has it): whether a call at `level` would write anything.
   * A logger without it is taken to log at every level.
   */
  isLevelEnabled?(level: LodeLogLevel): boolean;
}

/** A logger that drops everything (the default in tests and libraries). */
export const silentLogger: LodeLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
  isLevelEnabled: () => false,
};

/**
 * A child logger that never makes a child of `parent` for its log calls:
 * `info(obj, msg)` calls `parent.info({...bindings, ...obj}, msg)` (the
 * message passed on only when given), which with pino writes the same keys
 * in the same order as `parent.child(bindings).info(obj, msg)` would (a key
 * in both appears once, with `obj`'s value, where pino's child would write
 * it twice). When the parent says the level is disabled (`isLevelEnabled`),
 * nothing is merged or called. `child(b)` is another such logger over this
 * one, so grandchildren make no pino child either. An idle connection pays a
 * small object instead of a pino child (its prototype, bindings string and
 * hidden classes, about 0.35 KiB each; docs/performance.md "Where the memory
 * goes"), and a connection that logs pays one object per log call.
 *
 * An Error passed as the log object (pino's `logger.error(err)` form) is
 * logged through a child made for that one call (`parent.child(bindings)`):
 * spreading it would lose its message and stack. Lode itself logs errors
 * under an `err` key, which needs no child.
 *
 * @param parent the logger the messages go to
 * @param bindings the child's bindings; not copied, so do not mutate it afterwards
 */
export function lazyChildLogger(parent: LodeLogger, bindings: object): LodeLogger {
  return parent === silentLogger ? silentLogger : new LazyChildLogger(parent, bindings);
}

/** A log call's arguments as given: passing an absent message on as `undefined` could print one. */
type LogArgs = Parameters<LodeLogger['info']>;

class LazyChildLogger implements LodeLogger {
  constructor(
    private readonly parent: LodeLogger,
    private readonly bindings: object,
  ) {}

  debug(...args: LogArgs): void {
    this.log('debug', args);
  }

  info(...args: LogArgs): void {
    this.log('info', args);
  }

  warn(...args: LogArgs): void {
    this.log('warn', args);
  }

  error(...args: LogArgs): void {
    this.log('error', args);
  }

  child(bindings: object): LodeLogger {
    return lazyChildLogger(this, bindings);
  }

  isLevelEnabled(level: LodeLogLevel): boolean {
    return this.parent.isLevelEnabled?.(level) ?? true;
  }

  private log(level: LodeLogLevel, args: LogArgs): void {
    const parent = this.parent;
    if (parent.isLevelEnabled?.(level) === false) return;
    const obj = args[0];
    if (obj instanceof Error) {
      parent.child(this.bindings)[level](...args);
      return;
    }
    const merged = { ...this.bindings, ...obj };
    if (args.length < 2) parent[level](merged);
    else parent[level](merged, args[1]);
  }
}
