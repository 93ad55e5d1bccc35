//! VerusCLHash v2.1 / v2.2: 32 rounds over the 64-byte buffer, each picking
//! two key entries from the accumulator, mixing them with the buffer by one
//! of eight cases, and writing them back (the key is mutated in place).
//! Then the length term and a reduction to 64 bits (facts/warthog.md §5.1
//! step 4).
//!
//! v2.2 differs from v2.1 in three places, marked `V22` below: case 0x0c's
//! else-branch and case 0x1c each xor one more buffer lane into the
//! accumulator, and case 0x18 keeps the mixed value in `onekey` and swaps
//! its final stores.

use crate::engine::{KeyBlocks, MovedEntries, KEY_MASK16};
use crate::lanes::{lane, mix2, Lanes};

/// `lazyLengthHash(1024, 64)`: the carry-less product 64 x 1024. Both are
/// powers of two, so the product is the plain one, 2^16, in the low half.
const LENGTH_TERM: u64 = 64 << 10;

#[inline(always)]
fn get<L: Lanes>(key: &KeyBlocks, i: usize) -> L {
    L::load(&key.0[i])
}

#[inline(always)]
fn put<L: Lanes>(key: &mut KeyBlocks, i: usize, v: L) {
    v.store(&mut key.0[i]);
}

/// `x ^ mulhrs(acc, x)`, the write-back value of most cases.
#[inline(always)]
fn blend<L: Lanes>(acc: L, x: L) -> L {
    acc.mulhrs(x).xor(x)
}

/// Truncating signed remainder `dividend % divisor` as C computes it, taken
/// to 32 bits and zero-extended (`_mm_cvtsi32_si128(int64 % int32)`).
#[inline(always)]
fn modulo<L: Lanes>(dividend: i64, selector: u64) -> L {
    // The divisor is the selector's low 32 bits as a signed value. Its bits 3
    // (case 0x0c also bit 2, case 0x18 also bit 4 clear) make it neither 0
    // nor -1, so the remainder cannot trap or overflow.
    let divisor = selector as u32 as i32 as i64;
    L::from_u32(dividend.wrapping_rem(divisor) as u32)
}

