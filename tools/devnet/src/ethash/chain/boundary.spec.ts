import { ethashBoundary, hex64, parseDifficulty, quantityHex } from './boundary';

describe('ethashBoundary', () => {
  describe('when the difficulty is >= 2', () => {
    it('is floor(2^256 / difficulty) (facts §2.6, §4.8)', () => {
      expect(ethashBoundary(2n)).toBe(1n << 255n);
      // values computed independently with Python: format(2**256 // d, '064x')
      expect(hex64(ethashBoundary(1000n))).toBe('004189374bc6a7ef9db22d0e5604189374bc6a7ef9db22d0e5604189374bc6a7');
      // open-ethereum-pool's example share difficulty 2000000000 (facts §1.1)
      expect(hex64(ethashBoundary(2_000_000_000n))).toBe('0000000225c17d04dad2965cc5a02a23e254c0c3f75d9178046aeb27ce1ca574');
    });
  });

  describe('when the difficulty is 1', () => {
    it('clamps 2^256 to 2^256 - 1 (64 f digits) so that it fits 32 bytes', () => {
      expect(hex64(ethashBoundary(1n))).toBe('f'.repeat(64));
    });
  });
});

describe('hex64 and quantityHex', () => {
  it('pads to 64 digits, and writes quantities without leading zeros', () => {
    expect(hex64(1n << 255n)).toBe(`8${'0'.repeat(63)}`);
    expect(hex64(0x1234n)).toBe(`${'0'.repeat(60)}1234`);
    expect(quantityHex(0)).toBe('0x0');
    expect(quantityHex(30_000)).toBe('0x7530');
    expect(quantityHex(1000n)).toBe('0x3e8');
  });
});

describe('parseDifficulty', () => {
  it('takes positive safe integers and bigints', () => {
    expect(parseDifficulty(1000)).toBe(1000n);
    expect(parseDifficulty(1n << 200n)).toBe(1n << 200n);
  });

  it('refuses zero, negatives, fractions and unsafe numbers with LodeError(config)', () => {
    for (const d of [0, -1, 1.5, 2 ** 60, 0n, -5n, 1n << 256n]) {
      expect(() => parseDifficulty(d)).toThrow(expect.objectContaining({ kind: 'config' }));
    }
  });
});
