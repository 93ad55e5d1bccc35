import { resolve } from 'node:path';
import { describePluginConformance } from '@lode/plugin-api/conformance';
import { A1, SESSION, SHARE_PREFIX } from './testing/warthog-vectors.fixture';

/**
 * facts/warthog.md §6-H: the template behind the synthetic job (block
 * 1949766's prevHash, target, version and ntime, with the §6-C case-1 body:
 * one reward to account 0x12345), as apps/pool's warthog-port.spec.ts uses it.
 */
const TEMPLATE_HEADER =
  '05b42d206f8a4b2b8094199fd28423151af8aa54a5073ac6e6805f42096dc3a20ae7cde7087fbfd76206b3f2dc885bbf747c4891ad60073248af4a5c809268d0502d3bb40000000366f2fefb00000000';
const TEMPLATE_BODY = '0000000000000000000000000000000000012345' + '0000000011e1a300';
const MERKLE_PREFIX = '33fdd49cb7a62536f3c56e5c62d809518871632bba3f9a399bf4c13aeeb464dc';

/**
 * The comparison value hasher.hash and hashShare return: floor(J · 2^256) + 1,
 * 32 bytes big-endian (WarthogCoinPlugin.hashValue). J is exact in the
 * node's CustomFloat (facts/warthog.md §1.1: value = m / 2^32 · 2^e), so
 * J · 2^256 = m · 2^(224 + e), an integer.
 */
const comparisonValue = (exponent: number, mantissa: bigint): string =>
  ((mantissa << BigInt(224 + exponent)) + 1n).toString(16).padStart(64, '0');

describePluginConformance({
  packageName: '@lode/coin-warthog',
  from: resolve(__dirname, '..'),
  coinId: 'wart',
  config: { node: { url: 'http://127.0.0.1:3000' }, payoutAddress: SESSION.address },
  template: {
    height: 1949766,
    prevHash: TEMPLATE_HEADER.slice(0, 64),
    // TargetV2 0ae7cde7: bits22 0x27cde7 * 2^(234 - 43), the consensus target in 2^256 units (§3.1)
    networkTarget: 0x27cde7n << 191n,
    raw: { header: TEMPLATE_HEADER, body: TEMPLATE_BODY, merklePrefix: MERKLE_PREFIX, difficulty: 14142941042437.885, height: 1949766 },
  },
  shares: [
    {
      name: 'the §6-H share 00002df1 (extranonce 00000001|000000000002)',
      source:
        'facts/warthog.md §6-E (header prefix + nonce, sha256d 05e7c611...) and §6-G (J = (-19, d1a31cac) in CustomFloat, ' +
        '1.561918528736328e-06); the hash is the plugin contract\'s comparison value floor(J · 2^256) + 1 of that J',
      extranonce1: SESSION.extranonce1,
      extranonce2: SESSION.extranonce2,
      ntime: SESSION.ntime,
      nonce: 0x00002df1,
      header: SHARE_PREFIX + '00002df1',
      hash: comparisonValue(-19, 0xd1a31cacn),
      blockHash: '05e7c61177952c56a89c7535e462fc4023a1b5fb6abff417e414ae056accf506',
    },
  ],
  headerVectors: [
    {
      name: 'mainnet block 1949766 (§6-A A1)',
      source: 'facts/warthog.md §6-A A1 (header) and §6-G (J = (-45, e613c725), 2.5543706866847959e-14); hash = floor(J · 2^256) + 1',
      header: A1.header,
      hash: comparisonValue(-45, 0xe613c725n),
    },
  ],
  // difficulty D is target 2^256 / D: difficulties below 1 have no target
  difficulties: [1, 1000, 500000, 123456.789, 14142941042437.885],
});
