import { loadWarthogNative } from '@lode/coin-warthog';
import { LodeError } from '@lode/stratum-core';
import type { JanushashVerifier } from './janushash-verifier';

/**
 * The real Janushash check: `@lode/coin-warthog`'s native `checkTarget`
 * (CustomFloat, VerusHash v2.2 for version-3 headers; exact comparison with
 * the TargetV2).
 *
 * @throws LodeError('plugin') when the native addon does not load
 * @see facts/warthog.md §1.1, §8
 */
export function nativeJanushashVerifier(): JanushashVerifier {
  let native: ReturnType<typeof loadWarthogNative>;
  try {
    native = loadWarthogNative();
  } catch (cause) {
    if (LodeError.is(cause)) throw cause;
    throw new LodeError('plugin', `the Warthog native addon does not load: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  return { checkTarget: (header, targetV2) => native.checkTarget(header, targetV2) };
}
