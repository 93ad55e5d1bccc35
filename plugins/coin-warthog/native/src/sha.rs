//! SHA-256, SHA-256d and SHA-256t (`facts/warthog.md` §1.1 steps 1-2), plus
//! the midstate form a scan uses: header bytes 0..64 are compressed once per
//! job, and each nonce costs one compression for the header's second block
//! and one each for the second and third SHA-256.
//!
//! The `sha2` crate picks SHA-NI at run time where the CPU has it.

use sha2::digest::generic_array::GenericArray;
use sha2::{Digest, Sha256};

const IV: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/// SHA-256 of any bytes.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

/// SHA-256(SHA-256(data)): Warthog's block hash when `data` is a header.
pub fn sha256d(data: &[u8]) -> [u8; 32] {
    sha256_32(&sha256(data))
}

/// SHA-256(SHA-256(SHA-256(data))): Janushash's "Sha256t" (the Y half).
pub fn sha256t(data: &[u8]) -> [u8; 32] {
    sha256_32(&sha256d(data))
}

fn compress(state: &mut [u32; 8], block: &[u8; 64]) {
    sha2::compress256(state, &[*GenericArray::from_slice(block)]);
}

fn state_bytes(state: &[u32; 8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (chunk, word) in out.chunks_exact_mut(4).zip(state) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    out
}

/// SHA-256 of exactly 32 bytes: one padded block.
pub fn sha256_32(data: &[u8; 32]) -> [u8; 32] {
    let mut block = [0u8; 64];
    block[..32].copy_from_slice(data);
    block[32] = 0x80;
    block[56..].copy_from_slice(&(32u64 * 8).to_be_bytes());
    let mut state = IV;
    compress(&mut state, &block);
    state_bytes(&state)
}

/// An 80-byte header with its first 64 bytes already compressed.
#[derive(Clone, Debug)]
pub struct HeaderMidstate {
    state: [u32; 8],
    /// the second block: header bytes 64..80, then the padding for 80 bytes
    block: [u8; 64],
}

impl HeaderMidstate {
    /// Compresses header bytes 0..64 (the part a scan never changes).
    pub fn new(header: &[u8; 80]) -> Self {
        let mut state = IV;
        compress(&mut state, header[..64].try_into().expect("64 bytes"));
        let mut block = [0u8; 64];
        block[..16].copy_from_slice(&header[64..80]);
        block[16] = 0x80;
        block[56..].copy_from_slice(&(80u64 * 8).to_be_bytes());
        HeaderMidstate { state, block }
    }

    /// `(sha256d, sha256t)` of the header with bytes 64..80 replaced by `tail`.
    pub fn hashes(&self, tail: &[u8; 16]) -> ([u8; 32], [u8; 32]) {
        let mut block = self.block;
        block[..16].copy_from_slice(tail);
        let mut state = self.state;
        compress(&mut state, &block);
        let block_hash = sha256_32(&state_bytes(&state));
        (block_hash, sha256_32(&block_hash))
    }
}
