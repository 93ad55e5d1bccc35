//! SHA-256d, Bitcoin's proof of work, for Lode's Bitcoin coin plugin.
//!
//! - `sha256d(data)`: one hash, synchronously (share validation in the pool).
//! - `scan(header, startNonce, count, target, threads)`: an `AsyncTask` that
//!   walks a nonce range on native threads and returns only hits (the miner).
//!
//! Two code paths, chosen at run time and byte-for-byte identical: SHA-NI
//! (`sha256rnds2` and friends, x86-64) and portable scalar Rust. A scan hashes
//! the header's first 64 bytes once (the midstate), precomputes every round
//! and schedule word that does not read the nonce, and stops the second hash
//! after round 61 (the top word of the hash is known by then) unless that word
//! can still be under the target.
//!
//! Byte orders follow `facts/bitcoin-stratum.md` ("Byte orders").
#![deny(clippy::all)]

mod implementation;
mod portable;
mod scan;
mod sha256;
#[cfg(target_arch = "x86_64")]
mod shani;
#[cfg(test)]
mod shani_v1;

#[cfg(not(test))]
mod binding;

#[cfg(test)]
mod tests;
