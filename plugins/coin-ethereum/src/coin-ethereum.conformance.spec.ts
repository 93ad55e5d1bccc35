import { resolve } from 'node:path';
import { describePluginConformance, type PluginConformanceFixture } from '@lode/plugin-api/conformance';
import { CHFAST_BLOCK_2, EPOCH_SEEDS } from './testing/ethash-vectors.fixture';

/**
 * chfast block 2 (facts/ethash.md §4.1): epoch 0, header (seal) hash, nonce
 * 307692cf71b12f6d split into extranonce1 3076 (the default 2-byte
 * `mining.set` extranonce) and extranonce2 92cf71b12f6d, final hash ab9b1342...
 * The seed of epoch 0 is 32 zero bytes (§4.6).
 */
const BOUNDARY = 2n ** 224n;

function fixture(coinId: 'eth' | 'etc', config: Record<string, unknown>, algo: string): PluginConformanceFixture {
  return {
    packageName: '@lode/coin-ethereum',
    from: resolve(__dirname, '..'),
    coinId,
    config,
    template: {
      height: CHFAST_BLOCK_2.block,
      prevHash: (CHFAST_BLOCK_2.block - 1).toString(16).padStart(64, '0'),
      networkTarget: BOUNDARY,
      raw: { headerHash: CHFAST_BLOCK_2.header, seedHash: EPOCH_SEEDS[0], boundary: BOUNDARY.toString(16).padStart(64, '0'), height: CHFAST_BLOCK_2.block },
    },
    shares: [
      {
        name: `chfast block 2 (${algo} epoch 0, nonce ${CHFAST_BLOCK_2.nonce} split 2 + 6)`,
        source:
          'facts/ethash.md §4.1 (chfast/ethash test_cases.hpp, block 2: header, nonce, final); the header buildHeader ' +
          'gives is the seal hash followed by the 8-byte nonce, big-endian (CoinPlugin contract, EthashWork)' +
          (algo === 'etchash' ? '; ETChash epoch 0 has the sizes of epoch 0 and seed keccak256^0(0), so it is ethash epoch 0 (§2.8)' : ''),
        extranonce1: CHFAST_BLOCK_2.nonce.slice(0, 4),
        extranonce2: CHFAST_BLOCK_2.nonce.slice(4),
        ntime: 0,
        nonce: 0,
        header: CHFAST_BLOCK_2.header + CHFAST_BLOCK_2.nonce,
        hash: CHFAST_BLOCK_2.final,
        display: CHFAST_BLOCK_2.final,
      },
    ],
    // difficulty d is boundary 2^256 / d: difficulties below 1 have no boundary
    difficulties: [1, 1000, 123456.789, 4294967296, 1.863],
    scan: { count: 64 },
    timeoutMs: 120_000,
  };
}

describePluginConformance(fixture('eth', { node: { url: 'http://127.0.0.1:8545' } }, 'ethash'));

// ETChash from block 0 (a devnet's ecip1099Block): its epoch 0 is ethash epoch 0
describePluginConformance(fixture('etc', { node: { url: 'http://127.0.0.1:8545' }, ecip1099Block: 0 }, 'etchash'));
