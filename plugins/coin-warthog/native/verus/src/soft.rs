//! The portable implementation of [`Lanes`]: a 128-bit value is a `u128`
//! holding the 16 bytes little-endian, so bit `8i + j` is bit `j` of byte `i`.
//!
//! The AES round is the usual four-table ("T-table") form of SubBytes,
//! ShiftRows and MixColumns; the tables are computed at compile time from the
//! field arithmetic (inverse in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1, then
//! the affine map), so no table is typed in by hand. Timing does depend on the
//! data, which is fine for proof of work.

use crate::lanes::Lanes;

/// Multiplication by x in GF(2^8).
const fn xtime(x: u8) -> u8 {
    (x << 1) ^ (((x >> 7) & 1) * 0x1b)
}

const fn gf_mul(mut a: u8, mut b: u8) -> u8 {
    let mut p = 0;
    while b != 0 {
        if b & 1 != 0 {
            p ^= a;
        }
        a = xtime(a);
        b >>= 1;
    }
    p
}

/// The multiplicative inverse (x^254), with 0 mapped to 0.
const fn gf_inv(x: u8) -> u8 {
    let mut result = 1u8;
    let mut base = x;
    let mut e = 254u8;
    while e != 0 {
        if e & 1 != 0 {
            result = gf_mul(result, base);
        }
        base = gf_mul(base, base);
        e >>= 1;
    }
    if x == 0 {
        0
    } else {
        result
    }
}

/// The AES S-box (FIPS 197, 5.1.1).
pub(crate) const fn sbox(x: u8) -> u8 {
    let b = gf_inv(x);
    b ^ b.rotate_left(1) ^ b.rotate_left(2) ^ b.rotate_left(3) ^ b.rotate_left(4) ^ 0x63
}

/// `TE[r][x]`: the column that byte `x` in row `r` contributes after
/// SubBytes and MixColumns, little-endian (row 0 in the low byte).
static TE: [[u32; 256]; 4] = te_tables();

const fn te_tables() -> [[u32; 256]; 4] {
    let mut t = [[0u32; 256]; 4];
    let mut x = 0;
    while x < 256 {
        let s = sbox(x as u8);
        let s2 = xtime(s);
        let s3 = s2 ^ s;
        // MixColumns column for (s, 0, 0, 0): (2s, s, s, 3s).
        let col = u32::from_le_bytes([s2, s, s, s3]);
        t[0][x] = col;
        t[1][x] = col.rotate_left(8);
        t[2][x] = col.rotate_left(16);
        t[3][x] = col.rotate_left(24);
        x += 1;
    }
    t
}

/// One AES encryption round on a little-endian `u128` state.
#[inline(always)]
fn aesenc(state: u128, round_key: u128) -> u128 {
    let x = [
        state as u32,
        (state >> 32) as u32,
        (state >> 64) as u32,
        (state >> 96) as u32,
    ];
    // ShiftRows: row r of output column c comes from input column c + r.
    let column = |c: usize| {
        TE[0][(x[c] & 0xff) as usize]
            ^ TE[1][((x[(c + 1) & 3] >> 8) & 0xff) as usize]
            ^ TE[2][((x[(c + 2) & 3] >> 16) & 0xff) as usize]
            ^ TE[3][(x[(c + 3) & 3] >> 24) as usize]
    };
    let y = column(0) as u128
        | (column(1) as u128) << 32
        | (column(2) as u128) << 64
        | (column(3) as u128) << 96;
    y ^ round_key
}

/// The 128-bit carry-less product of two 64-bit values, four bits of `a` at
/// a time against a table of `b` times every 4-bit polynomial.
#[inline(always)]
pub(crate) fn clmul64(a: u64, b: u64) -> u128 {
    let mut table = [0u128; 16];
    table[1] = b as u128;
    let mut i = 2;
    while i < 16 {
        table[i] = table[i >> 1] << 1;
        table[i + 1] = table[i] ^ b as u128;
        i += 2;
    }
    let mut r = 0u128;
    let mut shift = 0;
    while shift < 64 {
        r ^= table[((a >> shift) & 15) as usize] << shift;
        shift += 4;
    }
    r
}

#[inline(always)]
fn mulhrs(a: u128, b: u128) -> u128 {
    let mut r = 0u128;
    for i in 0..8 {
        let x = (a >> (16 * i)) as u16 as i16 as i32;
        let y = (b >> (16 * i)) as u16 as i16 as i32;
        let p = ((x * y + 0x4000) >> 15) as u16;
        r |= (p as u128) << (16 * i);
    }
    r
}

