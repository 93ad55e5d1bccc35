//! The napi-free core of `lode-coin-ethereum-native`, for the fuzz targets:
//! the crate's own source files, compiled here by path (so there is one copy
//! of the code and no napi symbols to link), plus helpers that turn fuzzer
//! bytes into the arguments JS would pass.
#![allow(clippy::all)]

#[path = "../../src/cache.rs"]
pub mod cache;
#[path = "../../src/dataset.rs"]
pub mod dataset;
#[path = "../../src/hashimoto.rs"]
pub mod hashimoto;
#[path = "../../src/keccak.rs"]
pub mod keccak;
#[path = "../../src/memory.rs"]
pub mod memory;
#[path = "../../src/params.rs"]
pub mod params;
#[path = "../../src/progress.rs"]
pub mod progress;
#[path = "../../src/scan.rs"]
pub mod scan;

// The one copy of the fuzzer-bytes-to-JS-arguments helpers, kept in the Bitcoin fuzz crate.
#[path = "../../../../coin-bitcoin/native/fuzz/src/input.rs"]
pub mod input;
