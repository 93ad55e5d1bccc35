//! VerusHash v2.1 / v2.2 of 80-byte Warthog headers, the Verus half of
//! Janushash (facts/warthog.md §1.1 and §5), in Rust with no C.
//!
//! Algorithm of VerusHash v2.1/v2.2 as in warthog-network/Warthog
//! `src/shared/src/crypto/verushash/verus_clhash_port.cpp` and `verushash.cpp`
//! (MIT, itself from VerusCoin's `verus_clhash_portable.cpp`, MIT); this is an
//! independent Rust implementation checked against the outputs and internal
//! values in facts/warthog.md §5.1, §6-A, §6-E and §6-F.
//!
//! - [`verus_hash`]: one hash (a pool checking a share).
//! - [`VerusKey`] + [`VerusScratch`] + [`verus_hash_with_key`]: the key
//!   depends only on header bytes 0..64, so a miner builds it once per job
//!   (2 Haraka-512 + 276 Haraka-256) and each nonce costs only CLHash and one
//!   keyed Haraka-512; the key CLHash mutates is restored by copying back the
//!   64 entries it touched.
//! - [`haraka256`], [`haraka512`], [`haraka512_keyed`]: Haraka v2.
//! - [`verus_trace`]: every intermediate value, for debugging.
//!
//! Two code paths, byte-for-byte identical: [`Implementation::AesNi`]
//! (AES-NI, PCLMULQDQ, SSSE3, SSE4.1 on x86-64, detected at run time) and
//! [`Implementation::Portable`] (any CPU).
#![deny(clippy::all)]

#[cfg(target_arch = "x86_64")]
mod aesni;
mod clhash;
mod engine;
mod haraka;
mod implementation;
mod lanes;
mod soft;
mod verus;

pub use haraka::HARAKA_ROUND_CONSTANTS;
pub use implementation::{best_implementation, Implementation};
pub use verus::{
    verus_hash, verus_hash_with_key, verus_trace, VerusKey, VerusScratch, VerusTrace, VerusVersion,
};

/// Size of the VerusHash key in bytes: 8832 (1024·8 + 40·16).
pub const KEY_BYTES: usize = engine::KEY_BYTES;

/// Haraka-256 v2 (standard constants) on [`best_implementation`].
pub fn haraka256(input: &[u8; 32]) -> [u8; 32] {
    best_implementation().haraka256(input)
}

/// Haraka-512 v2 (standard constants, output truncated to 32 bytes) on
/// [`best_implementation`].
pub fn haraka512(input: &[u8; 64]) -> [u8; 32] {
    best_implementation().haraka512(input)
}

/// Haraka-512 v2 with the 40 round constants `rc` instead of the standard
/// ones (VerusHash's last step, keyed by 40 entries of its key), on
/// [`best_implementation`].
pub fn haraka512_keyed(input: &[u8; 64], rc: &[[u8; 16]; 40]) -> [u8; 32] {
    best_implementation().haraka512_keyed(input, rc)
}
