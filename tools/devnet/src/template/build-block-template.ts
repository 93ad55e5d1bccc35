import { witnessCommitmentScript, witnessMerkleRoot } from '../block/witness-commitment';
import { displayHex } from '../bytes/hex';
import type { ChainEntry } from '../chain/chain-entry';
import { hex256, targetFromCompact } from '../chain/compact-target';
import { MAX_BLOCK_SIGOPS_COST, MAX_BLOCK_WEIGHT } from '../validate/reject-reason';
import type { BlockTemplate } from './block-template';
import type { MempoolTransaction } from './synthetic-transaction';

/** The template's block version: BIP 9 top bits 001, no deployment signalled. */
export const TEMPLATE_VERSION = 0x20000000;

/** Inputs of {@link buildBlockTemplate}. */
export interface TemplateInputs {
  /** the block the template builds on */
  tip: ChainEntry;
  /** nBits of the new block */
  bits: number;
  /** subsidy at the new height, satoshis */
  subsidy: bigint;
  /** transactions to offer, in order */
  transactions: readonly MempoolTransaction[];
  /** the mempool's update counter (longpollid suffix) */
  transactionsUpdated: number;
  /** the node's clock, seconds */
  now: number;
}

/**
 * Builds a `getblocktemplate` result, in Bitcoin Core's format, from the
 * tip and the offered transactions. Pure.
 *
 * @see BIP 22, BIP 23, BIP 141 "Commitment structure", BIP 145; Bitcoin Core src/rpc/mining.cpp (getblocktemplate)
 */
export function buildBlockTemplate(inputs: TemplateInputs): BlockTemplate {
  const { tip, bits, subsidy, transactions } = inputs;
  const fees = transactions.reduce((sum, t) => sum + t.fee, 0n);
  const witnessRoot = witnessMerkleRoot([Buffer.alloc(32), ...transactions.map((t) => t.wtxid)]);
  const mintime = tip.medianTimePast + 1;
  return {
    capabilities: ['proposal'],
    version: TEMPLATE_VERSION,
    rules: ['csv', '!segwit', 'taproot'],
    vbavailable: {},
    vbrequired: 0,
    previousblockhash: tip.hashHex,
    transactions: transactions.map((t) => ({
      data: t.data.toString('hex'),
      txid: displayHex(t.txid),
      hash: displayHex(t.wtxid),
      depends: [],
      fee: Number(t.fee),
      sigops: t.sigopCost,
      weight: t.weight,
    })),
    coinbaseaux: {},
    coinbasevalue: Number(subsidy + fees),
    longpollid: `${tip.hashHex}${inputs.transactionsUpdated}`,
    target: hex256(targetFromCompact(bits)),
    mintime,
    mutable: ['time', 'transactions', 'prevblock'],
    noncerange: '00000000ffffffff',
    sigoplimit: MAX_BLOCK_SIGOPS_COST,
    sizelimit: MAX_BLOCK_WEIGHT,
    weightlimit: MAX_BLOCK_WEIGHT,
    curtime: Math.max(mintime, inputs.now),
    bits: (bits >>> 0).toString(16).padStart(8, '0'),
    height: tip.height + 1,
    default_witness_commitment: witnessCommitmentScript(witnessRoot).toString('hex'),
  };
}
