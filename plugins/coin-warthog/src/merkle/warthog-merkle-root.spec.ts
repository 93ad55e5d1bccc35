import { LodeError } from '@lode/plugin-api';
import { MERKLE_CASES, MERKLE_EXTRANONCE1, MERKLE_EXTRANONCE2, SESSION } from '../testing/warthog-vectors.fixture';
import { warthogMerkleRoot } from './warthog-merkle-root';

const bytes = (hex: string): Buffer => Buffer.from(hex, 'hex');

describe('warthogMerkleRoot', () => {
  describe.each(MERKLE_CASES)('when the body is $name (§6-C)', ({ merklePrefix, merkleRoot, body }) => {
    it('is SHA-256(merklePrefix ‖ 00000001 ‖ 000000000002)', () => {
      const root = warthogMerkleRoot(bytes(merklePrefix), bytes(MERKLE_EXTRANONCE1), bytes(MERKLE_EXTRANONCE2));
      expect(root.toString('hex')).toBe(merkleRoot);
    });

    it('does not depend on where the 10 bytes are split', () => {
      const area = bytes(body).subarray(0, 10);
      for (const split of [0, 4, 6, 10]) {
        expect(warthogMerkleRoot(bytes(merklePrefix), area.subarray(0, split), area.subarray(split)).toString('hex')).toBe(merkleRoot);
      }
    });
  });

  describe('when the extranonce is zero (the template the node hands out, §6-H)', () => {
    it("gives the template header's merkle root", () => {
      const root = warthogMerkleRoot(bytes(SESSION.merklePrefix), Buffer.alloc(4), Buffer.alloc(6));
      expect(root.toString('hex')).toBe(SESSION.templateHeader.slice(72, 136));
    });
  });

  describe('when the sizes are wrong', () => {
    it('refuses extranonces that are not 10 bytes together, naming the sizes', () => {
      expect(() => warthogMerkleRoot(bytes(SESSION.merklePrefix), Buffer.alloc(4), Buffer.alloc(5))).toThrow(
        "extranonce1 (4 bytes) + extranonce2 (5 bytes) is 9 bytes, Warthog's merkle root takes exactly 10",
      );
    });

    it('refuses a prefix of neither 32 nor 64 bytes', () => {
      expect(() => warthogMerkleRoot(Buffer.alloc(33), Buffer.alloc(4), Buffer.alloc(6))).toThrow(LodeError);
    });
  });
});
