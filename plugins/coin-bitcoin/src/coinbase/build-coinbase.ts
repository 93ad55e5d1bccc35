import { LodeError } from '@lode/plugin-api';
import { compactSize } from '../encoding/compact-size';
import { decodeHex } from '../encoding/hex';
import type { BitcoinBlockTemplate } from '../rpc/block-template';
import { bip34HeightPush } from './bip34-height-push';

/** Consensus bounds of a coinbase scriptSig (Bitcoin Core CheckTransaction, "bad-cb-length"). */
export const COINBASE_SCRIPTSIG_MIN_BYTES = 2;
export const COINBASE_SCRIPTSIG_MAX_BYTES = 100;

/** What buildCoinbase needs. */
export interface BuildCoinbaseOptions {
  /** the getblocktemplate members the coinbase depends on */
  template: Pick<BitcoinBlockTemplate, 'height' | 'coinbasevalue' | 'default_witness_commitment'>;
  /** scriptPubKey of the payout output, raw bytes (see payoutScript) */
  payoutScript: Buffer;
  /** bytes written into the scriptSig after the height push (e.g. UTF-8 "/Lode/") */
  tag?: Buffer;
  /** extranonce1 size in bytes */
  extranonce1Size: number;
  /** extranonce2 size in bytes */
  extranonce2Size: number;
  /** transaction version, 1 (default, as ckpool) or 2 */
  txVersion?: 1 | 2;
}

/** A coinbase cut around its extranonce placeholder (Stratum v1 `mining.notify`). */
export interface CoinbaseParts {
  /** the coinbase up to the extranonce1 position */
  coinb1: Buffer;
  /** the coinbase after extranonce2, to the end (locktime) */
  coinb2: Buffer;
}

/**
 * Builds the coinbase transaction of a getblocktemplate result and splits it
 * around the extranonce placeholder, so that
 * `coinb1 | extranonce1 | extranonce2 | coinb2` is the coinbase **without
 * witness** (its sha256d is the txid, facts/bitcoin-stratum.md rule 4).
 *
 * Layout: version (4, LE) | 1 input: null prevout (32 zero bytes,
 * index 0xffffffff), scriptSig = BIP 34 height push | tag | placeholder
 * (extranonce1Size + extranonce2Size bytes), sequence 0xffffffff | outputs:
 * `coinbasevalue` to `payoutScript`, then the BIP 141 witness commitment
 * (value 0, `default_witness_commitment` as given) when the template has one
 * | locktime 0. This is the layout of the testnet3 1263442 coinbase in
 * facts/bitcoin-blocks.md. The block itself carries the coinbase with the
 * witness reserved value when there is a commitment (see withCoinbaseWitness).
 *
 * @returns coinb1 and coinb2, raw bytes
 * @throws LodeError('config') if the scriptSig would be outside 2..100 bytes
 *   (a long tag, large extranonce sizes)
 * @throws LodeError('node') for a malformed template member
 */
export function buildCoinbase(opts: BuildCoinbaseOptions): CoinbaseParts {
  const { template, payoutScript } = opts;
  const tag = opts.tag ?? Buffer.alloc(0);
  const placeholder = opts.extranonce1Size + opts.extranonce2Size;
  const heightPush = bip34HeightPush(template.height);
  const scriptSigLength = heightPush.length + tag.length + placeholder;
  if (scriptSigLength < COINBASE_SCRIPTSIG_MIN_BYTES || scriptSigLength > COINBASE_SCRIPTSIG_MAX_BYTES) {
    throw new LodeError(
      'config',
      `coinbase scriptSig would be ${scriptSigLength} bytes (height push ${heightPush.length} + tag ${tag.length} + extranonce ${placeholder}), consensus allows ${COINBASE_SCRIPTSIG_MIN_BYTES}..${COINBASE_SCRIPTSIG_MAX_BYTES}`,
    );
  }

  const version = Buffer.alloc(4);
  version.writeUInt32LE(opts.txVersion ?? 1);
  const nullPrevout = Buffer.concat([Buffer.alloc(32), Buffer.from([0xff, 0xff, 0xff, 0xff])]);

  const outputs: Buffer[] = [txOutput(BigInt(template.coinbasevalue), payoutScript)];
  if (template.default_witness_commitment !== undefined) {
    const commitment = decodeHex(template.default_witness_commitment, 'default_witness_commitment', undefined, 'node');
    outputs.push(txOutput(0n, commitment));
  }

  const coinb1 = Buffer.concat([version, Buffer.from([1]), nullPrevout, compactSize(scriptSigLength), heightPush, tag]);
  const coinb2 = Buffer.concat([
    Buffer.from([0xff, 0xff, 0xff, 0xff]),
    compactSize(outputs.length),
    ...outputs,
    Buffer.alloc(4),
  ]);
  return { coinb1, coinb2 };
}

function txOutput(value: bigint, script: Buffer): Buffer {
  const amount = Buffer.alloc(8);
  amount.writeBigUInt64LE(value);
  return Buffer.concat([amount, compactSize(script.length), script]);
}
