import { loadWarthogNative, type CustomFloatValue, type WarthogNative } from './index';

// Every expected value below is copied from facts/warthog.md (section named
// at each block); none is computed by the code under test.

const hex = (b: Buffer): string => b.toString('hex');
const bytes = (h: string): Buffer => Buffer.from(h, 'hex');
const big = (b: Buffer): bigint => BigInt(`0x${b.toString('hex')}`);
const TWO_256 = 1n << 256n;
const ALL_FF = 'f'.repeat(64);

/** The share target of a pool difficulty, as the pool computes it: floor(2^256 / D). */
function shareTarget(difficulty: number): bigint {
  // D as an exact rational p / 2^k (a double is one), then floor(2^256 · 2^k / p)
  let k = 0n;
  let d = difficulty;
  while (!Number.isInteger(d)) {
    d *= 2;
    k += 1n;
  }
  return (TWO_256 << k) / BigInt(d);
}

/** A 32-byte big-endian target, clamped to 2^256 - 1. */
function targetBuffer(target: bigint): Buffer {
  const t = target >= TWO_256 ? TWO_256 - 1n : target;
  return bytes(t.toString(16).padStart(64, '0'));
}

/** J = m / 2^32 · 2^e recovered exactly from a J printed in the facts (a double holds 32 bits exactly). */
function floatParts(j: number): { exponent: number; mantissa: number } {
  let exponent = Math.floor(Math.log2(j)) + 1;
  let mantissa = j * 2 ** (32 - exponent);
  if (mantissa >= 2 ** 32) {
    exponent += 1;
    mantissa /= 2;
  } else if (mantissa < 2 ** 31) {
    exponent -= 1;
    mantissa *= 2;
  }
  expect(Number.isInteger(mantissa)).toBe(true);
  return { exponent, mantissa };
}

/** TargetV2 raw value for (zeros10, bits22). */
const targetV2 = (zeros: number, bits22: number): number => ((zeros << 22) | bits22) >>> 0;

interface BlockVector {
  name: string;
  header: string;
  blockHash: string;
  sha256t: string;
  verusV22: string;
  verusV21: string;
  /** J as published (A1-A3 by the node's API, A4 `/tools/janushash_number`) */
  j: number;
  target: number;
}

