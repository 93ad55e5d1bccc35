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
}

/** A logger that drops everything (the default in tests and libraries). */
export const silentLogger: LodeLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};

/**
 * A child logger made only when it first logs: `parent.child(bindings)` is
 * called once, on the first `debug`/`info`/`warn`/`error`/`child` call, and
 * every call goes to that child. What is logged is the same as with an eager
 * child; an idle connection that never logs pays a small object instead of a
 * pino child (its prototype, bindings string and hidden classes, about
 * 0.35 KiB each; docs/performance.md "Where the memory goes").
 *
 * @param parent the logger the child is made from
 * @param bindings the child's bindings; not copied, so do not mutate it afterwards
 */
export function lazyChildLogger(parent: LodeLogger, bindings: object): LodeLogger {
  return parent === silentLogger ? silentLogger : new LazyChildLogger(parent, bindings);
}

/** A log call's arguments as given: passing an absent message on as `undefined` could print one. */
type LogArgs = Parameters<LodeLogger['info']>;

class LazyChildLogger implements LodeLogger {
  private made: LodeLogger | undefined;

  constructor(
    private readonly parent: LodeLogger,
    private readonly bindings: object,
  ) {}

  debug(...args: LogArgs): void {
    this.logger().debug(...args);
  }

  info(...args: LogArgs): void {
    this.logger().info(...args);
  }

  warn(...args: LogArgs): void {
    this.logger().warn(...args);
  }

  error(...args: LogArgs): void {
    this.logger().error(...args);
  }

  child(bindings: object): LodeLogger {
    return this.logger().child(bindings);
  }

  private logger(): LodeLogger {
    return (this.made ??= this.parent.child(this.bindings));
  }
}
