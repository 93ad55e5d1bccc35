import { LodeError, StratumErrorCodes } from '@lode/stratum-core';
import { decodeConfigureParams } from '../../configure/configure-messages';
import type { ConfigureParams } from '../../configure/configure-messages';
import { fail, ok } from '../method-context';
import type { MethodReply, ServerMethodContext } from '../method-context';

/**
 * `mining.configure` `[codes, extensionParams]` -> the result map, nothing
 * else: `{"version-rolling": true, "version-rolling.mask": "1fffe000"}`.
 *
 * Accepted before or after subscribe and any number of times (BIP 310: it
 * SHOULD come first; each extension defines its repeat). A missing second
 * param reads as `{}`. Every requested code is answered once, unknown ones
 * with false (see `ConfigureRegistry.answer`); codes that are not an array
 * of strings -> -32602. An extension's own complaint (a malformed mask, a
 * negative minimum difficulty) is its string result, never a disconnect.
 *
 * @see specs/002_b8c80480aecfabab.txt; field-notes.md §3(c) "Server-side compatibility rules"
 */
export function handleConfigure(ctx: ServerMethodContext, params: unknown[]): MethodReply {
  let decoded: ConfigureParams;
  try {
    decoded = decodeConfigureParams(params);
  } catch (err) {
    return fail(StratumErrorCodes.INVALID_PARAMS, LodeError.is(err) ? err.message : String(err));
  }
  const result = ctx.configure.answer(ctx, decoded.codes, decoded.params);
  ctx.logger.debug({ codes: decoded.codes, result }, 'mining.configure answered');
  return ok(result);
}