// facts/warthog.md §6-A (A1..A4, mainnet headers with published outputs)
const BLOCKS: BlockVector[] = [
  {
    name: 'A1 (height 1949766, version 3)',
    header:
      '05b42d206f8a4b2b8094199fd28423151af8aa54a5073ac6e6805f42096dc3a20ae7cde7f3c41bf363fe94eb448bf924f791f77c22a2ebd6a3a5d8948f8aff019f072bea0000000366f2fefb2719fef5',
    blockHash: '80b200a9ac37d7c41d98ad1cc2d6add8ab50a3905bf52d8347b56955923c28bc',
    sha256t: '02a507400db273886cd1bdc61e05bc4bde6978d74ce6e48d33a46fa705c59ae1',
    verusV22: '0000000000b069112cc0caf14507169f6adf1e5278a2ef286cddc89f1162d7ca',
    verusV21: '8d9ed79784fe729b23854d1f7c65d75d26d7cf2e58713fbfb46869cf9b062070',
    j: 2.5543706866847959e-14,
    target: 0x0ae7cde7,
  },
  {
    name: 'A2 (height 1950121, version 3)',
    header:
      '8c8811ee10a9c5c7d23f6f4791cbf03b781531574d53f224278cb78531a4c2fe0ae7cde7dcfeba982307da35c0098709c20f4ea0a4f04e0bbcd1b0c34c8ecc30157159eb0000000366f31e3c1aace551',
    blockHash: '1edd2043a92ac4747487aecaa7dc8145b6bf8ae4509c3bae4e4d9ad9727fe4ee',
    sha256t: '03129d3047448ed01936f206d4a5f59de702a35df450d36706ef93545cf03c36',
    verusV22: '0000000000b27d750524493e994e98b7dea83af149ae7673dfc3d21935c1ae05',
    verusV21: '2c3bc732e6c4d6616a8a9ace00f9f838a2500f005960a119218042519eeab1b3',
    j: 2.8700662751218597e-14,
    target: 0x0ae7cde7,
  },
  {
    name: 'A3 (height 1950119, version 3)',
    header:
      '30537a679be7d6082cc905be4a717ea7985f0853403a40dedea1be4e224916dd0ae7cde79205c8127aabd555acb7ff3f95733bd6ec19cb110c2878c55ae77b893fdec7ec0000000366f31e0c46f6a275',
    blockHash: '10b5ed6868f0e5c4fbd859a8dd5a68d7cf4c9038025acde37a004e9f02e7c85e',
    sha256t: '0338c8258ed30e6088b4b81cba45f5c40553be12af0323abb7418e2cf63becd7',
    verusV22: '000000000000fc8db96d150937429ce192e0ad69458311c4d8415b720e59b6c0',
    verusV21: '4d2038f1c240ef7b6cac27908f74b1bfba0f3834dcb3ef53a45ffbe45b1f4b48',
    j: 1.639235465048396e-16,
    target: 0x0ae7cde7,
  },
  {
    name: 'A4 (version 2, Janus7: VerusHash v2.1)',
    header:
      'b4e91160d990b7b679234fc7cdc1aefbe11afe9823d6d8d1da7067e9ab0c8d380af405022613b56b379d0b071a4829cc27875f19bb0cb493f3f15aaedade1080e433874b0000000265ce0eb452f36e59',
    blockHash: '0dd5b559637b61bfed741e2cc3da7ab9d0c960b5f2ce5f63bbe4aa1263958e87',
    sha256t: '014f3a4e2916343f628f6aec528f18707568cb2f0c95dc3111c5ed49fc154c99',
    verusV22: 'bd9034cfb81c9aea2edf10a960329f1b9b7a05b3c58979ea261d6fd82d16e333',
    verusV21: '0000000001e7c608cf96bfd98d12f818e6bdf5adc6488b45bdf6d2c2a5c2ecc4',
    j: 4.315032866502006e-14,
    target: 0x0af40502,
  },
];

// facts/warthog.md §6-E: the share header prefix (first 76 bytes) and three nonces
const SHARE_PREFIX =
  '05b42d206f8a4b2b8094199fd28423151af8aa54a5073ac6e6805f42096dc3a20ae7cde764428f3e2d7e393ce459e2ab4355a95dbd85f5f315e53601ebd272c39bb8eaa20000000366f2fefb';
const shareHeader = (nonce: string): Buffer => bytes(SHARE_PREFIX + nonce);

const native: WarthogNative = loadWarthogNative();
const accelerated = native.implementations().includes('aes-ni');
/** every implementation this CPU runs */
const paths = native.implementations();

