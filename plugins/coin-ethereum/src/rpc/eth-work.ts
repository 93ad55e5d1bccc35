/**
 * One `eth_getWork` answer, decoded.
 *
 * @see facts/ethash.md §1.1, §5.3 (core-geth `makeWork`)
 */
export interface EthWork {
  /** the seal hash to mine (eth_getWork[0]), 64 lower-case hex, no 0x */
  headerHash: string;
  /** the epoch's seed hash (eth_getWork[1]), 64 lower-case hex, no 0x */
  seedHash: string;
  /** the network boundary 2^256 / difficulty (eth_getWork[2]) */
  boundary: bigint;
  /** the block number being mined (eth_getWork[3], geth and core-geth send it); absent when the node sent 3 elements */
  height?: number;
}
