import { bodyMerklePrefix, merkleRootFromPrefix } from './body-merkle';
import { parseWarthogBody, serializeWarthogBody } from './warthog-body';

// facts/warthog.md §6-C: synthetic bodies computed with the upstream BodyView,
// extranonce 00000001|000000000002
const CASES: Array<[string, string, string, string]> = [
  [
    'reward only (1 leaf)',
    '00000001000000000002000000000000000123450000000011e1a300',
    '33fdd49cb7a62536f3c56e5c62d809518871632bba3f9a399bf4c13aeeb464dc',
    '64428f3e2d7e393ce459e2ab4355a95dbd85f5f315e53601ebd272c39bb8eaa2',
  ],
  [
    'one new address and the reward (2 leaves)',
    '0000000100000000000200013661579d61abde5837a8686dc4d65348a2fc61b100000000000123450000000011e1a300',
    'fe5f40934a0fe34da7b5990220b1cda58382c81ccdbc6b17ca3ada615eecd56933fdd49cb7a62536f3c56e5c62d809518871632bba3f9a399bf4c13aeeb464dc',
    '7f98bb495b51d6bab2ee22bafc659ec27fe4ccea7461a01e4678f46f3b860b44',
  ],
  [
    'the reward and 2 transfers (3 leaves, the odd one hashed alone)',
    '00000001000000000002000000000000000123450000000011e1a300000000020102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f6061626365666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7',
    'cf31ef59bca1580c934a923186603904dc001c54133f915706ce4fee03ae387826ae325e8ed0bc139ccc380d7b808213759c57951ad11439e8cd2554850873a1',
    'd19016e0717602fee05b6da56892757baab094d7123417b5e6c1fabbb4e523a7',
  ],
];

describe('bodyMerklePrefix', () => {
  describe.each(CASES)('when the body holds %s', (_name, bodyHex, prefixHex, rootHex) => {
    const body = parseWarthogBody(Buffer.from(bodyHex, 'hex'));

    it('parses and re-serializes to the same bytes', () => {
      expect(serializeWarthogBody(body).toString('hex')).toBe(bodyHex);
      expect(body.reward).toEqual({ accountId: 0x12345n, amountE8: 300_000_000n });
    });

    it('gives the merkle prefix and root of §6-C', () => {
      const prefix = bodyMerklePrefix(body);
      expect(prefix.toString('hex')).toBe(prefixHex);
      expect(merkleRootFromPrefix(prefix, body.extranonce).toString('hex')).toBe(rootHex);
    });
  });
});
