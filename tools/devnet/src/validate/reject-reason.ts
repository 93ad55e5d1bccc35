/**
 * A reason string that bitcoind's `submitblock` returns for a block it
 * refused (BIP 22 "rejection reasons"; the strings of Bitcoin Core's
 * src/validation.cpp and src/consensus/tx_check.cpp).
 *
 * Header: high-hash, bad-diffbits, time-too-old, time-too-new, bad-version(0x…),
 * prev-blk-not-found. Structure: bad-txnmrklroot, bad-txns-duplicate,
 * bad-blk-length, bad-cb-missing, bad-cb-multiple, bad-blk-sigops,
 * bad-blk-weight. Transactions: bad-txns-vin-empty, bad-txns-vout-empty,
 * bad-txns-oversize, bad-txns-vout-negative, bad-txns-vout-toolarge,
 * bad-txns-txouttotal-toolarge, bad-txns-inputs-duplicate, bad-cb-length,
 * bad-txns-prevout-null, bad-txns-nonfinal, bad-txns-inputs-missingorspent.
 * Coinbase: bad-cb-height, bad-cb-amount. Witness: bad-witness-nonce-size,
 * bad-witness-merkle-match, unexpected-witness. Outcomes that are not
 * failures: duplicate, inconclusive (a valid-looking block whose parent is
 * not the tip), and in proposal mode inconclusive-not-best-prevblk.
 */
export type RejectReason =
  | 'high-hash'
  | 'bad-diffbits'
  | 'time-too-old'
  | 'time-too-new'
  | `bad-version(0x${string})`
  | 'prev-blk-not-found'
  | 'bad-txnmrklroot'
  | 'bad-txns-duplicate'
  | 'bad-blk-length'
  | 'bad-cb-missing'
  | 'bad-cb-multiple'
  | 'bad-blk-sigops'
  | 'bad-blk-weight'
  | 'bad-txns-vin-empty'
  | 'bad-txns-vout-empty'
  | 'bad-txns-oversize'
  | 'bad-txns-vout-negative'
  | 'bad-txns-vout-toolarge'
  | 'bad-txns-txouttotal-toolarge'
  | 'bad-txns-inputs-duplicate'
  | 'bad-cb-length'
  | 'bad-txns-prevout-null'
  | 'bad-txns-nonfinal'
  | 'bad-txns-inputs-missingorspent'
  | 'bad-cb-height'
  | 'bad-cb-amount'
  | 'bad-witness-nonce-size'
  | 'bad-witness-merkle-match'
  | 'unexpected-witness'
  | 'duplicate'
  | 'inconclusive'
  | 'inconclusive-not-best-prevblk';

/** Largest block weight in weight units (BIP 141; Bitcoin Core src/consensus/consensus.h). */
export const MAX_BLOCK_WEIGHT = 4_000_000;
/** Largest total signature-operation cost of a block (consensus.h). */
export const MAX_BLOCK_SIGOPS_COST = 80_000;
/** Weight of a non-witness byte (BIP 141; consensus.h). */
export const WITNESS_SCALE_FACTOR = 4;
/** Largest amount of any output or sum of outputs, satoshis (Bitcoin Core src/consensus/amount.h). */
export const MAX_MONEY = 21_000_000n * 100_000_000n;
/** Seconds a block's time may run ahead of the node's clock (validation.cpp MAX_FUTURE_BLOCK_TIME). */
export const MAX_FUTURE_BLOCK_TIME = 2 * 60 * 60;
/** Locktimes below this are heights, above it are times (script.h LOCKTIME_THRESHOLD). */
export const LOCKTIME_THRESHOLD = 500_000_000;
