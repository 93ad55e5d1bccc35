/**
 * Test vectors copied from facts/warthog.md (section named on each). Hex is
 * lower case, in header/digest byte order.
 */

/** §6-A A1: mainnet block 1949766 (version 3, Janus8, VerusHash v2.2). */
export const A1 = {
  height: 1949766,
  header:
    '05b42d206f8a4b2b8094199fd28423151af8aa54a5073ac6e6805f42096dc3a20ae7cde7f3c41bf363fe94eb448bf924f791f77c22a2ebd6a3a5d8948f8aff019f072bea0000000366f2fefb2719fef5',
  blockHash: '80b200a9ac37d7c41d98ad1cc2d6add8ab50a3905bf52d8347b56955923c28bc',
  sha256t: '02a507400db273886cd1bdc61e05bc4bde6978d74ce6e48d33a46fa705c59ae1',
  verus: '0000000000b069112cc0caf14507169f6adf1e5278a2ef286cddc89f1162d7ca',
  target: 0x0ae7cde7,
  difficulty: 14142941042437.885,
  /** J (CustomFloat), §6-A A1 and §6-G */
  janus: 2.5543706866847959e-14,
} as const;

/** §6-A A2: mainnet block 1950121. */
export const A2 = {
  header:
    '8c8811ee10a9c5c7d23f6f4791cbf03b781531574d53f224278cb78531a4c2fe0ae7cde7dcfeba982307da35c0098709c20f4ea0a4f04e0bbcd1b0c34c8ecc30157159eb0000000366f31e3c1aace551',
  blockHash: '1edd2043a92ac4747487aecaa7dc8145b6bf8ae4509c3bae4e4d9ad9727fe4ee',
  janus: 2.8700662751218597e-14,
} as const;

/** §6-A A3: mainnet block 1950119. */
export const A3 = {
  header:
    '30537a679be7d6082cc905be4a717ea7985f0853403a40dedea1be4e224916dd0ae7cde79205c8127aabd555acb7ff3f95733bd6ec19cb110c2878c55ae77b893fdec7ec0000000366f31e0c46f6a275',
  blockHash: '10b5ed6868f0e5c4fbd859a8dd5a68d7cf4c9038025acde37a004e9f02e7c85e',
  janus: 1.639235465048396e-16,
} as const;

/** §6-A A4: a version-2 header (Janus7, VerusHash v2.1), janushashNumber published by DOCS. */
export const A4 = {
  header:
    'b4e91160d990b7b679234fc7cdc1aefbe11afe9823d6d8d1da7067e9ab0c8d380af405022613b56b379d0b071a4829cc27875f19bb0cb493f3f15aaedade1080e433874b0000000265ce0eb452f36e59',
  blockHash: '0dd5b559637b61bfed741e2cc3da7ab9d0c960b5f2ce5f63bbe4aa1263958e87',
  target: 0x0af40502,
  difficulty: 10821889579473.119,
  janus: 4.315032866502006e-14,
} as const;

/** §6-C: the extranonce of every merkle case: extranonce1 00000001, extranonce2 000000000002. */
export const MERKLE_EXTRANONCE1 = '00000001';
export const MERKLE_EXTRANONCE2 = '000000000002';

/** §6-C: merklePrefix -> merkleRoot with the extranonce above (1, 2 and 3 leaves). */
export const MERKLE_CASES = [
  {
    name: 'reward only (1 leaf, 32-byte prefix)',
    body: '00000001000000000002000000000000000123450000000011e1a300',
    merklePrefix: '33fdd49cb7a62536f3c56e5c62d809518871632bba3f9a399bf4c13aeeb464dc',
    merkleRoot: '64428f3e2d7e393ce459e2ab4355a95dbd85f5f315e53601ebd272c39bb8eaa2',
  },
  {
    name: 'one new address plus reward (2 leaves, 64-byte prefix)',
    body: '0000000100000000000200013661579d61abde5837a8686dc4d65348a2fc61b100000000000123450000000011e1a300',
    merklePrefix:
      'fe5f40934a0fe34da7b5990220b1cda58382c81ccdbc6b17ca3ada615eecd56933fdd49cb7a62536f3c56e5c62d809518871632bba3f9a399bf4c13aeeb464dc',
    merkleRoot: '7f98bb495b51d6bab2ee22bafc659ec27fe4ccea7461a01e4678f46f3b860b44',
  },
  {
    name: 'reward plus 2 transfers (3 leaves, 64-byte prefix)',
    body:
      '00000001000000000002000000000000000123450000000011e1a300000000020102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f6061626365666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7',
    merklePrefix:
      'cf31ef59bca1580c934a923186603904dc001c54133f915706ce4fee03ae387826ae325e8ed0bc139ccc380d7b808213759c57951ad11439e8cd2554850873a1',
    merkleRoot: 'd19016e0717602fee05b6da56892757baab094d7123417b5e6c1fabbb4e523a7',
  },
] as const;

