import { show } from '../messages/show';
import { malformedReply } from './method-context';
import type { MethodReply } from './method-context';

/**
 * Reads array params of exactly `names.length` strings, or the 400 reply
 * naming what is wrong, marked `bad-params` (see `malformedReply`):
 * "mining.submit takes [jobId, minerNonce, workerToken], got 2 parameters",
 * "mining.submit parameter 2 (minerNonce) is 123, expected a string".
 */
export function readStringParams(method: string, params: unknown, names: readonly string[]): string[] | MethodReply {
  const shape = `[${names.join(', ')}]`;
  if (!Array.isArray(params)) {
    const got = params === undefined ? 'no params' : `params ${show(params)}`;
    return malformedReply(`${method} takes ${shape}, got ${got}`);
  }
  if (params.length !== names.length) {
    return malformedReply(`${method} takes ${shape}, got ${params.length} parameter${params.length === 1 ? '' : 's'}`);
  }
  for (let i = 0; i < names.length; i++) {
    if (typeof params[i] !== 'string') {
      return malformedReply(`${method} parameter ${i + 1} (${names[i]}) is ${show(params[i])}, expected a string`);
    }
  }
  return params as string[];
}

/** True when {@link readStringParams} returned a reply rather than the strings. */
export function isReply(value: string[] | MethodReply): value is MethodReply {
  return !Array.isArray(value);
}