/// Runs the 32 rounds on `buf` (the 64-byte buffer) with `key`, mutating the
/// key, and returns the 64-bit intermediate. `moved` receives the two key
/// entries each round may have written (`pMoveScratch` in the reference), so
/// a caller can restore the key by copying just those.
#[inline(always)]
pub(crate) fn clhash<L: Lanes, const V22: bool>(
    key: &mut KeyBlocks,
    buf: &[u8; 64],
    moved: &mut MovedEntries,
) -> u64 {
    let b = [lane(buf, 0), lane(buf, 1), lane(buf, 2), lane(buf, 3)].map(L::load);
    let pbuf = [b[0].xor(b[2]), b[1].xor(b[3]), b[2], b[3]];

    // Entry 513 is never xored into the accumulator before being mixed.
    let mut acc: L = get(key, KEY_MASK16 + 2);

    for round in 0..32 {
        let selector = acc.low64();
        let prand = ((selector >> 5) as usize) & KEY_MASK16;
        let prandex = ((selector >> 32) as usize) & KEY_MASK16;
        moved[2 * round] = prand as u16;
        moved[2 * round + 1] = prandex as u16;

        // The buffer lane the case starts at, and its neighbour: the
        // reference's `pbuf - (((selector & 1) << 1) - 1)` is lane p ^ 1.
        let p = (selector & 3) as usize;
        let here = pbuf[p];
        let there = pbuf[p ^ 1];

        match selector & 0x1c {
            0x00 => {
                let temp1: L = get(key, prandex);
                acc = acc.xor(temp1.xor(there).clmul_lo_hi());
                let tempa2 = blend(acc, temp1);
                let temp12: L = get(key, prand);
                put(key, prand, tempa2);
                acc = acc.xor(temp12.xor(here).clmul_lo_hi());
                put(key, prandex, blend(acc, temp12));
            }
            0x04 => {
                let temp1: L = get(key, prand);
                acc = acc.xor(temp1.xor(here).clmul_lo_hi());
                acc = acc.xor(here.clmul_lo_hi());
                let tempa2 = blend(acc, temp1);
                let temp12: L = get(key, prandex);
                put(key, prandex, tempa2);
                acc = acc.xor(temp12.xor(there));
                put(key, prand, blend(acc, temp12));
            }
            0x08 => {
                let temp1: L = get(key, prandex);
                acc = acc.xor(temp1.xor(here));
                let tempa2 = blend(acc, temp1);
                let temp12: L = get(key, prand);
                put(key, prand, tempa2);
                acc = acc.xor(temp12.xor(there).clmul_lo_hi());
                acc = acc.xor(there.clmul_lo_hi());
                put(key, prandex, blend(acc, temp12));
            }
            0x0c => {
                let temp1: L = get(key, prand);
                acc = acc.xor(temp1.xor(there));
                let dividend = acc.low64() as i64;
                acc = acc.xor(modulo(dividend, selector));
                let tempa2 = blend(acc, temp1);
                if dividend & 1 != 0 {
                    let temp12: L = get(key, prandex);
                    put(key, prandex, tempa2);
                    acc = acc.xor(temp12.xor(here).clmul_lo_hi());
                    acc = acc.xor(here.clmul_lo_hi());
                    put(key, prand, blend(acc, temp12));
                } else {
                    let tempb3: L = get(key, prandex);
                    put(key, prandex, tempa2);
                    put(key, prand, tempb3);
                    if V22 {
                        acc = acc.xor(here);
                    }
                }
            }
            0x10 => {
                // Three Haraka-style double rounds keyed by entries prand..+12.
                let mut t1 = there;
                let mut t2 = here;
                for r in [0, 4, 8] {
                    t1 = t1.aesenc(get(key, prand + r));
                    t2 = t2.aesenc(get(key, prand + r + 1));
                    t1 = t1.aesenc(get(key, prand + r + 2));
                    t2 = t2.aesenc(get(key, prand + r + 3));
                    (t1, t2) = mix2(t1, t2);
                }
                acc = acc.xor(t1).xor(t2);
                swap_blend(key, acc, prand, prandex);
            }
            0x14 => {
                // 1 to 8 steps, bits 28..36 of the selector choosing a
                // carry-less multiply or an AES double round for each.
                let mut rounds = selector >> 61;
                let mut rc = prand;
                let mut aes_round = 0;
                loop {
                    let onekey: L = get(key, rc);
                    rc += 1;
                    let odd = rounds & 1 == 1;
                    if selector & (0x1000_0000u64 << rounds) != 0 {
                        let temp2 = if odd { here } else { there };
                        acc = acc.xor(onekey.xor(temp2).clmul_lo_hi());
                    } else {
                        let mut temp2 = if odd { there } else { here };
                        let k = rc + 4 * aes_round;
                        aes_round += 1;
                        let mut onekey = onekey.aesenc(get(key, k));
                        temp2 = temp2.aesenc(get(key, k + 1));
                        onekey = onekey.aesenc(get(key, k + 2));
                        temp2 = temp2.aesenc(get(key, k + 3));
                        let (m1, m2) = mix2(onekey, temp2);
                        acc = acc.xor(m1).xor(m2);
                    }
                    if rounds == 0 {
                        break;
                    }
                    rounds -= 1;
                }
                swap_blend(key, acc, prand, prandex);
            }
            0x18 => {
                let mut rounds = selector >> 61;
                let mut rc = prand;
                let mut onekey: L;
                loop {
                    onekey = get(key, rc);
                    rc += 1;
                    let odd = rounds & 1 == 1;
                    if selector & (0x1000_0000u64 << rounds) != 0 {
                        let temp2 = if odd { here } else { there };
                        let add1 = onekey.xor(temp2);
                        if V22 {
                            onekey = add1;
                        }
                        acc = acc.xor(modulo(add1.low64() as i64, selector));
                    } else {
                        let temp2 = if odd { there } else { here };
                        let clprod1 = onekey.xor(temp2).clmul_lo_hi();
                        if V22 {
                            onekey = clprod1;
                        }
                        acc = acc.xor(acc.mulhrs(clprod1));
                    }
                    if rounds == 0 {
                        break;
                    }
                    rounds -= 1;
                }
                let tempa4 = get::<L>(key, prandex).xor(acc);
                if V22 {
                    put(key, prandex, onekey);
                    put(key, prand, tempa4);
                } else {
                    put(key, prandex, tempa4);
                    put(key, prand, onekey);
                }
            }
            _ => {
                // 0x1c
                let temp2: L = get(key, prandex);
                acc = acc.xor(here.xor(temp2).clmul_lo_hi());
                let tempa2 = blend(acc, temp2);
                let tempa3: L = get(key, prand);
                put(key, prand, tempa2);
                acc = acc.xor(tempa3);
                if V22 {
                    acc = acc.xor(there);
                }
                put(key, prandex, blend(acc, tempa3));
            }
        }
    }

    let mut bytes = [0u8; 16];
    acc.store(&mut bytes);
    let lo = u64::from_le_bytes(bytes[..8].try_into().expect("8 bytes")) ^ LENGTH_TERM;
    let hi = u64::from_le_bytes(bytes[8..].try_into().expect("8 bytes"));
    reduce64(lo, hi)
}

