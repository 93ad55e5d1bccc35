import { decodeTargetV2 } from './decode-target-v2';

/**
 * The difficulty of a TargetV2: 1/τ = 2^(zeros + 22) / bits, as a double
 * (upstream `TargetV2::difficulty()`), which is the `difficulty` the node's
 * `/chain/mine` and `/chain/head` report.
 *
 * @param raw uint32 TargetV2 (header bytes 32..35, big-endian)
 * @returns difficulty, e.g. 14142941042437.885 for 0x0ae7cde7 (block 1949766)
 * @throws LodeError('protocol') as decodeTargetV2
 * @see facts/warthog.md §3.1, §6-D
 */
export function targetV2ToDifficulty(raw: number): number {
  const { zeros, bits } = decodeTargetV2(raw);
  return 2 ** (zeros + 22) / bits;
}
