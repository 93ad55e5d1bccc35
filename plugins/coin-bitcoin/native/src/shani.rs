//! SHA-256 on the x86-64 SHA extensions (Intel SHA-NI, also on AMD Zen).
//!
//! The state lives in two registers in the layout `sha256rnds2` wants:
//! ABEF = lanes [f, e, b, a] and CDGH = lanes [h, g, d, c] (lane 0 first).
//! Each `sha256rnds2` runs two rounds; a 64-byte block is 16 "quads" of four
//! rounds, the schedule kept in four rotating registers (Intel's reference
//! sequence, "Intel SHA Extensions", 2013, and its descendants in OpenSSL and
//! Linux).
//!
//! Every function here is `unsafe` and must only run after
//! `implementation::sha_ni_available()` said yes.

use std::arch::x86_64::*;

use crate::sha256::{big_sigma0, big_sigma1, ch, maj, rounds, slot, IV, K};

/// Byte shuffle that turns 16 message bytes into four big-endian words.
#[inline(always)]
unsafe fn be_mask() -> __m128i {
    _mm_set_epi64x(0x0c0d_0e0f_0809_0a0b, 0x0405_0607_0001_0203)
}

/// `K[4q..4q+4]` as one register.
#[inline(always)]
unsafe fn kq(q: usize) -> __m128i {
    _mm_loadu_si128(K.as_ptr().add(4 * q).cast())
}

/// `K[4q+1..4q+5]` as one register, for odd-aligned round pairs.
#[inline(always)]
unsafe fn kodd(q: usize) -> __m128i {
    _mm_loadu_si128(K.as_ptr().add(4 * q + 1).cast())
}

/// Four words as one register, `w[0]` in lane 0.
#[inline(always)]
unsafe fn words(w: [u32; 4]) -> __m128i {
    _mm_loadu_si128(w.as_ptr().cast())
}

/// [a..h] -> (ABEF, CDGH).
#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
unsafe fn to_lanes(state: &[u32; 8]) -> (__m128i, __m128i) {
    let abcd = _mm_loadu_si128(state.as_ptr().cast());
    let efgh = _mm_loadu_si128(state.as_ptr().add(4).cast());
    let cdab = _mm_shuffle_epi32(abcd, 0xB1);
    let hgfe = _mm_shuffle_epi32(efgh, 0x1B);
    (
        _mm_alignr_epi8(cdab, hgfe, 8),
        _mm_blend_epi16(hgfe, cdab, 0xF0),
    )
}

/// (ABEF, CDGH) -> ([a, b, c, d], [e, f, g, h]) as registers, lane 0 first.
#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
unsafe fn from_lanes(abef: __m128i, cdgh: __m128i) -> (__m128i, __m128i) {
    let abef_r = _mm_shuffle_epi32(abef, 0x1B); // [a, b, e, f]
    let cdgh_r = _mm_shuffle_epi32(cdgh, 0xB1); // [g, h, c, d]
    (
        _mm_blend_epi16(abef_r, cdgh_r, 0xF0),
        _mm_alignr_epi8(cdgh_r, abef_r, 8),
    )
}

/// Quad `$q` (rounds 4q..4q+3) for every lane: two `sha256rnds2`, and the
/// schedule step that quad overlaps (msg2 for W[4q+4..], msg1 for later).
macro_rules! quad {
    ($q:expr, $lanes:expr, $s0:ident, $s1:ident, $m:ident) => {
        for l in 0..$lanes {
            let kw = _mm_add_epi32($m[l][$q % 4], kq($q));
            $s1[l] = _mm_sha256rnds2_epu32($s1[l], $s0[l], kw);
            if $q >= 3 && $q < 15 {
                let t = _mm_alignr_epi8($m[l][$q % 4], $m[l][($q + 3) % 4], 4);
                $m[l][($q + 1) % 4] =
                    _mm_sha256msg2_epu32(_mm_add_epi32($m[l][($q + 1) % 4], t), $m[l][$q % 4]);
            }
            $s0[l] = _mm_sha256rnds2_epu32($s0[l], $s1[l], _mm_shuffle_epi32(kw, 0x0E));
            if $q >= 1 && $q < 13 {
                $m[l][($q + 3) % 4] = _mm_sha256msg1_epu32($m[l][($q + 3) % 4], $m[l][$q % 4]);
            }
        }
    };
}

