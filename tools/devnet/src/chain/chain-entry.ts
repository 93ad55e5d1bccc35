import type { BlockHeader } from '../block/block-header';

/**
 * What the devnet keeps of each block of its chain (a few hundred bytes;
 * block bodies are not kept).
 *
 * - `hash` internal bytes, `hashHex` display form
 * - `chainWork`: total expected hashes up to and including this block
 * - `medianTimePast`: median time of this block and its 10 ancestors (seconds)
 * - `size` / `strippedSize` bytes with / without witness, `weight` weight units
 * - `coinbaseTag`: printable text found in the coinbase scriptSig ("" when none)
 */
export interface ChainEntry {
  hash: Buffer;
  hashHex: string;
  height: number;
  header: BlockHeader;
  chainWork: bigint;
  medianTimePast: number;
  txCount: number;
  size: number;
  strippedSize: number;
  weight: number;
  coinbaseTag: string;
}
