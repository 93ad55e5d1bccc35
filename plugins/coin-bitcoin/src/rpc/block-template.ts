import { LodeError } from '@lode/plugin-api';

/** One non-coinbase transaction of a getblocktemplate result (BIP 22/23, BIP 145). */
export interface BlockTemplateTransaction {
  /** the transaction as it goes into the block (with witness when it has one), hex */
  data: string;
  /** txid, display hex (without witness; what the merkle tree is built from); pre-BIP 145 nodes send only `hash`, which then is the txid */
  txid?: string;
  /** wtxid, display hex (BIP 145); equals txid when there is no witness */
  hash?: string;
  fee?: number;
  sigops?: number;
  weight?: number;
  depends?: number[];
}

/**
 * The members of bitcoind's `getblocktemplate` result this plugin uses
 * (BIP 22, BIP 23, BIP 145). Hex values are as bitcoind prints them.
 */
export interface BitcoinBlockTemplate {
  /** block version to put in the header, uint32 */
  version: number;
  /** previous block hash, display hex */
  previousblockhash: string;
  transactions: BlockTemplateTransaction[];
  /** total the coinbase may pay (subsidy + fees), satoshis */
  coinbasevalue: number;
  /** network target, 64 hex digits big-endian */
  target?: string;
  /** earliest allowed ntime, uint32 seconds (median time past + 1) */
  mintime?: number;
  /** node's current time, uint32 seconds */
  curtime: number;
  /** compact target, 8 hex digits */
  bits: string;
  /** height of the block to build */
  height: number;
  /** BIP 145 witness commitment scriptPubKey, hex; present when the block needs one */
  default_witness_commitment?: string;
  /** BIP 22 long polling: pass back to wait for the next template */
  longpollid?: string;
  rules?: string[];
}

const HASH_HEX = /^[0-9a-fA-F]{64}$/;
const BITS_HEX = /^[0-9a-fA-F]{8}$/;

/**
 * Checks that an unknown value (a getblocktemplate result, or CoinTemplate.raw)
 * has the shape this plugin relies on, so that a node bug surfaces as one
 * clear error instead of a corrupt coinbase.
 *
 * @throws LodeError('node') naming the first member that is missing or malformed
 */
export function parseBlockTemplate(raw: unknown): BitcoinBlockTemplate {
  if (typeof raw !== 'object' || raw === null) {
    throw new LodeError('node', `getblocktemplate result is ${raw === null ? 'null' : typeof raw}, expected an object`);
  }
  const t = raw as Record<string, unknown>;
  const uint32 = (key: string, optional = false): void => {
    const v = t[key];
    if (optional && v === undefined) return;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) {
      throw new LodeError('node', `getblocktemplate ${key} is ${JSON.stringify(v)}, expected a uint32`);
    }
  };
  const hex = (key: string, pattern: RegExp, shape: string, optional = false): void => {
    const v = t[key];
    if (optional && v === undefined) return;
    if (typeof v !== 'string' || !pattern.test(v)) {
      throw new LodeError('node', `getblocktemplate ${key} is ${JSON.stringify(v)}, expected ${shape}`);
    }
  };
  uint32('version');
  uint32('curtime');
  uint32('mintime', true);
  uint32('height');
  hex('previousblockhash', HASH_HEX, '64 hex digits');
  hex('bits', BITS_HEX, '8 hex digits');
  hex('target', HASH_HEX, '64 hex digits', true);
  hex('default_witness_commitment', /^(?:[0-9a-fA-F]{2})+$/, 'a hex script', true);
  const value = t['coinbasevalue'];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new LodeError('node', `getblocktemplate coinbasevalue is ${JSON.stringify(value)}, expected satoshis as a non-negative integer`);
  }
  const txs = t['transactions'];
  if (!Array.isArray(txs)) {
    throw new LodeError('node', `getblocktemplate transactions is ${JSON.stringify(txs)}, expected an array`);
  }
  txs.forEach((tx: unknown, i) => {
    const o = (typeof tx === 'object' && tx !== null ? tx : {}) as Record<string, unknown>;
    // pre-segwit nodes sent only `hash`, which then is the txid
    const txid = o['txid'] ?? o['hash'];
    if (typeof o['data'] !== 'string' || !/^(?:[0-9a-fA-F]{2})+$/.test(o['data'])) {
      throw new LodeError('node', `getblocktemplate transactions[${i}].data is not hex`);
    }
    if (typeof txid !== 'string' || !HASH_HEX.test(txid)) {
      throw new LodeError('node', `getblocktemplate transactions[${i}].txid is ${JSON.stringify(txid)}, expected 64 hex digits`);
    }
  });
  return raw as BitcoinBlockTemplate;
}

/** A template transaction's txid (falls back to `hash` for pre-BIP 145 nodes), display hex. */
export function templateTxid(tx: BlockTemplateTransaction): string {
  // parseBlockTemplate checked that one of the two is a 64-digit hex string
  return (tx.txid ?? tx.hash) as string;
}