/// Quad `$q` of a hash whose rounds run in odd-aligned pairs (4q+1, 4q+2),
/// (4q+3, 4q+4): the schedule step that finishes W[4q+4..4q+8] comes first,
/// because round 4q+4 reads W[4q+4]. `$x` carries [W4q-3 .. W4q] in and
/// [W4q+1 .. W4q+4] out (it is also the msg2 step's shifted operand).
macro_rules! quad_odd {
    ($q:expr, $lanes:expr, $s0:ident, $s1:ident, $m:ident, $x:ident) => {
        for l in 0..$lanes {
            $m[l][($q + 1) % 4] =
                _mm_sha256msg2_epu32(_mm_add_epi32($m[l][($q + 1) % 4], $x[l]), $m[l][$q % 4]);
            $x[l] = _mm_alignr_epi8($m[l][($q + 1) % 4], $m[l][$q % 4], 4);
            let kw = _mm_add_epi32($x[l], kodd($q));
            $s1[l] = _mm_sha256rnds2_epu32($s1[l], $s0[l], kw);
            $s0[l] = _mm_sha256rnds2_epu32($s0[l], $s1[l], _mm_shuffle_epi32(kw, 0x0E));
            if $q < 13 {
                $m[l][($q + 3) % 4] = _mm_sha256msg1_epu32($m[l][($q + 3) % 4], $m[l][$q % 4]);
            }
        }
    };
}

/// One SHA-256 block compression.
///
/// # Safety
/// The CPU must have SHA, SSE2, SSSE3 and SSE4.1.
#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
pub unsafe fn compress(state: &mut [u32; 8], block: &[u8; 64]) {
    let (abef, cdgh) = to_lanes(state);
    let mask = be_mask();
    let p = block.as_ptr();
    let mut m = [[
        _mm_shuffle_epi8(_mm_loadu_si128(p.cast()), mask),
        _mm_shuffle_epi8(_mm_loadu_si128(p.add(16).cast()), mask),
        _mm_shuffle_epi8(_mm_loadu_si128(p.add(32).cast()), mask),
        _mm_shuffle_epi8(_mm_loadu_si128(p.add(48).cast()), mask),
    ]];
    let mut s0 = [abef];
    let mut s1 = [cdgh];
    quad!(0, 1, s0, s1, m);
    quad!(1, 1, s0, s1, m);
    quad!(2, 1, s0, s1, m);
    quad!(3, 1, s0, s1, m);
    quad!(4, 1, s0, s1, m);
    quad!(5, 1, s0, s1, m);
    quad!(6, 1, s0, s1, m);
    quad!(7, 1, s0, s1, m);
    quad!(8, 1, s0, s1, m);
    quad!(9, 1, s0, s1, m);
    quad!(10, 1, s0, s1, m);
    quad!(11, 1, s0, s1, m);
    quad!(12, 1, s0, s1, m);
    quad!(13, 1, s0, s1, m);
    quad!(14, 1, s0, s1, m);
    quad!(15, 1, s0, s1, m);
    let (abcd, efgh) = from_lanes(_mm_add_epi32(s0[0], abef), _mm_add_epi32(s1[0], cdgh));
    _mm_storeu_si128(state.as_mut_ptr().cast(), abcd);
    _mm_storeu_si128(state.as_mut_ptr().add(4).cast(), efgh);
}

