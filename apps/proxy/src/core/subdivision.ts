import { LodeError } from '@lode/stratum-core';

/** The dialects the proxy speaks (each proxies to an upstream of the same dialect). */
export type ProxyDialectName = 'bitcoin' | 'ethstratum' | 'warthog';

/**
 * The fewest and most bytes of extranonce2 (ethstratum: of the nonce
 * suffix) the proxy leaves its miners, per dialect, when the upstream's
 * size allows it.
 *
 * - bitcoin: at least 4 (a 32-bit extranonce2 counter, what cgminer-family
 *   firmware rolls), at most 8 (WhatsMiner fails above 8, SRI #1861,
 *   field-notes.md "Proxy app")
 * - ethstratum: the miner's nonce suffix; at least 4 so that a GPU's nonce
 *   space is not exhausted between jobs, at most 8 (the whole ethash nonce)
 * - warthog: at least 4 (janusminer writes a 4-byte counter at
 *   extranonce2Size - 4 and crashes below it, facts/warthog.md §7), at most 8
 */
export const MINER_EXTRANONCE2_BYTES: Readonly<Record<ProxyDialectName, { min: number; max: number }>> = {
  bitcoin: { min: 4, max: 8 },
  ethstratum: { min: 4, max: 8 },
  warthog: { min: 4, max: 8 },
};

/**
 * How many bytes of the upstream's extranonce2 the proxy keeps as a
 * per-miner suffix of extranonce1 (extranonce subdivision): one upstream
 * subscription then serves 256^suffix miners, each rolling
 * `extranonce2Size - suffix` bytes.
 *
 * ckproxy's rule first (`enonce1varlen`: 4 bytes if the upstream
 * extranonce2 size N2 > 7, 2 if N2 > 5, 1 if N2 > 3, else 0 = one miner
 * per subscription), then the dialect's bounds on what the miner keeps
 * ({@link MINER_EXTRANONCE2_BYTES}): never more than `max` (the suffix
 * grows to N2 - max), never fewer than `min` where N2 allows it (the
 * suffix shrinks to N2 - min, or 0).
 *
 * | N2 | 1-4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 16 |
 * |----|-----|---|---|---|---|---|----|----|----|----|----|
 * | suffix (bitcoin) | 0 | 1 | 2 | 2 | 4 | 4 | 4 | 4 | 4 | 5 | 8 |
 *
 * @param extranonce2Size the upstream's extranonce2 size (ethstratum: the
 *   nonce bytes after its extranonce), bytes, integer 0..32
 * @param dialect the upstream's dialect
 * @returns suffix bytes, 0..extranonce2Size
 * @throws LodeError('protocol') when extranonce2Size is not an integer in 0..32
 * @see facts/field-notes.md §1.2 "Proxy extranonce subdivision" (ckpool
 *   src/stratifier.c update_subscribe), "Proxy app"
 */
export function suffixBytes(extranonce2Size: number, dialect: ProxyDialectName): number {
  if (!Number.isInteger(extranonce2Size) || extranonce2Size < 0 || extranonce2Size > 32) {
    throw new LodeError('protocol', `upstream extranonce2 size ${String(extranonce2Size)} is not an integer from 0 to 32 bytes`);
  }
  const { min, max } = MINER_EXTRANONCE2_BYTES[dialect];
  const n2 = extranonce2Size;
  let suffix = n2 > 7 ? 4 : n2 > 5 ? 2 : n2 > 3 ? 1 : 0;
  if (n2 - suffix > max) suffix = n2 - max;
  if (n2 - suffix < min) suffix = Math.max(0, n2 - min);
  return suffix;
}
