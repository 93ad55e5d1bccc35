import { rolledVersion } from './rolled-version';

describe('rolledVersion', () => {
  describe('when the share carries version bits and a negotiated mask (BIP 310)', () => {
    it('replaces the masked bits of the job version', () => {
      // nVersion = (job & ~mask) | (bits & mask), facts/bitcoin-stratum.md rule 7
      expect(rolledVersion(0x20000000, 0x1fffe000, 0x1fffe000)).toBe(0x3fffe000);
      expect(rolledVersion(0x20000000, 0x00002000, 0x1fffe000)).toBe(0x20002000);
    });

    it('keeps job bits inside the mask out of the result when the share clears them', () => {
      expect(rolledVersion(0x20800000, 0x00000000, 0x1fffe000)).toBe(0x20000000);
    });

    it('returns an unsigned uint32 when the top bit is set', () => {
      expect(rolledVersion(0xe0000000, 0x00004000, 0x1fffe000)).toBe(0xe0004000);
    });
  });

  describe('when the share carries version bits but no mask was negotiated', () => {
    it('ignores the bits', () => {
      expect(rolledVersion(0x20000000, 0x1fffe000)).toBe(0x20000000);
    });
  });

  describe('when the share carries no version bits', () => {
    it('returns the job version', () => {
      expect(rolledVersion(0x20000004, undefined, 0x1fffe000)).toBe(0x20000004);
    });
  });
});