/// Shared end of cases 0x10 and 0x14: `prandex <- blend(acc, key[prand])`,
/// `prand <- old key[prandex]`.
#[inline(always)]
fn swap_blend<L: Lanes>(key: &mut KeyBlocks, acc: L, prand: usize, prandex: usize) {
    let tempa1: L = get(key, prand);
    let tempa3 = blend(acc, tempa1);
    let tempa4: L = get(key, prandex);
    put(key, prandex, tempa3);
    put(key, prand, tempa4);
}

/// Carry-less product of a value of at most 64 bits with 0x1b
/// (x^4 + x^3 + x + 1, the modulus x^64 + x^4 + x^3 + x + 1 less its x^64).
#[inline(always)]
fn times_poly(x: u64) -> u128 {
    let x = x as u128;
    x ^ (x << 1) ^ (x << 3) ^ (x << 4)
}

/// `precompReduction64`: `hi:lo` modulo x^64 + x^4 + x^3 + x + 1. The
/// reference folds the high half once with PCLMULQDQ and the (at most 4-bit)
/// overflow with a 16-byte shuffle table whose entry `i` is `i * 0x1b`
/// carry-less; both folds are that product.
#[inline(always)]
fn reduce64(lo: u64, hi: u64) -> u64 {
    let q2 = times_poly(hi);
    let overflow = (q2 >> 64) as u64;
    debug_assert!(overflow < 16);
    lo ^ q2 as u64 ^ times_poly(overflow) as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::soft::clmul64;

    const POLY_LOW: u64 = 0x1b;

    #[test]
    fn reduce64_is_the_remainder_modulo_the_polynomial() {
        // Reduce hi:lo bit by bit, from bit 127 down, as the slow reference.
        let slow = |lo: u64, hi: u64| {
            let mut v = (hi as u128) << 64 | lo as u128;
            for bit in (64..128).rev() {
                if (v >> bit) & 1 == 1 {
                    v ^= ((1u128 << 64) | POLY_LOW as u128) << (bit - 64);
                }
            }
            v as u64
        };
        let mut x = 0x243f_6a88_85a3_08d3u64;
        for _ in 0..500 {
            let hi = x.rotate_left(17) ^ 0x1319_8a2e_0370_7344;
            assert_eq!(reduce64(x, hi), slow(x, hi));
            x = x.wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(29);
        }
    }

    #[test]
    fn length_term_is_the_carry_less_product() {
        assert_eq!(clmul64(64, 1024), LENGTH_TERM as u128);
    }
}
