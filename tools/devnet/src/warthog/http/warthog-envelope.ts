/**
 * The Warthog node's reply envelope: `{"code":0,"data":…}` on success,
 * `{"code":<non-zero>,"error":"<message>"}` on failure; `/chain/append`
 * answers `{"code":0,"error":null}` on success.
 *
 * @see facts/warthog.md §4.1, §4.3 (NODE src/node/api/http/json.hpp)
 */
export type WarthogEnvelope<T> = { code: 0; data: T } | WarthogErrorEnvelope;

/** A failure: the node's error code and message. */
export interface WarthogErrorEnvelope {
  code: number;
  error: string;
}

/** `/chain/append`'s answer. */
export type WarthogAppendEnvelope = { code: 0; error: null } | WarthogErrorEnvelope;

/**
 * `/chain/mine/:account`'s `data` (json.cpp `to_json(API::MiningState)`).
 * Hex strings are lowercase, without "0x".
 */
export interface WarthogMiningState {
  /** 160 hex digits: the template header, nonce 00000000, merkle root of a zero extranonce */
  header: string;
  /** the template body, its first 10 bytes zero */
  body: string;
  /** 64 or 128 hex digits */
  merklePrefix: string;
  /** 1/τ of the header's target */
  difficulty: number;
  /** the height being mined */
  height: number;
  /** "3.00000000" */
  blockReward: string;
  blockRewardE8: number;
  totalTxFee: string;
  totalTxFeeE8: number;
  synced: boolean;
  testnet: boolean;
}

/** `/chain/head`'s `data` (json.cpp `to_json(API::Head)`). */
export interface WarthogChainHead {
  /** the head's block hash, 64 hex digits */
  hash: string;
  synced: boolean;
  height: number;
  /** difficulty of the next block's target */
  difficulty: number;
  is_janushash: boolean;
  /** the newest multiple of 32 at or below height */
  pinHeight: number;
  pinHash: string;
  /** total work as a double */
  worksum: number;
  /** total work, "0x" + 64 hex digits */
  worksumHex: string;
}
