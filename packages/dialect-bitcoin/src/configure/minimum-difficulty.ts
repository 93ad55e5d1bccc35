import { LodeError } from '@lode/stratum-core';
import { preview } from '../hex';
import { ExtensionCodes } from './configure-messages';
import { readExtensionResult } from './configure-extension';
import type { ConfigureExtension } from './configure-extension';

/**
 * BIP 310 extension "minimum-difficulty": the lowest share difficulty (not
 * a target) the miner's hardware can live with.
 *
 * Pool side: `minimum-difficulty.value` must be a JSON number >= 0 (0
 * switches the floor off); missing, negative or not a number -> the result
 * is an error string naming the value. The value goes to the handler's
 * `setMinimumDifficulty` hook; no hook -> false (not supported). When the
 * hook answers a reason instead of `true`, the result is `false` and the
 * reason is logged: BIP 310 reserves a string result for "what went wrong"
 * with the request, while a pool declining a floor it could read means the
 * feature is not available at that value, which `false` says and every
 * firmware understands (SRI answers false the same way, field-notes.md §2).
 * Reconfigurable: each repeat calls the hook again (BIP 310: "can be
 * configured multiple times").
 *
 * Miner side: sends `minimum-difficulty.value`; reads true, false or the pool's message.
 *
 * @see specs/002_b8c80480aecfabab.txt 'Extension "minimum-difficulty"'
 */
export const minimumDifficultyExtension: ConfigureExtension = {
  code: ExtensionCodes.MINIMUM_DIFFICULTY,

  serve(ctx, params) {
    const { handler } = ctx;
    if (handler.setMinimumDifficulty === undefined) return { result: false };
    if (!params.has('value')) return { result: 'minimum-difficulty.value is missing (a number >= 0)' };
    const value = params.get('value');
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      return { result: `minimum-difficulty.value ${preview(value)} is not a number >= 0` };
    }
    let verdict: unknown;
    try {
      verdict = handler.setMinimumDifficulty(value);
    } catch (err) {
      ctx.logger.error({ err, value }, 'setMinimumDifficulty handler threw; minimum-difficulty answered false');
      return { result: false };
    }
    if (verdict !== true) {
      const reason = typeof verdict === 'string' ? verdict : `the handler answered ${preview(verdict)}`;
      ctx.logger.info({ value, reason }, `minimum-difficulty ${value} refused: ${reason}`);
      return { result: false };
    }
    ctx.state.minimumDifficulty = value === 0 ? undefined : value;
    return { result: true };
  },

  client: {
    params(request) {
      const value = request.minimumDifficulty;
      if (value === undefined) return undefined;
      if (!Number.isFinite(value) || value < 0) {
        throw new LodeError('protocol', `minimum difficulty ${value} is not a finite number >= 0`);
      }
      return { value };
    },

    read(answer, into) {
      into.minimumDifficulty = readExtensionResult(answer.result);
    },
  },
};
