//! The napi-free core of `lode-coin-warthog-native`, for the fuzz targets:
//! the crate's own source files, compiled here by path (so there is one copy
//! of the code and no napi symbols to link), plus helpers that turn fuzzer
//! bytes into the arguments JS would pass. VerusHash comes from the
//! `lode-verushash` crate (../verus), which has no napi.
#![allow(clippy::all)]

#[path = "../../src/custom_float.rs"]
pub mod custom_float;
#[path = "../../src/implementation.rs"]
pub mod implementation;
#[path = "../../src/janus.rs"]
pub mod janus;
#[path = "../../src/scan.rs"]
pub mod scan;
#[path = "../../src/sha.rs"]
pub mod sha;
#[path = "../../src/target.rs"]
pub mod target;

// The one copy of the fuzzer-bytes-to-JS-arguments helpers, kept in the Bitcoin fuzz crate.
#[path = "../../../../coin-bitcoin/native/fuzz/src/input.rs"]
pub mod input;

/// floor(m · 2^shift) as 256 big-endian bits, all ones when it does not
/// fit: bit by bit, independent of target.rs.
pub fn reference_shifted(m: u64, shift: i64) -> [u8; 32] {
    let mut out = [0u8; 32];
    for bit in 0..64i64 {
        if m >> bit & 1 == 0 {
            continue;
        }
        let at = bit + shift;
        if at >= 256 {
            return [0xff; 32];
        }
        if at >= 0 {
            out[31 - (at / 8) as usize] |= 1 << (at % 8);
        }
    }
    out
}