/** §6-D: difficulty -> TargetV2 (upstream TargetV2(double)) and 1/τ after encoding. */
export const DIFFICULTY_TARGETS: readonly { difficulty: number; target: number; roundTrip: number }[] = [
  { difficulty: 1, target: 0x003fffff, roundTrip: 1.0000002384186359 },
  { difficulty: 2, target: 0x007fffff, roundTrip: 2.0000004768372719 },
  { difficulty: 1000, target: 0x0260c49b, roundTrip: 1000.0003017486052 },
  { difficulty: 50000, target: 0x03e9f16b, roundTrip: 50000.001263106271 },
  { difficulty: 100000, target: 0x0429f16b, roundTrip: 100000.00252621254 },
  { difficulty: 500000, target: 0x04a18def, roundTrip: 500000.05810580426 },
  { difficulty: 1000000, target: 0x04e18def, roundTrip: 1000000.1162116085 },
  { difficulty: 14142941042437.885, target: 0x0ae7cde7, roundTrip: 14142941042437.885 },
  { difficulty: 113296059763991.22, target: 0x0ba7c02f, roundTrip: 113296059763991.22 },
];

/**
 * §6-E: the share header prefix (76 bytes): prevHash, nbits, version and ntime
 * of block 1949766 with the §6-C case-1 merkle root (extranonce 00000001|000000000002).
 */
export const SHARE_PREFIX =
  '05b42d206f8a4b2b8094199fd28423151af8aa54a5073ac6e6805f42096dc3a20ae7cde764428f3e2d7e393ce459e2ab4355a95dbd85f5f315e53601ebd272c39bb8eaa20000000366f2fefb';

/** §6-E: the three shares on SHARE_PREFIX, with the difficulties each meets and fails (exact upstream comparison). */
export const SHARES = [
  {
    nonce: '00002df1',
    sha256t: '25c1617125cc6f0923cac082e8bafda55b445f6c86f815647090d4dd06723d29',
    verus: '000064091b6f682f368539335defced337c98015fff77bedca365bb05fa3cbdd',
    janus: 1.561918528736328e-6,
    blockHash: '05e7c61177952c56a89c7535e462fc4023a1b5fb6abff417e414ae056accf506',
    /** TargetV2 it meets: D = 100000, 500000, 640000 */
    meets: [0x0429f16b, 0x04a18def, 0x04f46dc5],
    /** TargetV2 it fails: D = 700000, 1000000 */
    fails: [0x04efef55, 0x04e18def],
    validAt: [100000, 500000, 640000],
    invalidAt: [700000, 1000000],
  },
  {
    nonce: '00000456',
    sha256t: '01b4e1fa988caab71709ed49a0bd0f98c2f957810308977e7b3c1bcfc803fb60',
    verus: '001f0604529354d5149f24d9ec9c4d8e60c4c85f3f02179c25aa35b37f12a517',
    janus: 1.4185952061041007e-5,
    meets: [0x03e9f16b],
    fails: [0x0429f16b],
    validAt: [50000, 70000],
    invalidAt: [100000],
  },
  {
    nonce: '0000cb8e',
    /** Y = 0.00066 < c: must be rejected at any difficulty */
    sha256t: '002b6a1a4faeff4f599d482828410341b8b3412ebf49624d16c9f4f3aac790e2',
    verus: '0003b0171cf8c80e0e770775c9518689f50448f769df15b22d2310e7751d88ce',
    janus: 1,
    meets: [],
    fails: [0x003fffff, 0x03e9f16b, 0x0429f16b],
    validAt: [],
    invalidAt: [1, 1000, 50000, 500000],
  },
] as const;

/** §6-H: the stratum session's job, built from §6-C case 1 and §6-E. */
export const SESSION = {
  /** a valid address (checksum fe5f4093 = first 4 bytes of SHA-256 of the 20 bytes) */
  address: '3661579d61abde5837a8686dc4d65348a2fc61b1fe5f4093',
  /** what /chain/mine would return as `header` (merkle root over a zero extranonce, nonce 00000000) */
  templateHeader:
    '05b42d206f8a4b2b8094199fd28423151af8aa54a5073ac6e6805f42096dc3a20ae7cde7087fbfd76206b3f2dc885bbf747c4891ad60073248af4a5c809268d0502d3bb40000000366f2fefb00000000',
  /** sha256d of the template header: the node's solo-stratum job id */
  jobId: '195376b1b447d59c316400e809d29a67eaeec334c6c2b58baae2b91e203e1895',
  /** the template body: 10 zero extranonce bytes, no new address, the reward */
  templateBody: '0000000000000000000000000000000000012345' + '0000000011e1a300',
  merklePrefix: '33fdd49cb7a62536f3c56e5c62d809518871632bba3f9a399bf4c13aeeb464dc',
  prevHash: '05b42d206f8a4b2b8094199fd28423151af8aa54a5073ac6e6805f42096dc3a2',
  nbits: 0x0ae7cde7,
  version: 3,
  ntime: 0x66f2fefb,
  extranonce1: '00000001',
  extranonce2: '000000000002',
  difficulty: 500000,
  /** the body of the block the winning share (nonce 00002df1) would make */
  winningBody: '00000001000000000002' + '0000' + '0000000000012345' + '0000000011e1a300',
} as const;
