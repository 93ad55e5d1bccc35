//! The napi-free core of `lode-coin-bitcoin-native`, for the fuzz targets:
//! the crate's own source files, compiled here by path (so there is one copy
//! of the code and no napi symbols to link), plus helpers that turn fuzzer
//! bytes into the arguments JS would pass.
#![allow(clippy::all)]

#[path = "../../src/implementation.rs"]
pub mod implementation;
#[path = "../../src/portable.rs"]
pub mod portable;
#[path = "../../src/scan.rs"]
pub mod scan;
#[path = "../../src/sha256.rs"]
pub mod sha256;
#[cfg(target_arch = "x86_64")]
#[path = "../../src/shani.rs"]
pub mod shani;

pub mod input;
