import { createHash } from 'node:crypto';

/*
 * The conformance vectors an author of the generated `demo` coin (one
 * SHA-256 of the 80-byte header) writes over the generator's placeholders.
 *
 * Headers come from facts/bitcoin-blocks.md and facts/bitcoin-stratum.md;
 * the share's header is the one assembled by hand for coin-bitcoin's own
 * conformance spec (plugins/coin-bitcoin/src/coin-bitcoin.conformance.spec.ts).
 * The expected hashes are SHA-256 of those headers by node:crypto (OpenSSL),
 * an implementation independent of the plugin's Rust (sha2 crate).
 */

/** SHA-256 of hex bytes by node:crypto, hex. */
export function sha256Hex(hex: string): string {
  return createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex');
}

/** Testnet3 block 1263442 (facts/bitcoin-blocks.md "Testnet3 block 1263442"). */
export const TESTNET3_1263442 = {
  height: 1263442,
  version: 0x20000000,
  prevhashDisplay: '00000000b428e0bdccda662987a251a62f15ecd534b22ddb96a3399c521a8d1c',
  ntime: 0x5a76455f,
  bits: '1d00dcad',
  nonce: 0x9a3b3338,
  /** coinbase vout[0] value, satoshis */
  coinbaseValue: 0x04a82344,
  /** transaction 1 as serialized in the raw block (with witness) and its txid (display) */
  tx1: {
    data:
      '02000000000101d20978463906ba4ff5e7192494b88dd5eb0de85d900ab253af909106faa22cc5010000000004000000014777ff000000000016001446c29eabe8208a33aa1023' +
      'c741fa79aa92e881ff0347304402207d7ca96134f2bcfdd6b536536fdd39ad17793632016936f777ebb32c22943fda02206014d2fb8a6aa58279797f861042ba604ebd2f8f61e5' +
      'bddbd9d3be5a245047b201004b632103eeaeba7ce5dc2470221e9517fb498e8d6bd4e73b85b8be655196972eb9ccd5566754b2752103a40b74d43df244799d041f32ce1ad515a6' +
      'cd99501701540e38750d883ae21d3a68ac00000000',
    txid: '2c21d40599523d6d24ed1cfe06346d0080362dc1d13f86d4a7f06931c73ce0e0',
  },
  witnessCommitmentScript: '6a24aa21a9edcb26cb3052426b9ebb4d19c819ef87c19677bbf3a7c46ef0855bd1b2abe83491',
  header:
    '000000201c8d1a529c39a396db2db234d5ec152fa651a2872966daccbde028b400000000083f14492679151dbfaa1a825ef4c18518e780c1f91044180280a7d33f4a98ff5f45765aaddc001d38333b9a',
} as const;

/**
 * A share on the testnet3 1263442 template paying the BIP 173 P2WSH test
 * address with tag "/Lode/" (extranonce 01020304|0a0b0c0d, the block's
 * nonce): its header as assembled by hand (Python hashlib) for coin-bitcoin's
 * conformance spec, independently of any plugin.
 */
export const TESTNET3_SHARE = {
  extranonce1: '01020304',
  extranonce2: '0a0b0c0d',
  header:
    '000000201c8d1a529c39a396db2db234d5ec152fa651a2872966daccbde028b400000000f56409347c69f15bc8465b903a4892044c701fc41fb2548d45619947d7b9656c5f45765aaddc001d38333b9a',
} as const;

/** Real 80-byte headers for headerVectors. */
export const HEADER_VECTORS: readonly { name: string; source: string; header: string }[] = [
  { name: 'testnet3 block 1263442', source: 'facts/bitcoin-blocks.md "Testnet3 block 1263442"', header: TESTNET3_1263442.header },
  {
    name: 'mainnet block 100000',
    source: 'facts/bitcoin-blocks.md "Mainnet block 100000"',
    header:
      '0100000050120119172a610421a6c3011dd330d9df07b63616c2cc1f1cd00200000000006657a9252aacd5c0b2940996ecff952228c3067cc38d4885efb5a4ac4247e9f337221b4d4c86041b0f2b5710',
  },
  {
    name: 'mainnet block 0 (genesis)',
    source: 'facts/bitcoin-stratum.md "Test vectors (real blocks)"',
    header:
      '0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c',
  },
];

/**
 * The text of plugins/coin-demo/src/demo.conformance.spec.ts with real
 * vectors: the testnet3 1263442 template and share, and the three real
 * headers, each hash written as a literal (SHA-256 by node:crypto, see
 * {@link sha256Hex}), as an author pastes them.
 */
export function demoConformanceSpec(): string {
  const t = TESTNET3_1263442;
  const vectors = HEADER_VECTORS.map(
    (v) => `    {
      name: '${v.name}',
      source: '${v.source.replace(/'/g, "\\'")} (header); hash: sha256 of it by node:crypto',
      header: '${v.header}',
      hash: '${sha256Hex(v.header)}',
    },`,
  ).join('\n');
  return `import { join } from 'node:path';
import { describePluginConformance } from '@lode/plugin-api/conformance';

/*
 * The shared conformance suite (packages/plugin-api/src/conformance) run on
 * this plugin, with real vectors: the headers are Bitcoin's
 * (facts/bitcoin-blocks.md, facts/bitcoin-stratum.md), the hashes one SHA-256
 * of each header by node:crypto (OpenSSL), not by this plugin.
 */
describePluginConformance({
  packageName: '@lode/coin-demo',
  from: join(__dirname, '..'),
  coinId: 'demo',
  config: {
    node: { url: 'http://127.0.0.1:18332' },
    // BIP 173 test vector: scriptPubKey 0020 1863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262
    payoutAddress: 'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7',
    network: 'testnet',
    coinbaseTag: '/Lode/',
  },
  // a template around testnet3 block 1263442 (facts/bitcoin-blocks.md): previous block, version, bits,
  // time, height, coinbase value, second transaction and witness commitment
  template: {
    height: ${t.height},
    prevHash: '${t.prevhashDisplay}',
    networkTarget: 0xdcadn << 208n,
    raw: {
      version: 0x${t.version.toString(16)},
      previousblockhash: '${t.prevhashDisplay}',
      transactions: [
        {
          data: '${t.tx1.data}',
          txid: '${t.tx1.txid}',
        },
      ],
      coinbasevalue: ${t.coinbaseValue},
      target: '000000000000dcad000000000000000000000000000000000000000000000000',
      mintime: ${t.ntime - 1000},
      curtime: ${t.ntime},
      bits: '${t.bits}',
      height: ${t.height},
      default_witness_commitment: '${t.witnessCommitmentScript}',
    },
  },
  context: { jobId: 'conformance-1', extranonce1Size: 4, extranonce2Size: 4 },
  shares: [
    {
      name: 'a share on the testnet3 1263442 template (extranonce ${TESTNET3_SHARE.extranonce1}|${TESTNET3_SHARE.extranonce2}, the block nonce ${t.nonce.toString(16)})',
      source:
        'header assembled by hand for plugins/coin-bitcoin/src/coin-bitcoin.conformance.spec.ts (facts/bitcoin-stratum.md "Byte orders"); hash: sha256 of it by node:crypto',
      extranonce1: '${TESTNET3_SHARE.extranonce1}',
      extranonce2: '${TESTNET3_SHARE.extranonce2}',
      ntime: ${t.ntime},
      nonce: ${t.nonce},
      header: '${TESTNET3_SHARE.header}',
      hash: '${sha256Hex(TESTNET3_SHARE.header)}',
    },
  ],
  headerVectors: [
${vectors}
  ],
});
`;
}
