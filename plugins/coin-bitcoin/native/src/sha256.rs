//! SHA-256 (FIPS 180-4) building blocks shared by both implementations, the
//! portable block compression, and SHA-256d over a whole message.

use crate::implementation::Implementation;

/// Initial hash value H(0) (FIPS 180-4 §5.3.3).
pub const IV: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/// Round constants K(0..63) (FIPS 180-4 §4.2.2).
pub const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

#[inline(always)]
pub fn big_sigma0(x: u32) -> u32 {
    x.rotate_right(2) ^ x.rotate_right(13) ^ x.rotate_right(22)
}

#[inline(always)]
pub fn big_sigma1(x: u32) -> u32 {
    x.rotate_right(6) ^ x.rotate_right(11) ^ x.rotate_right(25)
}

#[inline(always)]
pub fn small_sigma0(x: u32) -> u32 {
    x.rotate_right(7) ^ x.rotate_right(18) ^ (x >> 3)
}

#[inline(always)]
pub fn small_sigma1(x: u32) -> u32 {
    x.rotate_right(17) ^ x.rotate_right(19) ^ (x >> 10)
}

#[inline(always)]
pub fn ch(e: u32, f: u32, g: u32) -> u32 {
    g ^ (e & (f ^ g))
}

/// Written so that `b ^ c` of one round is `a ^ b` of the previous one: once
/// the rounds are unrolled the compiler computes it once (a op per round saved).
#[inline(always)]
pub fn maj(a: u32, b: u32, c: u32) -> u32 {
    b ^ ((a ^ b) & (b ^ c))
}

/// Where working variable `role` (0 = a .. 7 = h) lives in the state array
/// at round `r`: the names rotate one place per round instead of eight values
/// moving, so after a multiple of 8 rounds every role is back in its slot.
#[inline(always)]
pub const fn slot(role: usize, r: usize) -> usize {
    (role + 8 - r % 8) % 8
}

/// One SHA-256 round `R` (FIPS 180-4 §6.2.2 step 3) on the rotating state,
/// with `kw = K[t] + W[t]` already summed (so constant parts fold).
#[inline(always)]
pub fn round<const R: usize>(s: &mut [u32; 8], kw: u32) {
    let (a, b, c, d) = (s[slot(0, R)], s[slot(1, R)], s[slot(2, R)], s[slot(3, R)]);
    let (e, f, g, h) = (s[slot(4, R)], s[slot(5, R)], s[slot(6, R)], s[slot(7, R)]);
    let t1 = h
        .wrapping_add(big_sigma1(e))
        .wrapping_add(ch(e, f, g))
        .wrapping_add(kw);
    s[slot(3, R)] = d.wrapping_add(t1);
    s[slot(7, R)] = t1.wrapping_add(big_sigma0(a)).wrapping_add(maj(a, b, c));
}

/// Unrolls `round::<r>` over the listed round numbers; `$kw` maps a round
/// number to `K[t] + W[t]`.
macro_rules! rounds {
    ($s:ident, $kw:expr; $($r:literal)*) => {
        $( $crate::sha256::round::<$r>(&mut $s, ($kw)($r)); )*
    };
}
pub(crate) use rounds;

/// Expands W[16..64] in place (FIPS 180-4 §6.2.2 step 1).
#[inline(always)]
pub fn expand(w: &mut [u32; 64], from: usize) {
    for t in from..64 {
        w[t] = small_sigma1(w[t - 2])
            .wrapping_add(w[t - 7])
            .wrapping_add(small_sigma0(w[t - 15]))
            .wrapping_add(w[t - 16]);
    }
}

/// Runs the 64 rounds over a fully expanded schedule and adds the result into `state`.
#[inline(always)]
pub fn rounds64(state: &mut [u32; 8], w: &[u32; 64]) {
    let mut s = *state;
    let kw = |t: usize| K[t].wrapping_add(w[t]);
    rounds!(s, kw; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31);
    rounds!(s, kw; 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62 63);
    for (x, y) in state.iter_mut().zip(s) {
        *x = x.wrapping_add(y);
    }
}

/// Big-endian message words of one 64-byte block.
#[inline(always)]
pub fn block_words(block: &[u8; 64]) -> [u32; 16] {
    let mut w = [0u32; 16];
    for (i, chunk) in block.chunks_exact(4).enumerate() {
        w[i] = u32::from_be_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
    }
    w
}

/// The portable compression function: one 64-byte block into `state`.
pub fn compress_portable(state: &mut [u32; 8], block: &[u8; 64]) {
    let mut w = [0u32; 64];
    w[..16].copy_from_slice(&block_words(block));
    expand(&mut w, 16);
    rounds64(state, &w);
}

/// The digest bytes of a state (H0..H7, each big-endian).
#[inline]
pub fn state_bytes(state: &[u32; 8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (i, word) in state.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&word.to_be_bytes());
    }
    out
}

/// SHA-256 of `data` with the given block compression (FIPS 180-4 §5.1.1 padding).
pub fn sha256(imp: Implementation, data: &[u8]) -> [u8; 32] {
    let mut state = IV;
    let mut blocks = data.chunks_exact(64);
    for block in &mut blocks {
        imp.compress(&mut state, block.try_into().expect("64-byte chunk"));
    }
    let rest = blocks.remainder();
    let mut tail = [0u8; 128];
    tail[..rest.len()].copy_from_slice(rest);
    tail[rest.len()] = 0x80;
    // The 64-bit length goes in the last 8 bytes of one or two final blocks.
    let tail_len = if rest.len() < 56 { 64 } else { 128 };
    let bits = (data.len() as u64).wrapping_mul(8);
    tail[tail_len - 8..tail_len].copy_from_slice(&bits.to_be_bytes());
    for block in tail[..tail_len].chunks_exact(64) {
        imp.compress(&mut state, block.try_into().expect("64-byte chunk"));
    }
    state_bytes(&state)
}

/// SHA-256(SHA-256(data)), in hash order (the raw digest; explorers print it reversed).
pub fn sha256d(imp: Implementation, data: &[u8]) -> [u8; 32] {
    sha256(imp, &sha256(imp, data))
}