describe('Janushash native addon', () => {
  describe('implementations', () => {
    it('lists what this CPU runs, fastest first, and resolves auto to the first', () => {
      if (accelerated) {
        expect(paths).toEqual(['aes-ni', 'portable']);
      } else {
        expect(paths).toEqual(['portable']);
      }
      expect(native.implementation()).toBe(paths[0]);
      expect(native.implementation('auto')).toBe(paths[0]);
      expect(native.implementation('portable')).toBe('portable');
    });
  });

  describe('when hashing the published mainnet headers (facts §6-A)', () => {
    it.each(BLOCKS)('$name: sha256d, sha256t and VerusHash v2.1 and v2.2 on every implementation', (v) => {
      const header = bytes(v.header);
      expect(hex(native.sha256d(header))).toBe(v.blockHash);
      expect(hex(native.sha256t(header))).toBe(v.sha256t);
      expect(hex(native.sha256(native.sha256(native.sha256(header))))).toBe(v.sha256t);
      for (const path of paths) {
        expect(hex(native.verusHash(header, 3, path))).toBe(v.verusV22);
        expect(hex(native.verusHash(header, 4, path))).toBe(v.verusV22);
        expect(hex(native.verusHash(header, 2, path))).toBe(v.verusV21);
      }
    });

    it.each(BLOCKS)('$name: janushash gives the published J and its exact comparison value', (v) => {
      const { exponent, mantissa } = floatParts(v.j);
      for (const path of paths) {
        const r = native.janushash(bytes(v.header), path);
        expect(hex(r.blockHash)).toBe(v.blockHash);
        expect(hex(r.sha256t)).toBe(v.sha256t);
        // version 2 headers use v2.1, version 3 headers v2.2 (§1.2)
        expect(hex(r.verus)).toBe(v.name.startsWith('A4') ? v.verusV21 : v.verusV22);
        expect(r.belowC).toBe(false);
        expect(r.number).toBe(v.j);
        expect(r.exponent).toBe(exponent);
        expect(r.mantissa).toBe(mantissa);
        // value = floor(J · 2^256) + 1 = (m << (224 + e)) + 1
        expect(big(r.value)).toBe((BigInt(mantissa) << BigInt(224 + exponent)) + 1n);
      }
    });

    it.each(BLOCKS)('$name: is valid at its own target, and at the tightest TargetV2 above J, not just below J', (v) => {
      const header = bytes(v.header);
      const { exponent, mantissa } = floatParts(v.j);
      const bits22 = Math.floor(mantissa / 1024);
      for (const path of paths) {
        expect(native.checkTarget(header, v.target, path)).toBe(true);
        expect(native.checkTarget(header, targetV2(-exponent, bits22 + 1), path)).toBe(true);
        expect(native.checkTarget(header, targetV2(-exponent, bits22), path)).toBe(false);
      }
      // the same verdicts through the 256-bit value: τ·2^256 = bits22 · 2^(234 - zeros10)
      const value = big(native.janushash(header).value);
      const tau = (raw: number): bigint => BigInt(raw & 0x3fffff) << BigInt(234 - (raw >>> 22));
      expect(value <= tau(v.target)).toBe(true);
      expect(value <= tau(targetV2(-exponent, bits22 + 1))).toBe(true);
      expect(value <= tau(targetV2(-exponent, bits22))).toBe(false);
    });
  });

  describe('when judging the shares of facts §6-E', () => {
    const meets = (r: { belowC: boolean; value: Buffer }, difficulty: number): boolean =>
      !r.belowC && big(r.value) <= shareTarget(difficulty);

    it('00002df1: the listed hashes; a share at D = 100000, 500000, 640000, not at 700000 or 1000000', () => {
      const header = shareHeader('00002df1');
      const r = native.janushash(header);
      expect(hex(r.blockHash)).toBe('05e7c61177952c56a89c7535e462fc4023a1b5fb6abff417e414ae056accf506');
      expect(hex(r.sha256t)).toBe('25c1617125cc6f0923cac082e8bafda55b445f6c86f815647090d4dd06723d29');
      expect(hex(r.verus)).toBe('000064091b6f682f368539335defced337c98015fff77bedca365bb05fa3cbdd');
      expect(r.number).toBe(1.561918528736328e-6);
      for (const d of [100000, 500000, 640000]) expect(meets(r, d)).toBe(true);
      for (const d of [700000, 1000000]) expect(meets(r, d)).toBe(false);
      for (const t of [0x0429f16b, 0x04a18def, 0x04f46dc5]) expect(native.checkTarget(header, t)).toBe(true);
      for (const t of [0x04efef55, 0x04e18def]) expect(native.checkTarget(header, t)).toBe(false);
    });

    it('00000456 (Y just above c): a share at D = 50000 and 70000, not at 100000', () => {
      const header = shareHeader('00000456');
      const r = native.janushash(header);
      expect(hex(r.sha256t)).toBe('01b4e1fa988caab71709ed49a0bd0f98c2f957810308977e7b3c1bcfc803fb60');
      expect(hex(r.verus)).toBe('001f0604529354d5149f24d9ec9c4d8e60c4c85f3f02179c25aa35b37f12a517');
      expect(r.belowC).toBe(false);
      expect(r.number).toBe(1.4185952061041007e-5);
      for (const d of [50000, 70000]) expect(meets(r, d)).toBe(true);
      expect(meets(r, 100000)).toBe(false);
      expect(native.checkTarget(header, 0x03e9f16b)).toBe(true); // D 50000 (§6-D)
      expect(native.checkTarget(header, 0x0429f16b)).toBe(false); // D 100000
    });

    it('0000cb8e (Y < c): rejected at any difficulty, also where a clamp to c would accept it', () => {
      const header = shareHeader('0000cb8e');
      const r = native.janushash(header);
      expect(hex(r.sha256t)).toBe('002b6a1a4faeff4f599d482828410341b8b3412ebf49624d16c9f4f3aac790e2');
      expect(hex(r.verus)).toBe('0003b0171cf8c80e0e770775c9518689f50448f769df15b22d2310e7751d88ce');
      expect(r.belowC).toBe(true);
      expect(r.number).toBe(1.0); // the node's janus_number
      expect(hex(r.value)).toBe(ALL_FF);
      for (const d of [0.001, 1, 2, 1000, 100000, 500000, 725000, 1000000]) expect(meets(r, d)).toBe(false);
      // TargetV2 of D 1, 1000, 100000, 500000 (§6-D), and the easiest TargetV2 there is
      for (const t of [0x003fffff, 0x0260c49b, 0x0429f16b, 0x04a18def, 0x003fffff, 0x00200000]) {
        expect(native.checkTarget(header, t)).toBe(false);
      }
    });
  });

  describe('customFloatSteps (facts §6-G)', () => {
    const cf = (exponent: number, mantissa: number, negative = false): CustomFloatValue => ({
      exponent,
      mantissa,
      negative,
    });

    it('A1: Y, X, log2 Y, 0.7·log2 Y, Y^0.7 and J', () => {
      for (const path of paths) {
        expect(native.customFloatSteps(bytes(BLOCKS[0].header), path)).toEqual({
          y: cf(-6, 0xa941d000),
          x: cf(-40, 0xb069112c),
          log2Y: cf(3, 0xd310fe93, true),
          scaledLog: cf(3, 0x93bf1899, true),
          powY: cf(-4, 0xa6f08b39),
          j: cf(-45, 0xe613c725),
        });
      }
    });

    it('share 00002df1: the same steps', () => {
      expect(native.customFloatSteps(shareHeader('00002df1'))).toEqual({
        y: cf(-2, 0x970585c4),
        x: cf(-17, 0xc81236de),
        log2Y: cf(2, 0xb0c73bd4, true),
        scaledLog: cf(1, 0xf77d53c2, true),
        powY: cf(-1, 0x861ebcb6),
        j: cf(-19, 0xd1a31cac),
      });
    });
  });

  describe('Haraka v2 (facts §5.1, §6-F)', () => {
    it('gives the official test vectors', () => {
      const seq = (n: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => i));
      expect(hex(native.haraka512(seq(64)))).toBe('be7f723b4e80a99813b292287f306f625a6d57331cae5f34dd9277b0945be2aa');
      expect(hex(native.haraka256(seq(32)))).toBe('8027ccb87949774b78d0545fb72bf70c695c2a0923cbd47bba1159efbf2b2c1c');
      expect(hex(native.haraka512(Buffer.alloc(64)))).toBe(
        '6165454b61dae9b53d086b1a01d6764a911b2a4707cd23640ab148b3db65caf3',
      );
    });
  });

  describe('scan', () => {
    const job = shareHeader('00000000');

    it('finds nonce 00002df1 in a range around it at D = 100000 (facts §6-E)', async () => {
      const target = shareTarget(100000);
      const result = await native.scan({
        header: job,
        startNonce: 0x2df1 - 20,
        count: 48,
        target: targetBuffer(target),
        threads: 2,
      });
      expect(result.hashes).toBe(48);
      expect(result.dropped).toBe(0);
      const hit = result.hits.find((h) => h.nonce === 0x2df1);
      expect(hit).toBeDefined();
      expect(hex(hit!.blockHash)).toBe('05e7c61177952c56a89c7535e462fc4023a1b5fb6abff417e414ae056accf506');
      expect(hit!.value).toEqual(native.janushash(shareHeader('00002df1')).value);
      for (const h of result.hits) expect(big(h.value) <= target).toBe(true);
      // the caller's buffer is left as it was
      expect(hex(job)).toBe(`${SHARE_PREFIX}00000000`);
    });

    it('at the loosest target returns every nonce with Y >= c, so never 0000cb8e (facts §6-E)', async () => {
      const start = 0xcb8e - 6;
      const count = 12;
      const result = await native.scan({
        header: job,
        startNonce: start,
        count,
        target: bytes(ALL_FF),
        threads: 3,
        implementation: 'portable',
      });
      const expected: number[] = [];
      for (let nonce = start; nonce < start + count; nonce++) {
        const header = shareHeader(nonce.toString(16).padStart(8, '0'));
        if (!native.janushash(header).belowC) expected.push(nonce);
      }
      expect(expected).not.toContain(0xcb8e);
      expect(result.hits.map((h) => h.nonce)).toEqual(expected);
    });

    it('keeps at most 4096 hits, the lowest nonces, and counts the rest as dropped', async () => {
      const result = await native.scan({ header: job, startNonce: 0, count: 4200, target: bytes(ALL_FF), threads: 2 });
      expect(result.hits).toHaveLength(4096);
      expect(result.hits[0].nonce).toBeLessThan(4);
      const nonces = result.hits.map((h) => h.nonce);
      expect(nonces).toEqual([...nonces].sort((a, b) => a - b));
      // about 0.5 % of nonces have Y < c and are no hit at all
      expect(result.hits.length + result.dropped).toBeGreaterThan(4100);
      expect(result.hits.length + result.dropped).toBeLessThanOrEqual(4200);
    });
  });

  describe('when the portable and accelerated paths hash the same random headers', () => {
    // a fixed-seed xorshift: reproducible "random" headers
    let state = 0x9e3779b9;
    const random = (): number => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return state >>> 0;
    };
    const randomHeader = (version: number): Buffer => {
      const header = Buffer.alloc(80);
      for (let i = 0; i < 80; i += 4) header.writeUInt32BE(random(), i);
      header.writeUInt32BE(version, 68);
      return header;
    };

    it('they agree on VerusHash v2.1 and v2.2 and on every Janushash field', () => {
      if (!accelerated) {
        expect(paths).toEqual(['portable']);
        return;
      }
      for (let i = 0; i < 24; i++) {
        const header = randomHeader([2, 3, 4][i % 3]);
        for (const version of [2, 3]) {
          expect(hex(native.verusHash(header, version, 'aes-ni'))).toBe(hex(native.verusHash(header, version, 'portable')));
        }
        expect(native.janushash(header, 'aes-ni')).toEqual(native.janushash(header, 'portable'));
      }
    });
  });

  describe('when an argument is wrong', () => {
    const a1 = bytes(BLOCKS[0].header);
    const scanArgs = { header: a1, startNonce: 0, count: 1, target: bytes(ALL_FF), threads: 1 };

    it('throws with a message naming the value', () => {
      expect(() => native.janushash(a1.subarray(0, 79))).toThrow('header is 79 bytes, a Warthog header is 80');
      expect(() => native.verusHash(a1, 1)).toThrow(/version is 1/);
      expect(() => native.verusHash(a1, 2.5)).toThrow(/version is 2.5/);
      expect(() => native.checkTarget(a1, -1)).toThrow(/targetV2 is -1/);
      expect(() => native.checkTarget(a1, 2 ** 32)).toThrow(/targetV2 is 4294967296/);
      expect(() => native.haraka256(Buffer.alloc(31))).toThrow('data is 31 bytes, it must be 32');
      expect(() => native.haraka512(Buffer.alloc(65))).toThrow('data is 65 bytes, it must be 64');
      expect(() => native.janushash(a1, 'sse9')).toThrow('implementation "sse9" is unknown');
      expect(() => native.scan({ ...scanArgs, threads: 0 })).toThrow(/threads is 0/);
      expect(() => native.scan({ ...scanArgs, target: Buffer.alloc(31) })).toThrow(/target is 31 bytes/);
      expect(() => native.scan({ ...scanArgs, startNonce: 2 ** 32 - 1, count: 2 })).toThrow(/runs past the nonce space/);
      expect(() => native.scan({ ...scanArgs, startNonce: -1 })).toThrow(/startNonce is -1/);
      expect(() => native.scan({ ...scanArgs, header: Buffer.alloc(81) })).toThrow(/header is 81 bytes/);
    });
  });
});
