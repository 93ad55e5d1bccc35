/**
 * One transaction of a template, as bitcoind prints it (BIP 22
 * "Transactions Object Format"; `hash` is the wtxid since BIP 141).
 *
 * - `data`: full serialization in hex (with witness when it has one)
 * - `txid` / `hash`: display hex of txid / wtxid
 * - `depends`: 1-based indexes of template transactions this one spends (always [] here)
 * - `fee`: satoshis; `sigops`: signature-operation cost; `weight`: weight units
 */
export interface TemplateTransaction {
  data: string;
  txid: string;
  hash: string;
  depends: number[];
  fee: number;
  sigops: number;
  weight: number;
}

/**
 * A `getblocktemplate` result in Bitcoin Core's shape and field order
 * (BIP 22, BIP 23, BIP 9 "getblocktemplate changes", BIP 145).
 *
 * - `version`: 0x20000000 (BIP 9 top bits, no signalling)
 * - `rules`: ["csv", "!segwit", "taproot"] as Bitcoin Core 25+ prints them on regtest
 * - `previousblockhash`: the tip, display hex
 * - `coinbasevalue`: subsidy + fees of `transactions`, satoshis
 * - `longpollid`: tip hash (64 hex) followed by the mempool's update counter in decimal
 * - `target`: 64 hex digits of the target from `bits`
 * - `mintime`: the tip's median time past + 1, seconds; `curtime`: max(mintime, now)
 * - `bits`: nBits as 8 hex digits; `height`: the new block's height
 * - `default_witness_commitment`: the commitment output script (hex):
 *   6a24aa21a9ed ‖ sha256d(witness merkle root of [0^32, wtxids…] ‖ 0^32) (BIP 141)
 */
export interface BlockTemplate {
  capabilities: string[];
  version: number;
  rules: string[];
  vbavailable: Record<string, number>;
  vbrequired: number;
  previousblockhash: string;
  transactions: TemplateTransaction[];
  coinbaseaux: Record<string, string>;
  coinbasevalue: number;
  longpollid: string;
  target: string;
  mintime: number;
  mutable: string[];
  noncerange: string;
  sigoplimit: number;
  sizelimit: number;
  weightlimit: number;
  curtime: number;
  bits: string;
  height: number;
  default_witness_commitment: string;
}
