/**
 * Ethash test vectors copied from ../shared/facts/ethash.md (each names its
 * section). header = 32-byte seal hash; nonce = the 64-bit number as
 * big-endian hex; mix = mix digest; final = final hash.
 */
export interface EthashVector {
  block: number;
  epoch: number;
  header: string;
  nonce: string;
  mix: string;
  final: string;
}

/** facts/ethash.md §4.1, chfast/ethash test_cases.hpp, block 0 (epoch 0). */
export const CHFAST_BLOCK_0: EthashVector = {
  block: 0,
  epoch: 0,
  header: '2a8de2adf89af77358250bf908bf04ba94a6e8c3ba87775564a41d269a05e4ce',
  nonce: '4242424242424242',
  mix: '58f759ede17a706c93f13030328bcea40c1d1341fb26f2facd21ceb0dae57017',
  final: 'dd47fd2d98db51078356852d7c4014e6a5d6c387c35f40e2875b74a256ed7906',
};

/** facts/ethash.md §4.1, chfast/ethash test_cases.hpp, block 2 (epoch 0). */
export const CHFAST_BLOCK_2: EthashVector = {
  block: 2,
  epoch: 0,
  header: '100cbec5e5ef82991290d0d93d758f19082e71f234cf479192a8b94df6da6bfe',
  nonce: '307692cf71b12f6d',
  mix: 'e55d02c555a7969361cf74a9ec6211d8c14e4517930a00442f171bdb1698d175',
  final: 'ab9b13423cface72cbec8424221651bc2e384ef0f7a560e038fc68c8d8684829',
};

/** facts/ethash.md §4.2, ethereum/tests PoWTests/ethash_tests.json "first" (epoch 0). */
export const ETHEREUM_TESTS_FIRST: EthashVector = {
  block: 0,
  epoch: 0,
  header: '60fd9f3354a63d0b93307d4f0a3196d7284c718d7335ee677caebe78fc0bd922',
  nonce: '4242424242424242',
  mix: '45c73dd21eb93306b93b4e9c4dc1bbd7767f1d73307f7d216c1cff8605560689',
  final: '4cf6e056930a9b35b07efa86dcd57ee3f8cfc78a1db06624a78c60e35751d2b8',
};

/** facts/ethash.md §4.1, chfast TEST(ethash, verify_boundary), epoch 0: nonce 6666 (decimal), final only. */
export const CHFAST_VERIFY_BOUNDARY = {
  header: 'e74e5e8688d3c6f17885fa5e64eb6718046b57895a2a24c593593070ab71f5fd',
  nonce: 6666n,
  final: '13c5a668bba6b86ed16098113d9d6a7a5cac1802e9c8f2d57c932d8818375eb7',
};

/**
 * facts/ethash.md §4.4, the tiny-size vector (core-geth TestHashimoto, Besu
 * hashimotoLightExample): cache 1024 bytes, dataset 32768 bytes, zero seed.
 */
export const TINY_VECTOR = {
  cacheBytes: 1024,
  datasetBytes: 32768,
  header: 'c9149cc0386e689d789a1c2f3d5d169a61a6218ed30e74414dc736e442ef3d1f',
  nonce: 0n,
  mix: 'e4073cffaef931d37117cefd9afd27ea0f1cad6a981dd2605c4a1ac97c519800',
  final: 'd3539235ee2e6f8db665c0a72169f55b7f6c605712330b778ec3944f0eb5a557',
};

/** facts/ethash.md §4.5, the NiceHash EthereumStratum/1.0.0 example share (epoch 50). */
export const NICEHASH_SHARE = {
  epoch: 50,
  seed: 'abad8f99f3918bf903c6a909d9bbc0fdfa5a2f4b9cb1196175ec825c6610126c',
  header: 'fc12eb20c58158071c956316cdcd12a22dd8bf126ac4aee559f0ffe4df11f279',
  extranonce: 'a2eea0',
  minerNonce: 'cfae7df760',
  mix: 'f6cd1b1ca4c4ea8ef652f929e3d04b24fb4a4a41be30ebcd68226067c76768c3',
  final: '000000008967835bc523bf58c952df82be871ba937996c86b9419bcc967028a0',
};

/** facts/ethash.md §4.6, chfast epoch_seed_test_cases. */
export const EPOCH_SEEDS = {
  0: '0000000000000000000000000000000000000000000000000000000000000000',
  1: '290decd9548b62a8d60345a988386fc84ba6bc95484008f6362f93160ef3e563',
  171: 'a9b0e0c9aca72c07ba06b5bbdae8b8f69e61878301508473379bb4f71807d707',
};

/** facts/ethash.md §4.7: ETChash seeds, = keccak256^(2e)(0) for ETChash epoch e. */
export const ETCHASH_SEEDS = {
  /** ETChash epoch 195 (ETC blocks 11,700,000..11,759,999) = ethash epoch 390's seed */
  195: 'e79f0f63030bf691445c2b9d0266b24a9619e355194067f2ad2c73a8e0a26c65',
  /** ETChash epoch 196 = ethash epoch 392's seed */
  196: '1ba62b295a00a4a170571539c1b90d97125bd99543c4fa38949778158873095d',
};
