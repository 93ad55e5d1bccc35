import { LodeError } from '@lode/stratum-core';
import type { LodeLogger } from '@lode/stratum-core';
import { parseUint32Hex, preview, uint32ToHex } from '../hex';
import { ExtensionCodes } from './configure-messages';
import type { ConfigureExtension, ExtensionParams } from './configure-extension';

const MIN_BIT_COUNT_HEX = /^(?:0[xX])?[0-9a-fA-F]{1,8}$/;

/**
 * The version mask a miner may roll under for a job: the negotiated mask
 * without the bits set in the job's version. Replace (BIP 310), OR (ckpool)
 * and XOR (Bitaxe) submitters agree only while the mask covers no bit of
 * the job version (field-notes.md §3(b) "Practical rule"; DigiByte bit 23).
 *
 * @param negotiated serverMask & minerMask, uint32
 * @param jobVersion the job's block version (uint32), or undefined before any job
 * @returns uint32
 */
export function effectiveVersionMask(negotiated: number, jobVersion: number | undefined): number {
  return jobVersion === undefined ? negotiated >>> 0 : (negotiated & ~jobVersion) >>> 0;
}

/** Bits set in a uint32. */
export function bitCount(mask: number): number {
  let n = 0;
  for (let m = mask >>> 0; m !== 0; m >>>= 1) n += m & 1;
  return n;
}

/**
 * Reads `version-rolling.min-bit-count` the ways firmware sends it: an
 * integer (bmminer sends 2), or hex text, because BIP 310 lists it typed
 * as TMask ("00000002", "0x2"; a decimal-looking "16" therefore reads as 22).
 *
 * @returns an integer in [0, 32], or undefined when unreadable
 * @see field-notes.md §3(c) (Antminer S9 bmminer; Braiins OS 2019 sent it malformed)
 */
export function parseMinBitCount(value: unknown): number | undefined {
  let n: number | undefined;
  if (typeof value === 'number' && Number.isInteger(value)) n = value;
  else if (typeof value === 'string' && MIN_BIT_COUNT_HEX.test(value)) n = Number.parseInt(value, 16);
  return n !== undefined && n >= 0 && n <= 32 ? n : undefined;
}

/**
 * min-bit-count is diagnostics only (BIP 310: "The pool server should NOT
 * terminate miner connection if this rare mismatch case occurs"), so it
 * only ever produces a log line.
 */
function diagnoseMinBitCount(logger: LodeLogger, params: ExtensionParams, granted: number): void {
  if (!params.has('min-bit-count')) return;
  const raw = params.get('min-bit-count');
  const wanted = parseMinBitCount(raw);
  if (wanted === undefined) {
    logger.warn(
      { minBitCount: preview(raw) },
      `version-rolling.min-bit-count '${preview(raw)}' is neither an integer nor hex from 0 to 32; ignored (diagnostics only)`,
    );
    return;
  }
  const bits = bitCount(granted);
  if (bits < wanted) {
    logger.warn(
      { minBitCount: wanted, mask: uint32ToHex(granted) },
      `version-rolling.min-bit-count asks for ${wanted} bits, the mask ${uint32ToHex(granted)} grants ${bits}; the miner runs degraded`,
    );
  }
}

/**
 * BIP 310 extension "version-rolling".
 *
 * Pool side: the miner's `version-rolling.mask` (TMask, either case;
 * missing or null -> "ffffffff"; malformed -> the result is an error string
 * naming it, and an earlier negotiation stays in force) is intersected
 * with the port's `versionRolling.serverMask` (0 or no option -> false),
 * then the bits of the last job's version are removed. The reply is
 * exactly `{"version-rolling": true, "version-rolling.mask": "<8 lower-case hex>"}`:
 * min-bit-count is never echoed (WhatsMiner disconnects on extra keys,
 * field-notes.md §3(c)). A repeat renegotiates with the same computation.
 *
 * Miner side: sends `version-rolling.mask` (default "ffffffff") and
 * `version-rolling.min-bit-count` when given; reads `{ mask }`, false, or
 * the pool's message (a true without a readable mask becomes a message too).
 *
 * @see specs/002_b8c80480aecfabab.txt 'Extension "version-rolling"'; facts/bitcoin-stratum.md rule 7
 */
export const versionRollingExtension: ConfigureExtension = {
  code: ExtensionCodes.VERSION_ROLLING,

  serve(ctx, params) {
    const serverMask = (ctx.versionRolling?.serverMask ?? 0) >>> 0;
    if (serverMask === 0) return { result: false };
    const rawMask = params.get('mask');
    let minerMask = 0xffffffff;
    if (rawMask !== undefined && rawMask !== null) {
      const parsed = parseUint32Hex(rawMask);
      if (parsed === undefined) {
        return { result: `version-rolling.mask '${preview(rawMask)}' is not 8 hex digits (TMask)` };
      }
      minerMask = parsed;
    }
    const negotiated = (serverMask & minerMask) >>> 0;
    const mask = effectiveVersionMask(negotiated, ctx.state.lastJobVersion);
    ctx.state.versionRolling = { negotiated, mask, minerMask: minerMask >>> 0 };
    if (mask === 0) {
      ctx.logger.warn(
        { minerMask: uint32ToHex(minerMask), serverMask: uint32ToHex(serverMask) },
        'version rolling negotiated with no common bits: the miner cannot roll any',
      );
    }
    diagnoseMinBitCount(ctx.logger, params, mask);
    return { result: true, values: { mask: uint32ToHex(mask) } };
  },

  client: {
    params(request) {
      const vr = request.versionRolling;
      if (vr === undefined) return undefined;
      const out: Record<string, unknown> = { mask: uint32ToHex(vr.mask ?? 0xffffffff) };
      if (vr.minBitCount !== undefined) {
        if (!Number.isInteger(vr.minBitCount) || vr.minBitCount < 0 || vr.minBitCount > 32) {
          throw new LodeError('protocol', `version-rolling min-bit-count ${vr.minBitCount} is not an integer from 0 to 32`);
        }
        out['min-bit-count'] = vr.minBitCount;
      }
      return out;
    },

    read(answer, into) {
      if (answer.result !== true) {
        into.versionRolling = typeof answer.result === 'string' ? answer.result : false;
        return;
      }
      const raw = answer.values.get('mask');
      const mask = parseUint32Hex(raw);
      into.versionRolling =
        mask === undefined
          ? `the pool answered version-rolling true with version-rolling.mask '${preview(raw)}', not 8 hex digits`
          : { mask };
    },
  },
};
