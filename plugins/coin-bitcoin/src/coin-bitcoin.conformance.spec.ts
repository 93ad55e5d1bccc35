import { resolve } from 'node:path';
import { describePluginConformance } from '@lode/plugin-api/conformance';
import { MAINNET_100000, TESTNET3_1263442 } from './testing/real-blocks.fixture';

/** A display hash (as explorers print it) in hash order, as hasher.hash returns it. */
const hashOrder = (display: string): string => Buffer.from(display, 'hex').reverse().toString('hex');

/** facts/bitcoin-stratum.md "Test vectors (real blocks)": block 0 (genesis). */
const GENESIS = {
  header:
    '0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c',
  display: '000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f',
};

/**
 * A testnet3 template around block 1263442 (facts/bitcoin-blocks.md): its
 * previous block, version, bits, time, height, coinbase value, second
 * transaction and witness commitment. The coinbase is the pool's own
 * (payout to the BIP 173 P2WSH test address, tag "/Lode/"), so the header
 * is not the real block's; the real header's hash is checked through
 * hasher.hash below (headerVectors).
 */
const TEMPLATE_RAW = {
  version: TESTNET3_1263442.version,
  previousblockhash: TESTNET3_1263442.prevhashDisplay,
  transactions: [
    {
      data: TESTNET3_1263442.rawBlock.slice(162 + TESTNET3_1263442.coinbaseWithWitness.length),
      txid: TESTNET3_1263442.txidsDisplay[1],
    },
  ],
  coinbasevalue: TESTNET3_1263442.payoutValue,
  target: '000000000000dcad000000000000000000000000000000000000000000000000',
  mintime: TESTNET3_1263442.ntime - 1000,
  curtime: TESTNET3_1263442.ntime,
  bits: '1d00dcad',
  height: TESTNET3_1263442.height,
  default_witness_commitment: TESTNET3_1263442.witnessCommitmentScript,
};

describePluginConformance({
  packageName: '@lode/coin-bitcoin',
  from: resolve(__dirname, '..'),
  coinId: 'btc',
  config: {
    node: { url: 'http://127.0.0.1:18332' },
    // BIP 173 test vector: scriptPubKey 0020 1863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262
    payoutAddress: 'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7',
    network: 'testnet',
    coinbaseTag: '/Lode/',
  },
  template: {
    height: TESTNET3_1263442.height,
    prevHash: TESTNET3_1263442.prevhashDisplay,
    networkTarget: 0xdcadn << 208n,
    raw: TEMPLATE_RAW,
  },
  context: { jobId: 'conformance-1', extranonce1Size: 4, extranonce2Size: 4 },
  shares: [
    {
      name: 'a share on the testnet3 1263442 template (extranonce 01020304|0a0b0c0d, the block nonce 9a3b3338)',
      source:
        'assembled by hand, independently of the plugin (Python hashlib): coinbase = 01000000 01 <null prevout> 12 ' +
        '03524713 (BIP 34 height push, facts/bitcoin-blocks.md) 2f4c6f64652f ("/Lode/") 01020304 0a0b0c0d ffffffff 02 ' +
        '<coinbasevalue 4423a80400000000 to 0020 + the BIP 173 program> <0 to the facts witness commitment> 00000000 ' +
        '(the buildCoinbase layout); header and hash by facts/bitcoin-stratum.md "Byte orders" rules 1-6 with the ' +
        'facts branch e0e03cc7...212c; hash = sha256d(header)',
      extranonce1: '01020304',
      extranonce2: '0a0b0c0d',
      ntime: TESTNET3_1263442.ntime,
      nonce: TESTNET3_1263442.nonce,
      header:
        '000000201c8d1a529c39a396db2db234d5ec152fa651a2872966daccbde028b400000000f56409347c69f15bc8465b903a4892044c701fc4' +
        '1fb2548d45619947d7b9656c5f45765aaddc001d38333b9a',
      hash: '8d2d0d6b0b796e118978099d8c79673621e38e8611cfd565c931673723aacc22',
      display: '22ccaa23376731c965d5cf11868ee3213667798c9d097889116e790b6b0d2d8d',
    },
  ],
  headerVectors: [
    {
      name: 'testnet3 block 1263442',
      source: 'facts/bitcoin-blocks.md "Testnet3 block 1263442" (header, block hash)',
      header: TESTNET3_1263442.header,
      hash: hashOrder(TESTNET3_1263442.hashDisplay),
      display: TESTNET3_1263442.hashDisplay,
    },
    {
      name: 'mainnet block 100000',
      source: 'facts/bitcoin-blocks.md "Mainnet block 100000" (header, block hash)',
      header: MAINNET_100000.header,
      hash: hashOrder(MAINNET_100000.hashDisplay),
      display: MAINNET_100000.hashDisplay,
    },
    {
      name: 'mainnet block 0 (genesis)',
      source: 'facts/bitcoin-stratum.md "Test vectors (real blocks)"',
      header: GENESIS.header,
      hash: hashOrder(GENESIS.display),
      display: GENESIS.display,
    },
  ],
});
