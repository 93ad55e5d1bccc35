import type { ShareSubmission } from '@lode/plugin-api';
import type { BitcoinJob } from '../plugin/bitcoin-job';
import type { MAINNET_100000, TESTNET3_1263442 } from './real-blocks.fixture';

/**
 * A pool job built by hand from a real block (facts/bitcoin-blocks.md), and
 * the share that rebuilds that block's header: the coinbase (without
 * witness) cut at `offset` (bytes) into coinb1 | 8 placeholder bytes |
 * coinb2, the placeholder's real bytes being the share's extranonce1 (4)
 * and extranonce2 (4). `transactions` (raw hex, coinbase excluded) and
 * `witness` go into the job's bitcoin part; the defaults suit header-only tests.
 */
export function realBlockJob(
  block: typeof MAINNET_100000 | typeof TESTNET3_1263442,
  offset: number,
  bitcoin: { transactions?: string[]; witness?: boolean } = {},
): { job: BitcoinJob; share: ShareSubmission } {
  const coinbase = Buffer.from(block.coinbase, 'hex');
  const job: BitcoinJob = {
    id: 'real',
    coin: 'btc',
    height: block.height,
    prevHash: block.prevhashDisplay,
    networkTarget: 0n,
    ntimeMin: block.ntime - 600,
    ntimeMax: block.ntime + 7200,
    createdAt: 0,
    work: {
      dialect: 'bitcoin',
      prevhash: block.prevhashStratum,
      coinb1: coinbase.subarray(0, offset).toString('hex'),
      coinb2: coinbase.subarray(offset + 8).toString('hex'),
      merkleBranches: [...block.branches],
      version: block.version,
      nbits: block.nbits,
      ntime: block.ntime,
    },
    bitcoin: { extranonce1Size: 4, extranonce2Size: 4, transactions: bitcoin.transactions ?? [], witness: bitcoin.witness ?? false },
  };
  const share: ShareSubmission = {
    jobId: 'real',
    extranonce1: Buffer.from(coinbase.subarray(offset, offset + 4)),
    extranonce2: Buffer.from(coinbase.subarray(offset + 4, offset + 8)),
    ntime: block.ntime,
    nonce: block.nonce,
  };
  return { job, share };
}
