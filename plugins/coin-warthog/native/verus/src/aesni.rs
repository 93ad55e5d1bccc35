//! The x86-64 implementation of [`Lanes`]: one SSE register per value,
//! `aesenc` (AES-NI), `pclmulqdq` (PCLMULQDQ) and `pmulhrsw` (SSSE3).
//!
//! The generic algorithm is `#[inline(always)]`, so it is compiled inside the
//! `#[target_feature]` entry points below, where the intrinsics inline to
//! single instructions. Every entry point is `unsafe` and must only run after
//! [`available`] said yes; `Implementation` guarantees that.

use std::arch::x86_64::*;

use crate::engine::{self, KeyBlocks, MovedEntries};
use crate::haraka;
use crate::lanes::Lanes;
use crate::VerusVersion;

/// Whether this CPU has every instruction set this module uses.
pub(crate) fn available() -> bool {
    std::arch::is_x86_feature_detected!("aes")
        && std::arch::is_x86_feature_detected!("pclmulqdq")
        && std::arch::is_x86_feature_detected!("sse2")
        && std::arch::is_x86_feature_detected!("ssse3")
        && std::arch::is_x86_feature_detected!("sse4.1")
}

/// One SSE register. Only built inside the entry points below.
#[derive(Clone, Copy)]
pub(crate) struct Ni(__m128i);

// SAFETY (every `unsafe` block in this impl): the intrinsics need AES-NI,
// PCLMULQDQ, SSE2 and SSSE3. `Ni` values exist only inside the
// `#[target_feature]` functions of this module, which run only on CPUs where
// `available()` holds; loads and stores go through references to 16 bytes.
impl Lanes for Ni {
    #[inline(always)]
    fn load(bytes: &[u8; 16]) -> Self {
        Ni(unsafe { _mm_loadu_si128(bytes.as_ptr().cast()) })
    }

    #[inline(always)]
    fn store(self, bytes: &mut [u8; 16]) {
        unsafe { _mm_storeu_si128(bytes.as_mut_ptr().cast(), self.0) }
    }

    #[inline(always)]
    fn from_u32(x: u32) -> Self {
        Ni(unsafe { _mm_cvtsi32_si128(x as i32) })
    }

    #[inline(always)]
    fn low64(self) -> u64 {
        unsafe { _mm_cvtsi128_si64(self.0) as u64 }
    }

    #[inline(always)]
    fn xor(self, other: Self) -> Self {
        Ni(unsafe { _mm_xor_si128(self.0, other.0) })
    }

    #[inline(always)]
    fn clmul_lo_hi(self) -> Self {
        Ni(unsafe { _mm_clmulepi64_si128::<0x10>(self.0, self.0) })
    }

    #[inline(always)]
    fn mulhrs(self, other: Self) -> Self {
        Ni(unsafe { _mm_mulhrs_epi16(self.0, other.0) })
    }

    #[inline(always)]
    fn aesenc(self, round_key: Self) -> Self {
        Ni(unsafe { _mm_aesenc_si128(self.0, round_key.0) })
    }

    #[inline(always)]
    fn unpacklo32(self, other: Self) -> Self {
        Ni(unsafe { _mm_unpacklo_epi32(self.0, other.0) })
    }

    #[inline(always)]
    fn unpackhi32(self, other: Self) -> Self {
        Ni(unsafe { _mm_unpackhi_epi32(self.0, other.0) })
    }
}

/// Haraka-256.
///
/// # Safety
/// Only on a CPU where [`available`] is true.
#[target_feature(enable = "aes,pclmulqdq,sse2,ssse3,sse4.1")]
pub(crate) unsafe fn haraka256(input: &[u8; 32]) -> [u8; 32] {
    haraka::haraka256::<Ni>(input)
}

/// Haraka-512 with round constants `rc`.
///
/// # Safety
/// Only on a CPU where [`available`] is true.
#[target_feature(enable = "aes,pclmulqdq,sse2,ssse3,sse4.1")]
pub(crate) unsafe fn haraka512_with(input: &[u8; 64], rc: &[[u8; 16]; 40]) -> [u8; 32] {
    haraka::haraka512_with::<Ni>(input, rc)
}

