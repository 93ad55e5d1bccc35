//! Helpers shared by the integration tests.
#![allow(dead_code)]

use lode_verushash::Implementation;

/// Bytes of a hex string (test data only).
pub fn unhex<const N: usize>(s: &str) -> [u8; N] {
    assert_eq!(s.len(), 2 * N, "{s} is not {N} bytes");
    let mut out = [0u8; N];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).expect("hex");
    }
    out
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The implementations to test on this CPU; says so when AES-NI is missing.
pub fn implementations() -> Vec<Implementation> {
    if Implementation::AesNi.is_available() {
        vec![Implementation::Portable, Implementation::AesNi]
    } else {
        println!("AES-NI/PCLMULQDQ/SSSE3/SSE4.1 missing on this CPU: testing Portable only");
        vec![Implementation::Portable]
    }
}
