//! ethash and ETChash (ECIP-1099) for Lode's Ethereum coin plugin.
//!
//! - Light cache (`cache`), dataset items, hashimoto light and full
//!   (`hashimoto`), the quick final-hash check, multi-threaded nonce scans
//!   (`scan`), epoch sizes and seeds (`params`).
//! - Sizes and seed are separate inputs everywhere, so one code path serves
//!   ethash (seed epoch = epoch), ETChash (seed epoch = 2·epoch, sizes from
//!   the 60000-block epoch) and the tiny test sizes (facts/ethash.md §2.8, §4.4).
//! - The cache and dataset are 64-byte-aligned items of 16 little-endian u32
//!   words in huge-page-advised memory; one cache is shared by every thread
//!   (Arc in the binding); the hash loops allocate nothing.
//! - Dataset items are computed in pairs so that the two chains of dependent
//!   cache reads overlap (the light hash is bound by memory latency).
//!
//! Algorithm and vectors: `facts/ethash.md` §2 and §4.
#![deny(clippy::all)]

pub mod cache;
pub mod dataset;
pub mod hashimoto;
pub mod keccak;
pub mod memory;
pub mod params;
pub mod progress;
pub mod scan;

#[cfg(not(test))]
mod binding;

#[cfg(test)]
mod fuzz;
#[cfg(test)]
mod tests;
