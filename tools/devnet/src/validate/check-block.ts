import type { DecodedBlock } from '../block/block-codec';
import type { BlockHeader } from '../block/block-header';
import { merkleRoot } from '../block/merkle-root';
import { legacySigOpCount, scriptNumberPush } from '../block/script';
import { hasWitness, isCoinbase } from '../block/transaction';
import { witnessCommitmentIndex, witnessMerkleRoot } from '../block/witness-commitment';
import { displayHex } from '../bytes/hex';
import { sha256d } from '../bytes/sha256d';
import { decodeCompact } from '../chain/compact-target';
import { checkTransaction, isFinalTransaction } from './check-transaction';
import { powHash } from './pow-hash';
import type { DevnetPow } from './pow-hash';
import { MAX_BLOCK_SIGOPS_COST, MAX_BLOCK_WEIGHT, MAX_FUTURE_BLOCK_TIME, WITNESS_SCALE_FACTOR } from './reject-reason';
import type { RejectReason } from './reject-reason';

/** Rules of the checks that need no chain (bitcoind's CheckBlock). */
export interface ContextFreeRules {
  /** check the header hash against the target of its own nBits (false in proposal mode) */
  checkProofOfWork: boolean;
  /** the highest target any block may have (regtest and devnet: 2^255 - 1) */
  powLimit: bigint;
  /** the hash checked against the target (see DevnetPow); default `sha256d`, the block hash */
  pow?: DevnetPow;
}

/** What the chain expects of a block at its position (ContextualCheckBlockHeader / ContextualCheckBlock). */
export interface ContextualRules {
  /** the height the block would have */
  height: number;
  /** the nBits it must carry */
  bits: number;
  /** the parent's median time past, seconds: the block's time must be greater */
  medianTimePast: number;
  /** the node's clock, seconds: the block's time may be at most 7200 s ahead */
  now: number;
  /** lowest nVersion accepted; 4 once BIP 34/66/65 are active (from height 1 on regtest) */
  minVersion?: number;
  /** enforce the BIP 34 height prefix; true unless validating a pre-BIP 34 block */
  bip34?: boolean;
}

/** What connecting the block to the tip needs (ConnectBlock). */
export interface ConnectRules {
  /** block subsidy at this height, satoshis */
  subsidy: bigint;
  /**
   * The fee (satoshis) of a spendable transaction by display txid, or
   * undefined when its inputs are unknown or spent ("bad-txns-inputs-missingorspent").
   */
  transactionFee: (txid: string) => bigint | undefined;
}

/** Everything {@link validateBlock} needs: the three stages' rules together. */
export interface BlockRules extends ContextFreeRules, ContextualRules, ConnectRules {}

/**
 * The context-free block checks in bitcoind's order: proof of work against
 * the block's own nBits (high-hash; the hash of `rules.pow`, by default
 * sha256d = the block hash), merkle root over the txids
 * (bad-txnmrklroot, bad-txns-duplicate for a mutated tree), size limits
 * (bad-blk-length), coinbase position (bad-cb-missing, bad-cb-multiple),
 * each transaction's CheckTransaction, and legacy sigops (bad-blk-sigops).
 *
 * @returns the reject reason, or null
 * @see Bitcoin Core src/validation.cpp (CheckBlockHeader, CheckBlock, CheckMerkleRoot)
 */
export function checkBlockContextFree(block: DecodedBlock, rules: ContextFreeRules): RejectReason | null {
  if (rules.checkProofOfWork) {
    const { target, negative, overflow } = decodeCompact(block.header.bits);
    if (negative || overflow || target === 0n || target > rules.powLimit) return 'high-hash';
    const hash = rules.pow === undefined || rules.pow === 'sha256d' ? block.hash : powHash(rules.pow, block.headerBytes);
    if (BigInt(`0x${displayHex(hash)}`) > target) return 'high-hash';
  }
  const { root, mutated } = merkleRoot(block.transactions.map((t) => t.txid));
  if (!root.equals(block.header.merkleRoot)) return 'bad-txnmrklroot';
  if (mutated) return 'bad-txns-duplicate';
  const txs = block.transactions;
  if (
    txs.length === 0 ||
    txs.length * WITNESS_SCALE_FACTOR > MAX_BLOCK_WEIGHT ||
    block.strippedSize * WITNESS_SCALE_FACTOR > MAX_BLOCK_WEIGHT
  ) {
    return 'bad-blk-length';
  }
  if (!isCoinbase(txs[0].tx)) return 'bad-cb-missing';
  if (txs.slice(1).some((t) => isCoinbase(t.tx))) return 'bad-cb-multiple';
  for (const t of txs) {
    const reason = checkTransaction(t.tx);
    if (reason) return reason;
  }
  let sigops = 0;
  for (const { tx } of txs) {
    for (const input of tx.inputs) sigops += legacySigOpCount(input.scriptSig);
    for (const output of tx.outputs) sigops += legacySigOpCount(output.scriptPubKey);
  }
  if (sigops * WITNESS_SCALE_FACTOR > MAX_BLOCK_SIGOPS_COST) return 'bad-blk-sigops';
  return null;
}

