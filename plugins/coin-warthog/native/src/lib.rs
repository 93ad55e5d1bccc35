//! Warthog's proof of work, Janushash, for Lode's Warthog coin plugin
//! (`facts/warthog.md` §1).
//!
//! - SHA-256, SHA-256d (the block hash), SHA-256t (the Y half).
//! - VerusHash v2.1/v2.2 and Haraka from the `lode-verushash` crate
//!   (portable, or AES-NI/PCLMULQDQ chosen at run time).
//! - `CustomFloat`: a port of the node's deterministic software float, so
//!   that J = X·Y^0.7 is the consensus value bit for bit.
//! - TargetV2 and the exact comparisons: the consensus block check
//!   (Y >= c and J < τ) and the pool's 256-bit comparison value
//!   floor(J·2^256) + 1.
//! - `scan`: an `AsyncTask` walking a nonce range on native threads, the
//!   VerusHash key of header bytes 0..64 and the SHA-256 midstate built once
//!   per job; only hits come back.
#![deny(clippy::all)]

pub mod custom_float;
pub mod implementation;
pub mod janus;
pub mod scan;
pub mod sha;
pub mod target;

#[cfg(not(test))]
mod binding;

#[cfg(test)]
mod fuzz;
#[cfg(test)]
mod tests;
