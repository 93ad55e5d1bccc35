/** A block of the devnet's chain (or the anchor it starts on). */
export interface WarthogBlock {
  height: number;
  /** sha256d(header), 32 bytes in digest order (the anchor and the blocks below it: a stand-in, see WarthogChain) */
  hash: Buffer;
  /** the 80 header bytes (zeros for the anchor) */
  header: Buffer;
  prevHash: Buffer;
  /** seconds */
  timestamp: number;
  /** the 4 nonce bytes (header[76..80]) */
  nonce: Buffer;
  /** the raw TargetV2 the block was mined at */
  targetV2: number;
  /** the reward's account id (0 for the anchor) */
  rewardAccountId: bigint;
  /** the chain's total work up to and including this block (sum of block difficulties) */
  worksum: bigint;
}

/**
 * What `/chain/mine/:account` hands out: a template for the next height on
 * the head, its body and merkle prefix.
 */
export interface WarthogTemplate {
  height: number;
  /** 80 bytes: prevHash, target, merkle root with a zero extranonce, version 3, timestamp, nonce 00000000 */
  header: Buffer;
  /** the body, first 10 bytes (the extranonce area) zero */
  body: Buffer;
  /** 32 or 64 bytes */
  merklePrefix: Buffer;
  targetV2: number;
  /** 1/τ of targetV2 */
  difficulty: number;
  /** block reward, E8 */
  rewardE8: bigint;
  /** sum of the transfers' fees, E8 (the devnet's transfers pay none) */
  feeE8: bigint;
  /** the reward's account id */
  accountId: bigint;
}