/// What a scan precomputes once per header for this path: everything of the
/// two compressions that does not depend on the nonce.
#[derive(Clone, Copy)]
pub struct Kernel {
    /// midstate (SHA-256 state after header bytes 0..64) as ABEF / CDGH
    mid_abef: __m128i,
    mid_cdgh: __m128i,
    /// the second block's state after round 3 without W3: rounds 0..2 read
    /// only W0..W2, and W3 enters round 3 only as "+ W3" into a and e
    abef4: __m128i,
    cdgh4: __m128i,
    /// [W0, W1, W2, 0] of the second block; the nonce word W3 goes in lane 3
    msg0: __m128i,
    /// K + W for quads 1..3 of the second block (W4..W15 are padding: constant)
    kw1: [__m128i; 3],
    /// the schedule registers of quads 1..3 after their message steps
    h1_msg1: __m128i,
    h1_msg2: __m128i,
    h1_msg3: __m128i,
    h1_align: __m128i,
    /// the second hash's state after round 0 without W0 (from the IV: round 0
    /// adds W0 into a and e only)
    h2_abef1: __m128i,
    h2_cdgh1: __m128i,
    /// K + W for its rounds 9..12 (W9..W12 are zero padding), and its schedule
    /// registers after their constant message steps
    h2_kw9: __m128i,
    h2_msg2: __m128i,
    h2_msg3: __m128i,
    h2_align: __m128i,
}

impl Kernel {
    /// Precomputes a header (the nonce bytes 76..80 are ignored).
    ///
    /// # Safety
    /// The CPU must have SHA, SSE2, SSSE3 and SSE4.1.
    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    pub unsafe fn new(midstate: &[u32; 8], tail: [u32; 3]) -> Self {
        let (mid_abef, mid_cdgh) = to_lanes(midstate);
        let msg0 = words([tail[0], tail[1], tail[2], 0]);

        // Rounds 0..2 in scalar code, then round 3 without its "+ W3".
        let mut st = *midstate;
        rounds!(st, |t: usize| K[t].wrapping_add(tail[t]); 0 1 2);
        let r = |role: usize| st[slot(role, 3)];
        let t1 = r(7)
            .wrapping_add(big_sigma1(r(4)))
            .wrapping_add(ch(r(4), r(5), r(6)))
            .wrapping_add(K[3]);
        let t2 = big_sigma0(r(0)).wrapping_add(maj(r(0), r(1), r(2)));
        // after round 3: a = t1 + t2 (+W3), b..d = old a..c, e = old d + t1 (+W3), f..h = old e..g
        let abef4 = words([r(4), r(3).wrapping_add(t1), r(0), t1.wrapping_add(t2)]);
        let cdgh4 = words([r(6), r(5), r(2), r(1)]);

        // The second hash's round 0 from the IV, likewise without its "+ W0".
        let t1 = IV[7]
            .wrapping_add(big_sigma1(IV[4]))
            .wrapping_add(ch(IV[4], IV[5], IV[6]))
            .wrapping_add(K[0]);
        let t2 = big_sigma0(IV[0]).wrapping_add(maj(IV[0], IV[1], IV[2]));
        let h2_abef1 = words([IV[4], IV[3].wrapping_add(t1), IV[0], t1.wrapping_add(t2)]);
        let h2_cdgh1 = words([IV[6], IV[5], IV[2], IV[1]]);

        // Second block: W4 = 0x80000000 (padding bit), W5..W14 = 0, W15 = 640 (bit length).
        let h1_m1 = words([0x8000_0000, 0, 0, 0]);
        let h1_m2 = words([0, 0, 0, 0]);
        let h1_m3 = words([0, 0, 0, 640]);
        // Second hash of a 32-byte digest: W8 = 0x80000000, W15 = 256.
        let h2_m2 = words([0x8000_0000, 0, 0, 0]);
        let h2_m3 = words([0, 0, 0, 256]);
        let h2_align = _mm_alignr_epi8(h2_m3, h2_m2, 4);
        Kernel {
            mid_abef,
            mid_cdgh,
            abef4,
            cdgh4,
            msg0,
            kw1: [
                _mm_add_epi32(h1_m1, kq(1)),
                _mm_add_epi32(h1_m2, kq(2)),
                _mm_add_epi32(h1_m3, kq(3)),
            ],
            h1_msg1: _mm_sha256msg1_epu32(h1_m1, h1_m2),
            h1_msg2: _mm_sha256msg1_epu32(h1_m2, h1_m3),
            h1_msg3: h1_m3,
            h1_align: _mm_alignr_epi8(h1_m3, h1_m2, 4),
            h2_abef1,
            h2_cdgh1,
            h2_kw9: _mm_add_epi32(h2_align, kodd(2)),
            h2_msg2: _mm_sha256msg1_epu32(h2_m2, h2_m3),
            h2_msg3: h2_m3,
            h2_align,
        }
    }
}

