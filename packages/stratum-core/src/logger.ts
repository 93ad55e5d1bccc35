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
