//! Original Keccak (padding byte 0x01, not FIPS-202 SHA-3's 0x06), as ethash
//! uses it (facts/ethash.md §2.3).
//!
//! The hot loops hash fixed-size inputs that fit one sponge block, so they
//! load the state lanes directly and call the Keccak-f[1600] permutation
//! once: no sponge object, no byte buffers. Whole-buffer digests (the light
//! cache's keccak256, tests) use tiny-keccak's sponge.

use tiny_keccak::{keccakf, Hasher, Keccak};

/// The last byte of a sponge block gets 0x80 (multi-rate padding, 10*1).
const PAD_END: u64 = 0x80 << 56;
/// Keccak's domain/padding start byte (SHA-3 would use 0x06).
const PAD_START: u64 = 0x01;
/// keccak512's rate in 64-bit lanes (72 bytes).
const RATE_512: usize = 9;
/// keccak256's rate in 64-bit lanes (136 bytes).
const RATE_256: usize = 17;

/// Two little-endian 32-bit words as one little-endian 64-bit lane.
#[inline(always)]
fn lane(lo: u32, hi: u32) -> u64 {
    lo as u64 | (hi as u64) << 32
}

/// keccak512 of 64 bytes given as 16 little-endian words, in place.
#[inline]
pub fn keccak512_words(words: &mut [u32; 16]) {
    let mut st = [0u64; 25];
    for k in 0..8 {
        st[k] = lane(words[2 * k], words[2 * k + 1]);
    }
    // 64 input bytes: the padding start and end fall in the same lane (8).
    st[8] = PAD_START | PAD_END;
    keccakf(&mut st);
    for k in 0..8 {
        words[2 * k] = st[k] as u32;
        words[2 * k + 1] = (st[k] >> 32) as u32;
    }
}

/// keccak512(headerHash ‖ nonce as 8 bytes little-endian): hashimoto's seed
/// `s` (facts/ethash.md §2.6 step 1), as 16 little-endian words.
#[inline]
pub fn keccak512_header_nonce(header: &[u8; 32], nonce: u64) -> [u32; 16] {
    let mut st = [0u64; 25];
    for (k, chunk) in header.chunks_exact(8).enumerate() {
        st[k] = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
    }
    st[4] = nonce;
    st[5] = PAD_START;
    st[RATE_512 - 1] ^= PAD_END;
    keccakf(&mut st);
    let mut out = [0u32; 16];
    for k in 0..8 {
        out[2 * k] = st[k] as u32;
        out[2 * k + 1] = (st[k] >> 32) as u32;
    }
    out
}

/// keccak256(s ‖ mixDigest), hashimoto's final hash (§2.6 step 5): 64 bytes of
/// `s` and 32 bytes of mix digest, both as little-endian words.
#[inline]
pub fn keccak256_seed_mix(s: &[u32; 16], mix: &[u32; 8]) -> [u8; 32] {
    let mut st = [0u64; 25];
    for k in 0..8 {
        st[k] = lane(s[2 * k], s[2 * k + 1]);
    }
    for k in 0..4 {
        st[8 + k] = lane(mix[2 * k], mix[2 * k + 1]);
    }
    st[12] = PAD_START;
    st[RATE_256 - 1] ^= PAD_END;
    keccakf(&mut st);
    lanes_to_bytes32(&st)
}

/// keccak256 of 32 bytes (one step of the seed hash chain, §2.3).
#[inline]
pub fn keccak256_32(input: &[u8; 32]) -> [u8; 32] {
    let mut st = [0u64; 25];
    for (k, chunk) in input.chunks_exact(8).enumerate() {
        st[k] = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
    }
    st[4] = PAD_START;
    st[RATE_256 - 1] ^= PAD_END;
    keccakf(&mut st);
    lanes_to_bytes32(&st)
}

/// keccak512 of 32 bytes (the light cache's first item from the seed, §2.4),
/// as 16 little-endian words.
#[inline]
pub fn keccak512_32(input: &[u8; 32]) -> [u32; 16] {
    let mut st = [0u64; 25];
    for (k, chunk) in input.chunks_exact(8).enumerate() {
        st[k] = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
    }
    st[4] = PAD_START;
    st[RATE_512 - 1] ^= PAD_END;
    keccakf(&mut st);
    let mut out = [0u32; 16];
    for k in 0..8 {
        out[2 * k] = st[k] as u32;
        out[2 * k + 1] = (st[k] >> 32) as u32;
    }
    out
}

fn lanes_to_bytes32(st: &[u64; 25]) -> [u8; 32] {
    let mut out = [0u8; 32];
    for k in 0..4 {
        out[8 * k..8 * k + 8].copy_from_slice(&st[k].to_le_bytes());
    }
    out
}

/// keccak256 of any bytes (the sponge; for digests and tests).
pub fn keccak256(input: &[u8]) -> [u8; 32] {
    let mut hasher = Keccak::v256();
    hasher.update(input);
    let mut out = [0u8; 32];
    hasher.finalize(&mut out);
    out
}

/// keccak512 of any bytes (the sponge; for tests).
pub fn keccak512(input: &[u8]) -> [u8; 64] {
    let mut hasher = Keccak::v512();
    hasher.update(input);
    let mut out = [0u8; 64];
    hasher.finalize(&mut out);
    out
}

/// keccak256 of a sequence of little-endian words, streamed (no copy of the
/// whole buffer): the light cache's digest (facts/ethash.md §4.6).
pub fn keccak256_words(words: &[u32]) -> [u8; 32] {
    let mut hasher = Keccak::v256();
    let mut buf = [0u8; 4096];
    for chunk in words.chunks(buf.len() / 4) {
        for (dst, w) in buf.chunks_exact_mut(4).zip(chunk) {
            dst.copy_from_slice(&w.to_le_bytes());
        }
        hasher.update(&buf[..chunk.len() * 4]);
    }
    let mut out = [0u8; 32];
    hasher.finalize(&mut out);
    out
}