/// Walks `count` nonces from `start` in groups of `N` interleaved lanes
/// (independent hashes keep the SHA unit busy while one waits on
/// `sha256rnds2` latency), and calls `candidate` for each nonce whose final
/// H7, byte-swapped (the hash's most significant little-endian word), is
/// <= `t7`. Returns how many nonces it walked (a multiple of `N`; the caller
/// finishes the tail with `N = 1`).
///
/// Per nonce this runs 60 `sha256rnds2` instead of 64: the first hash starts
/// at round 4 (rounds 0..2 are the header's, round 3 adds the nonce word into
/// two lanes), and the second hash does its round 0 by the same addition and
/// then runs rounds 1..60 in odd-aligned pairs: H7 = IV7 + e after round 60,
/// so rounds 61..63 never run.
///
/// # Safety
/// The CPU must have SHA, SSE2, SSSE3 and SSE4.1.
#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
pub unsafe fn scan<const N: usize>(
    k: &Kernel,
    start: u32,
    count: u64,
    t7: u32,
    candidate: &mut dyn FnMut(u32),
) -> u64 {
    let groups = count / N as u64;
    let lanes_a_e = _mm_set_epi32(-1, 0, -1, 0);
    let mut nonce = start;
    for _ in 0..groups {
        // First hash, second block, from round 4.
        let mut s0 = [k.abef4; N];
        let mut s1 = [k.cdgh4; N];
        let mut m = [[k.msg0, k.h1_msg1, k.h1_msg2, k.h1_msg3]; N];
        for l in 0..N {
            // The header holds the nonce little-endian; W3 reads it big-endian.
            let w3 = nonce.wrapping_add(l as u32).swap_bytes() as i32;
            s0[l] = _mm_add_epi32(s0[l], _mm_set_epi32(w3, 0, w3, 0));
            let msg0 = _mm_insert_epi32(k.msg0, w3, 3);
            // quad 1: W4..W7 constant; msg1 of W0..W7 depends on the nonce
            s1[l] = _mm_sha256rnds2_epu32(s1[l], s0[l], k.kw1[0]);
            s0[l] = _mm_sha256rnds2_epu32(s0[l], s1[l], _mm_shuffle_epi32(k.kw1[0], 0x0E));
            let m0 = _mm_sha256msg1_epu32(msg0, words([0x8000_0000, 0, 0, 0]));
            // quad 2: all constant
            s1[l] = _mm_sha256rnds2_epu32(s1[l], s0[l], k.kw1[1]);
            s0[l] = _mm_sha256rnds2_epu32(s0[l], s1[l], _mm_shuffle_epi32(k.kw1[1], 0x0E));
            // quad 3: W16..W19 finish here
            s1[l] = _mm_sha256rnds2_epu32(s1[l], s0[l], k.kw1[2]);
            m[l][0] = _mm_sha256msg2_epu32(_mm_add_epi32(m0, k.h1_align), k.h1_msg3);
            s0[l] = _mm_sha256rnds2_epu32(s0[l], s1[l], _mm_shuffle_epi32(k.kw1[2], 0x0E));
        }
        quad!(4, N, s0, s1, m);
        quad!(5, N, s0, s1, m);
        quad!(6, N, s0, s1, m);
        quad!(7, N, s0, s1, m);
        quad!(8, N, s0, s1, m);
        quad!(9, N, s0, s1, m);
        quad!(10, N, s0, s1, m);
        quad!(11, N, s0, s1, m);
        quad!(12, N, s0, s1, m);
        quad!(13, N, s0, s1, m);
        quad!(14, N, s0, s1, m);
        quad!(15, N, s0, s1, m);

        // Second hash: the first digest's words are its W0..W7. Rounds run in
        // pairs (4q+1, 4q+2), (4q+3, 4q+4): `x` = [W4q+1 .. W4q+4].
        let mut x = [k.h2_align; N];
        for l in 0..N {
            let (w0, w1) = from_lanes(
                _mm_add_epi32(s0[l], k.mid_abef),
                _mm_add_epi32(s1[l], k.mid_cdgh),
            );
            // round 0: + W0 into a and e
            s0[l] = _mm_add_epi32(
                k.h2_abef1,
                _mm_and_si128(_mm_shuffle_epi32(w0, 0x00), lanes_a_e),
            );
            s1[l] = k.h2_cdgh1;
            // quad 0: rounds 1..4
            let kw = _mm_add_epi32(_mm_alignr_epi8(w1, w0, 4), kodd(0));
            s1[l] = _mm_sha256rnds2_epu32(s1[l], s0[l], kw);
            s0[l] = _mm_sha256rnds2_epu32(s0[l], s1[l], _mm_shuffle_epi32(kw, 0x0E));
            // quad 1: rounds 5..8 (W8 is the padding word)
            let kw = _mm_add_epi32(
                _mm_alignr_epi8(words([0x8000_0000, 0, 0, 0]), w1, 4),
                kodd(1),
            );
            s1[l] = _mm_sha256rnds2_epu32(s1[l], s0[l], kw);
            s0[l] = _mm_sha256rnds2_epu32(s0[l], s1[l], _mm_shuffle_epi32(kw, 0x0E));
            let m0 = _mm_sha256msg1_epu32(w0, w1);
            // quad 2: rounds 9..12, constant words
            s1[l] = _mm_sha256rnds2_epu32(s1[l], s0[l], k.h2_kw9);
            s0[l] = _mm_sha256rnds2_epu32(s0[l], s1[l], _mm_shuffle_epi32(k.h2_kw9, 0x0E));
            let m1 = _mm_sha256msg1_epu32(w1, words([0x8000_0000, 0, 0, 0]));
            // quad 3: W16..W19 finish first (round 16 needs them), then rounds 13..16
            let m4 = _mm_sha256msg2_epu32(_mm_add_epi32(m0, k.h2_align), k.h2_msg3);
            x[l] = _mm_alignr_epi8(m4, k.h2_msg3, 4);
            let kw = _mm_add_epi32(x[l], kodd(3));
            s1[l] = _mm_sha256rnds2_epu32(s1[l], s0[l], kw);
            s0[l] = _mm_sha256rnds2_epu32(s0[l], s1[l], _mm_shuffle_epi32(kw, 0x0E));
            m[l] = [m4, m1, k.h2_msg2, k.h2_msg3];
        }
        quad_odd!(4, N, s0, s1, m, x);
        quad_odd!(5, N, s0, s1, m, x);
        quad_odd!(6, N, s0, s1, m, x);
        quad_odd!(7, N, s0, s1, m, x);
        quad_odd!(8, N, s0, s1, m, x);
        quad_odd!(9, N, s0, s1, m, x);
        quad_odd!(10, N, s0, s1, m, x);
        quad_odd!(11, N, s0, s1, m, x);
        quad_odd!(12, N, s0, s1, m, x);
        quad_odd!(13, N, s0, s1, m, x);
        quad_odd!(14, N, s0, s1, m, x);
        for (l, abef) in s0.iter().enumerate() {
            // ABEF after round 60: e (lane 1) is H7 - IV7
            let h7 = IV[7].wrapping_add(_mm_extract_epi32(*abef, 1) as u32);
            if h7.swap_bytes() <= t7 {
                candidate(nonce.wrapping_add(l as u32));
            }
        }
        nonce = nonce.wrapping_add(N as u32);
    }
    groups * N as u64
}
