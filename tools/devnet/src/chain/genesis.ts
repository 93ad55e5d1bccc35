import { serializeHeader } from '../block/block-header';
import type { BlockHeader } from '../block/block-header';
import { hashTransaction, serializeTransaction } from '../block/transaction-codec';
import type { Transaction } from '../block/transaction';
import { sha256d } from '../bytes/sha256d';

/** The devnet genesis coinbase's scriptSig message. */
export const GENESIS_MESSAGE = 'Lode devnet genesis 2025-01-01: only the chain is simulated';

const GENESIS_COINBASE: Transaction = {
  version: 1,
  inputs: [
    {
      prevTxid: Buffer.alloc(32),
      prevIndex: 0xffffffff,
      scriptSig: Buffer.concat([Buffer.from([0x00, GENESIS_MESSAGE.length]), Buffer.from(GENESIS_MESSAGE, 'ascii')]),
      sequence: 0xffffffff,
      witness: [],
    },
  ],
  outputs: [{ value: 5_000_000_000n, scriptPubKey: Buffer.from('6a', 'hex') }],
  locktime: 0,
};

/**
 * The fixed devnet genesis block (height 0), the same whatever nbits the
 * chain is configured with: version 1, null parent, one coinbase paying
 * 50 BTC to OP_RETURN, time 1735689600 (2025-01-01T00:00:00Z), nBits
 * 0x207fffff (the regtest limit) and a nonce that meets it. Like bitcoind,
 * the devnet never checks the genesis block's proof of work; the nonce is
 * there so that the block is still a valid one.
 */
export interface GenesisBlock {
  header: BlockHeader;
  coinbase: Transaction;
  /** the full block serialization */
  bytes: Buffer;
  /** sha256d(header), internal bytes */
  hash: Buffer;
}

function buildGenesis(): GenesisBlock {
  const coinbase = hashTransaction(GENESIS_COINBASE);
  const header: BlockHeader = {
    version: 1,
    prevHash: Buffer.alloc(32),
    merkleRoot: coinbase.txid,
    time: 1735689600,
    bits: 0x207fffff,
    nonce: 2,
  };
  const headerBytes = serializeHeader(header);
  return {
    header,
    coinbase: GENESIS_COINBASE,
    bytes: Buffer.concat([headerBytes, Buffer.from([1]), serializeTransaction(GENESIS_COINBASE, true)]),
    hash: sha256d(headerBytes),
  };
}

/** The devnet's genesis block; see {@link GenesisBlock}. */
export const DEVNET_GENESIS: GenesisBlock = buildGenesis();
