import { LodeError } from '@lode/stratum-core';

/**
 * Settles like `promise`, or rejects with LodeError('store') when it has not
 * settled within `ms` milliseconds. The late outcome of `promise` is
 * swallowed (a Redis command that times out may still be executed later;
 * callers that care make the command idempotent).
 *
 * @param what names the operation in the error ("recording share btc-1:7")
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new LodeError('store', `${what}: no answer from redis within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (cause: unknown) => {
        clearTimeout(timer);
        reject(cause);
      },
    );
  });
}