/// (state1, state2) of a header's first 64 bytes.
///
/// # Safety
/// Only on a CPU where [`available`] is true.
#[target_feature(enable = "aes,pclmulqdq,sse2,ssse3,sse4.1")]
pub(crate) unsafe fn absorb(prefix: &[u8; 64]) -> ([u8; 32], [u8; 32]) {
    engine::absorb::<Ni>(prefix)
}

/// The fresh key from its seed.
///
/// # Safety
/// Only on a CPU where [`available`] is true.
#[target_feature(enable = "aes,pclmulqdq,sse2,ssse3,sse4.1")]
pub(crate) unsafe fn expand_key(seed: &[u8; 32], key: &mut KeyBlocks) {
    engine::expand_key::<Ni>(seed, key)
}

/// CLHash and the keyed Haraka-512: (hash, intermediate).
///
/// # Safety
/// Only on a CPU where [`available`] is true.
#[target_feature(enable = "aes,pclmulqdq,sse2,ssse3,sse4.1")]
pub(crate) unsafe fn finish(
    key: &mut KeyBlocks,
    cur_buf: &[u8; 64],
    version: VerusVersion,
    moved: &mut MovedEntries,
) -> ([u8; 32], u64) {
    engine::finish::<Ni>(key, cur_buf, version, moved)
}

/// The whole hash.
///
/// # Safety
/// Only on a CPU where [`available`] is true.
#[target_feature(enable = "aes,pclmulqdq,sse2,ssse3,sse4.1")]
pub(crate) unsafe fn verus_hash(header: &[u8; 80], version: VerusVersion) -> [u8; 32] {
    engine::verus_hash::<Ni>(header, version)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every operation of `Ni` against the portable `u128`, on pseudo-random
    /// values (the generic code then cannot differ between the two).
    #[target_feature(enable = "aes,pclmulqdq,sse2,ssse3,sse4.1")]
    unsafe fn compare_ops(a: [u8; 16], b: [u8; 16]) {
        let bytes = |v: Ni| {
            let mut out = [0u8; 16];
            v.store(&mut out);
            out
        };
        let (na, nb) = (Ni::load(&a), Ni::load(&b));
        let (sa, sb) = (u128::from_le_bytes(a), u128::from_le_bytes(b));
        assert_eq!(bytes(na.aesenc(nb)), sa.aesenc(sb).to_le_bytes());
        assert_eq!(bytes(na.clmul_lo_hi()), sa.clmul_lo_hi().to_le_bytes());
        assert_eq!(bytes(na.mulhrs(nb)), sa.mulhrs(sb).to_le_bytes());
        assert_eq!(bytes(na.unpacklo32(nb)), sa.unpacklo32(sb).to_le_bytes());
        assert_eq!(bytes(na.unpackhi32(nb)), sa.unpackhi32(sb).to_le_bytes());
        assert_eq!(bytes(na.xor(nb)), sa.xor(sb).to_le_bytes());
        assert_eq!(na.low64(), sa.low64());
        let x = u32::from_le_bytes([a[0], a[1], a[2], a[3]]);
        assert_eq!(bytes(Ni::from_u32(x)), u128::from_u32(x).to_le_bytes());
    }

    #[test]
    fn each_operation_matches_the_portable_one() {
        if !available() {
            println!("skipping: this CPU lacks AES-NI/PCLMULQDQ/SSSE3/SSE4.1");
            return;
        }
        let mut s = 0x0123_4567_89ab_cdefu64;
        let mut next = || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            s
        };
        for _ in 0..2000 {
            let mut a = [0u8; 16];
            let mut b = [0u8; 16];
            a[..8].copy_from_slice(&next().to_le_bytes());
            a[8..].copy_from_slice(&next().to_le_bytes());
            b[..8].copy_from_slice(&next().to_le_bytes());
            b[8..].copy_from_slice(&next().to_le_bytes());
            // SAFETY: checked `available()` above.
            unsafe { compare_ops(a, b) };
        }
    }
}
