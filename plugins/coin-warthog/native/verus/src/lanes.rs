//! The 128-bit operations VerusHash is built from, as one trait with two
//! implementations: `u128` in portable Rust (`soft.rs`) and an SSE register
//! on AES-NI + PCLMULQDQ + SSSE3 (`aesni.rs`).
//!
//! Haraka, the key expansion and the CLHash loop are written once, generic
//! over [`Lanes`] and `#[inline(always)]`, so each implementation compiles to
//! its own straight-line code and the two cannot drift apart.
//!
//! Byte order: a value is 16 bytes in memory order; "low 64 bits" are bytes
//! 0..8 read little-endian, and 32-bit lane `i` is bytes `4i..4i+4`, exactly
//! as an x86 `__m128i` loaded from those bytes.

/// One 128-bit value and the SSE/AES-NI operations the algorithm uses.
pub(crate) trait Lanes: Copy {
    /// The 16 bytes as a value (`_mm_loadu_si128`).
    fn load(bytes: &[u8; 16]) -> Self;
    /// The value as 16 bytes (`_mm_storeu_si128`).
    fn store(self, bytes: &mut [u8; 16]);
    /// `x` in the low 32 bits, zeros above (`_mm_cvtsi32_si128`).
    fn from_u32(x: u32) -> Self;
    /// The low 64 bits (`_mm_cvtsi128_si64`).
    fn low64(self) -> u64;
    /// `self ^ other`.
    fn xor(self, other: Self) -> Self;
    /// Carry-less product of the low and the high 64-bit halves
    /// (`_mm_clmulepi64_si128(x, x, 0x10)`).
    fn clmul_lo_hi(self) -> Self;
    /// Per signed 16-bit lane: `(a * b + 0x4000) >> 15`, truncated to 16 bits
    /// (`_mm_mulhrs_epi16`).
    fn mulhrs(self, other: Self) -> Self;
    /// One AES encryption round: ShiftRows, SubBytes, MixColumns, then xor
    /// with the round key (`_mm_aesenc_si128`).
    fn aesenc(self, round_key: Self) -> Self;
    /// 32-bit lanes `[a0, b0, a1, b1]` (`_mm_unpacklo_epi32`).
    fn unpacklo32(self, other: Self) -> Self;
    /// 32-bit lanes `[a2, b2, a3, b3]` (`_mm_unpackhi_epi32`).
    fn unpackhi32(self, other: Self) -> Self;
}

/// Haraka's MIX of two lanes (Haraka-256, and the CLHash AES cases):
/// `(unpacklo32(a, b), unpackhi32(a, b))`.
#[inline(always)]
pub(crate) fn mix2<L: Lanes>(a: L, b: L) -> (L, L) {
    (a.unpacklo32(b), a.unpackhi32(b))
}

/// Lane `i` (bytes `16i..16i+16`) of a byte buffer.
#[inline(always)]
pub(crate) fn lane<const N: usize>(bytes: &[u8; N], i: usize) -> &[u8; 16] {
    bytes[16 * i..16 * i + 16]
        .try_into()
        .expect("a lane is 16 bytes")
}

/// Lane `i` of a byte buffer, writable.
#[inline(always)]
pub(crate) fn lane_mut<const N: usize>(bytes: &mut [u8; N], i: usize) -> &mut [u8; 16] {
    (&mut bytes[16 * i..16 * i + 16])
        .try_into()
        .expect("a lane is 16 bytes")
}
