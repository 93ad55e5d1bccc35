/**
 * Receives one call of a store port.
 *
 * @param op "<port>.<method>", e.g. "shares.record", "duplicates.add"
 * @param seconds from the call to the promise's settlement
 * @param ok false when the promise rejected
 */
export type PortOpRecorder = (op: string, seconds: number, ok: boolean) => void;

/**
 * The same object with every method that returns a promise timed into
 * `record` under "<name>.<method>" (the method labels are the port's own
 * method names, so they are bounded). Synchronous results, properties and
 * getters pass through untouched; a method is called on the original
 * object, so private fields keep working; a recorder that throws is
 * ignored.
 *
 * @param name the port's name in the op label ("shares", "sessions", "duplicates", "leases")
 */
export function timedPort<T extends object>(port: T, name: string, record: PortOpRecorder): T {
  const wrappers = new Map<PropertyKey, unknown>();
  return new Proxy(port, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function' || typeof prop !== 'string' || prop === 'constructor') return value;
      let wrapper = wrappers.get(prop);
      if (wrapper === undefined) {
        const method = value as (...args: unknown[]) => unknown;
        const op = `${name}.${prop}`;
        const done = (started: bigint, ok: boolean): void => {
          try {
            record(op, Number(process.hrtime.bigint() - started) / 1e9, ok);
          } catch {
            // metrics never break a store call
          }
        };
        wrapper = (...args: unknown[]): unknown => {
          const started = process.hrtime.bigint();
          const result = method.apply(target, args);
          if (!isThenable(result)) return result;
          return result.then(
            (v) => {
              done(started, true);
              return v;
            },
            (e: unknown) => {
              done(started, false);
              throw e;
            },
          );
        };
        wrappers.set(prop, wrapper);
      }
      return wrapper;
    },
  });
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
