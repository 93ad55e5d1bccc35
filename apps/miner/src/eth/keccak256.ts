/**
 * Keccak-256 as Ethereum uses it: the original Keccak padding (0x01 … 0x80),
 * not FIPS-202 SHA3-256 (0x06), which is all node:crypto offers
 * (facts/ethash.md §2.3). The miner needs it only for epoch seed hashes
 * (`seed(e) = keccak256^e(0^32)`), so this is a small portable
 * implementation over 32-bit words, a few microseconds per block.
 */

/** Bytes absorbed per Keccak-f[1600] call for a 256-bit output: 1600/8 - 2*32. */
const RATE = 136;

// Round constants, rotation offsets and the pi lane order, generated as in the Keccak reference (FIPS 202 §3.2).
const RC_LO = new Uint32Array(24);
const RC_HI = new Uint32Array(24);
const ROTATIONS: number[] = [];
const PI_LANES: number[] = [];
{
  let r = 1;
  for (let round = 0, x = 1, y = 0; round < 24; round++) {
    [x, y] = [y, (2 * x + 3 * y) % 5];
    PI_LANES.push(5 * y + x);
    ROTATIONS.push((((round + 1) * (round + 2)) / 2) % 64);
    let lo = 0;
    let hi = 0;
    for (let j = 0; j < 7; j++) {
      r = ((r << 1) ^ ((r >> 7) * 0x71)) & 0xff;
      if ((r & 2) !== 0) {
        const bit = (1 << j) - 1;
        if (bit < 32) lo ^= 1 << bit;
        else hi ^= 1 << (bit - 32);
      }
    }
    RC_LO[round] = lo;
    RC_HI[round] = hi;
  }
}

/** The low word of a 64-bit lane (hi, lo) rotated left by n (0 < n < 64, n != 32). */
function rotLo(hi: number, lo: number, n: number): number {
  return n < 32 ? (lo << n) | (hi >>> (32 - n)) : (hi << (n - 32)) | (lo >>> (64 - n));
}

/** The high word of a 64-bit lane (hi, lo) rotated left by n (0 < n < 64, n != 32). */
function rotHi(hi: number, lo: number, n: number): number {
  return n < 32 ? (hi << n) | (lo >>> (32 - n)) : (lo << (n - 32)) | (hi >>> (64 - n));
}

/** Keccak-f[1600] in place; lane i is s[2i] (low word) and s[2i+1] (high word). */
function keccakF1600(s: Uint32Array): void {
  const c = new Uint32Array(10);
  for (let round = 0; round < 24; round++) {
    // theta
    for (let x = 0; x < 10; x++) c[x] = (s[x] as number) ^ (s[x + 10] as number) ^ (s[x + 20] as number) ^ (s[x + 30] as number) ^ (s[x + 40] as number);
    for (let x = 0; x < 10; x += 2) {
      const next = (x + 2) % 10;
      const prev = (x + 8) % 10;
      const dLo = rotLo(c[next + 1] as number, c[next] as number, 1) ^ (c[prev] as number);
      const dHi = rotHi(c[next + 1] as number, c[next] as number, 1) ^ (c[prev + 1] as number);
      for (let y = 0; y < 50; y += 10) {
        s[x + y] = (s[x + y] as number) ^ dLo;
        s[x + y + 1] = (s[x + y + 1] as number) ^ dHi;
      }
    }
    // rho and pi
    let lo = s[2] as number;
    let hi = s[3] as number;
    for (let t = 0; t < 24; t++) {
      const n = ROTATIONS[t] as number;
      const rLo = rotLo(hi, lo, n);
      const rHi = rotHi(hi, lo, n);
      const lane = 2 * (PI_LANES[t] as number);
      lo = s[lane] as number;
      hi = s[lane + 1] as number;
      s[lane] = rLo;
      s[lane + 1] = rHi;
    }
    // chi
    for (let y = 0; y < 50; y += 10) {
      for (let x = 0; x < 10; x++) c[x] = s[y + x] as number;
      for (let x = 0; x < 10; x++) s[y + x] = (c[x] as number) ^ (~(c[(x + 2) % 10] as number) & (c[(x + 4) % 10] as number));
    }
    // iota
    s[0] = (s[0] as number) ^ (RC_LO[round] as number);
    s[1] = (s[1] as number) ^ (RC_HI[round] as number);
  }
}

/**
 * keccak256 of `data` (any length), 32 bytes.
 *
 * @example keccak256(Buffer.alloc(32)).toString('hex') === '290decd9548b62a8d60345a988386fc84ba6bc95484008f6362f93160ef3e563' (the seed of epoch 1, facts/ethash.md §4.6)
 */
export function keccak256(data: Uint8Array): Buffer {
  const state = new Uint32Array(50);
  const block = Buffer.alloc(RATE);
  let offset = 0;
  for (;;) {
    const take = Math.min(RATE, data.length - offset);
    block.fill(0);
    block.set(data.subarray(offset, offset + take));
    offset += take;
    const last = take < RATE;
    if (last) {
      block[take] = (block[take] as number) ^ 0x01;
      block[RATE - 1] = (block[RATE - 1] as number) ^ 0x80;
    }
    for (let i = 0; i < RATE / 4; i++) state[i] = (state[i] as number) ^ block.readUInt32LE(i * 4);
    keccakF1600(state);
    if (last) break;
  }
  const out = Buffer.alloc(32);
  for (let i = 0; i < 8; i++) out.writeUInt32LE(state[i] as number, i * 4);
  return out;
}
