/**
 * The `data` of `GET /chain/mine/:account`: the block template a node hands
 * out for the account that gets the reward. Hex is lower case.
 *
 * @see facts/warthog.md §4.2 (NODE `json.cpp` `to_json(API::MiningState)`)
 */
export interface WarthogMiningState {
  /** the template header, 160 hex (80 bytes): merkle root over a zero extranonce, nonce 00000000 */
  header: string;
  /** the block body, hex; its first 10 bytes are the zeroed extranonce area */
  body: string;
  /** 64 or 128 hex (32 or 64 bytes): merkle root = SHA-256(merklePrefix ‖ extranonce1 ‖ extranonce2) */
  merklePrefix: string;
  /** the TargetV2 difficulty of the header's target (a double) */
  difficulty: number;
  /** the height being mined */
  height: number;
  /** false while the node syncs: do not mine */
  synced: boolean;
  /** true on testnet, when the node says so */
  testnet?: boolean;
  /** the block reward in E8 units (1 WART = 10^8), when the node says so */
  blockRewardE8?: number;
  /** the transaction fees in E8 units, when the node says so */
  totalTxFeeE8?: number;
}