/// 32-bit lane `i` of a value.
#[inline(always)]
fn lane32(x: u128, i: u32) -> u128 {
    (x >> (32 * i)) & 0xffff_ffff
}

impl Lanes for u128 {
    #[inline(always)]
    fn load(bytes: &[u8; 16]) -> Self {
        u128::from_le_bytes(*bytes)
    }

    #[inline(always)]
    fn store(self, bytes: &mut [u8; 16]) {
        *bytes = self.to_le_bytes();
    }

    #[inline(always)]
    fn from_u32(x: u32) -> Self {
        x as u128
    }

    #[inline(always)]
    fn low64(self) -> u64 {
        self as u64
    }

    #[inline(always)]
    fn xor(self, other: Self) -> Self {
        self ^ other
    }

    #[inline(always)]
    fn clmul_lo_hi(self) -> Self {
        clmul64(self as u64, (self >> 64) as u64)
    }

    #[inline(always)]
    fn mulhrs(self, other: Self) -> Self {
        mulhrs(self, other)
    }

    #[inline(always)]
    fn aesenc(self, round_key: Self) -> Self {
        aesenc(self, round_key)
    }

    #[inline(always)]
    fn unpacklo32(self, other: Self) -> Self {
        lane32(self, 0) | lane32(other, 0) << 32 | lane32(self, 1) << 64 | lane32(other, 1) << 96
    }

    #[inline(always)]
    fn unpackhi32(self, other: Self) -> Self {
        lane32(self, 2) | lane32(other, 2) << 32 | lane32(self, 3) << 64 | lane32(other, 3) << 96
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sbox_matches_fips_197() {
        // FIPS 197, Figure 7: S(00) = 63, S(01) = 7c, S(53) = ed, S(ff) = 16.
        assert_eq!(sbox(0x00), 0x63);
        assert_eq!(sbox(0x01), 0x7c);
        assert_eq!(sbox(0x53), 0xed);
        assert_eq!(sbox(0xff), 0x16);
    }

    #[test]
    fn aes_round_matches_fips_197_appendix_b() {
        // FIPS 197 Appendix B, round 1: start of round 19 3d e3 be ..., round
        // key a0 fa fe 17 ..., start of round 2 a4 9c 7f f2 ...
        let state = u128::from_le_bytes(hex16("193de3bea0f4e22b9ac68d2ae9f84808"));
        let key = u128::from_le_bytes(hex16("a0fafe1788542cb123a339392a6c7605"));
        let out = aesenc(state, key);
        assert_eq!(out.to_le_bytes(), hex16("a49c7ff2689f352b6b5bea43026a5049"));
    }

    #[test]
    fn clmul64_matches_bitwise_product() {
        let mut a = 0x9e37_79b9_7f4a_7c15u64;
        let mut b = 0xbf58_476d_1ce4_e5b9u64;
        for _ in 0..200 {
            let mut naive = 0u128;
            for bit in 0..64 {
                if (a >> bit) & 1 == 1 {
                    naive ^= (b as u128) << bit;
                }
            }
            assert_eq!(clmul64(a, b), naive);
            a = a.rotate_left(7) ^ b.wrapping_mul(3);
            b = b.rotate_right(11) ^ a;
        }
        assert_eq!(
            clmul64(u64::MAX, u64::MAX),
            0x5555_5555_5555_5555_5555_5555_5555_5555
        );
    }

    #[test]
    fn mulhrs_rounds_and_wraps_like_ssse3() {
        // -32768 * -32768 rounds to 32768, which wraps to -32768 in 16 bits.
        let min = 0x8000u128;
        assert_eq!(mulhrs(min, min), 0x8000);
        // 0x4000 * 0x4000 = 2^28; (2^28 + 2^14) >> 15 = 0x2000.
        assert_eq!(mulhrs(0x4000 << 16, 0x4000 << 16), 0x2000 << 16);
        // -1 * 1 = -1; (-1 + 0x4000) >> 15 = 0.
        assert_eq!(mulhrs(0xffff, 1), 0);
    }

    fn hex16(s: &str) -> [u8; 16] {
        let mut out = [0u8; 16];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap();
        }
        out
    }
}
