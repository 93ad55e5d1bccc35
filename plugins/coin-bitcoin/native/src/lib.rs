//! SHA-256d, Bitcoin's proof of work, for Lode's Bitcoin coin plugin.
//!
//! - `sha256d(data)`: one hash, synchronously (share validation in the pool).
//! - `merkleRoot(coinbase, branches)`: a share's merkle root (the coinbase's
//!   sha256d folded through the job's branch) in one call.
//! - `scan(header, startNonce, count, target, threads)`: an `AsyncTask` that
//!   walks a nonce range on native threads and returns only hits (the miner).
//!
//! Two code paths, chosen at run time and byte-for-byte identical: SHA-NI
//! (`sha256rnds2` and friends, x86-64) and portable scalar Rust. A scan hashes
//! the header's first 64 bytes once (the midstate), precomputes every round
//! and schedule word that does not read the nonce, and ends the second hash
//! after round 60, where the hash's most significant word is already known
//! (H7 = IV7 + e after round 60); only a nonce whose top word is <= the
//! target's gets its full hash computed and compared on all 256 bits.
//!
//! Byte orders follow `facts/bitcoin-stratum.md` ("Byte orders").
#![deny(clippy::all)]

mod implementation;
mod merkle;
mod portable;
mod scan;
mod sha256;
#[cfg(target_arch = "x86_64")]
mod shani;

#[cfg(not(test))]
mod binding;

#[cfg(test)]
mod fuzz;
#[cfg(test)]
mod tests;