/**
 * The header checks against the chain, in bitcoind's order: bad-diffbits,
 * time-too-old (time <= parent's median time past), time-too-new
 * (time > now + 7200), bad-version(0x…).
 *
 * @see Bitcoin Core src/validation.cpp (ContextualCheckBlockHeader)
 */
export function checkHeaderContextual(header: BlockHeader, rules: ContextualRules): RejectReason | null {
  if (header.bits >>> 0 !== rules.bits >>> 0) return 'bad-diffbits';
  if (header.time <= rules.medianTimePast) return 'time-too-old';
  if (header.time > rules.now + MAX_FUTURE_BLOCK_TIME) return 'time-too-new';
  if (header.version < (rules.minVersion ?? 4)) {
    return `bad-version(0x${(header.version >>> 0).toString(16).padStart(8, '0')})`;
  }
  return null;
}

/**
 * The block checks against the chain, in bitcoind's order: finality of
 * every transaction (bad-txns-nonfinal), the BIP 34 height prefix of the
 * coinbase scriptSig (bad-cb-height: it must start with the bytes of
 * `CScript() << height`), the witness commitment (bad-witness-nonce-size:
 * the coinbase witness must be exactly one 32-byte item;
 * bad-witness-merkle-match: sha256d(witness root ‖ that item) must equal the
 * 32 bytes after `6a24aa21a9ed` in the last commitment output;
 * unexpected-witness: witness data without a commitment), and the weight
 * limit (bad-blk-weight).
 *
 * Expects a block that passed {@link checkBlockContextFree}.
 *
 * @see Bitcoin Core src/validation.cpp (ContextualCheckBlock, CheckWitnessMalleation); BIP 34; BIP 141
 */
export function checkBlockContextual(block: DecodedBlock, rules: ContextualRules): RejectReason | null {
  for (const { tx } of block.transactions) {
    if (!isFinalTransaction(tx, rules.height, rules.medianTimePast)) return 'bad-txns-nonfinal';
  }
  const coinbase = block.transactions[0].tx;
  if (rules.bip34 ?? true) {
    const expected = scriptNumberPush(rules.height);
    const scriptSig = coinbase.inputs[0].scriptSig;
    if (scriptSig.length < expected.length || !scriptSig.subarray(0, expected.length).equals(expected)) return 'bad-cb-height';
  }
  const commitment = witnessCommitmentIndex(coinbase);
  if (commitment >= 0) {
    const witness = coinbase.inputs[0].witness;
    if (witness.length !== 1 || witness[0].length !== 32) return 'bad-witness-nonce-size';
    const root = witnessMerkleRoot(block.transactions.map((t) => t.wtxid));
    const expected = sha256d(Buffer.concat([root, witness[0]]));
    if (!coinbase.outputs[commitment].scriptPubKey.subarray(6, 38).equals(expected)) return 'bad-witness-merkle-match';
  } else if (block.transactions.some((t) => hasWitness(t.tx))) {
    return 'unexpected-witness';
  }
  if (block.weight > MAX_BLOCK_WEIGHT) return 'bad-blk-weight';
  return null;
}

/**
 * The checks of connecting the block to the tip: every non-coinbase
 * transaction must be spendable once (bad-txns-inputs-missingorspent), and
 * the coinbase outputs must not exceed subsidy + fees (bad-cb-amount).
 *
 * The devnet has no UTXO set: a transaction is spendable when the node
 * offered it in a template since the last block (see `rules.transactionFee`).
 *
 * @see Bitcoin Core src/validation.cpp (Chainstate::ConnectBlock)
 */
export function checkBlockConnect(block: DecodedBlock, rules: ConnectRules): RejectReason | null {
  let fees = 0n;
  const spent = new Set<string>();
  for (const t of block.transactions.slice(1)) {
    const txid = displayHex(t.txid);
    const fee = spent.has(txid) ? undefined : rules.transactionFee(txid);
    if (fee === undefined) return 'bad-txns-inputs-missingorspent';
    spent.add(txid);
    fees += fee;
  }
  const paid = block.transactions[0].tx.outputs.reduce((sum, o) => sum + o.value, 0n);
  if (paid > rules.subsidy + fees) return 'bad-cb-amount';
  return null;
}

/**
 * Validates a block completely, as bitcoind does for a block on its tip:
 * {@link checkBlockContextFree}, {@link checkHeaderContextual},
 * {@link checkBlockContextual}, {@link checkBlockConnect}, stopping at the
 * first failure. Pure: the caller passes every expected value, so any real
 * block can be validated against the chain position it was mined at.
 *
 * @returns the bitcoind reject reason, or null for a valid block
 */
export function validateBlock(block: DecodedBlock, rules: BlockRules): RejectReason | null {
  return (
    checkBlockContextFree(block, rules) ??
    checkHeaderContextual(block.header, rules) ??
    checkBlockContextual(block, rules) ??
    checkBlockConnect(block, rules)
  );
}
