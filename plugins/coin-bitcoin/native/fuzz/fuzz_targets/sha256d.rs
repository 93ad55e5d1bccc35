//! `sha256d(data, implementation)` over any bytes (binding.rs `sha256d` →
//! sha256.rs): SHA-256 padding at every length (the 55/56/64-byte block
//! boundaries included) on every implementation this CPU runs, against the
//! `sha2` crate; and each compression path against the other on the same
//! state and block.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lode_coin_bitcoin_native_fuzz::implementation::Implementation;
use lode_coin_bitcoin_native_fuzz::sha256::{compress_portable, sha256, sha256d, IV};
use sha2::{Digest, Sha256};

fuzz_target!(|data: &[u8]| {
    let once: [u8; 32] = Sha256::digest(data).into();
    let twice: [u8; 32] = Sha256::digest(once).into();
    for imp in Implementation::available() {
        assert_eq!(sha256(imp, data), once, "{imp:?} {} bytes", data.len());
        assert_eq!(sha256d(imp, data), twice, "{imp:?} {} bytes", data.len());
    }
    // Raw compression on an arbitrary state and block (not just IV and padded input).
    if data.len() >= 96 {
        let mut state = IV;
        for (i, w) in state.iter_mut().enumerate() {
            *w ^= u32::from_le_bytes(data[64 + 4 * i..64 + 4 * i + 4].try_into().unwrap());
        }
        let block: &[u8; 64] = data[..64].try_into().unwrap();
        let mut portable = state;
        compress_portable(&mut portable, block);
        for imp in Implementation::available() {
            let mut s = state;
            imp.compress(&mut s, block);
            assert_eq!(s, portable, "{imp:?}");
        }
    }
});
