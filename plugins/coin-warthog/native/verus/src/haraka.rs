//! Haraka v2 (Kölbl, Lauridsen, Mendel, Rechberger, "Haraka v2", IACR ePrint
//! 2016/098): 5 rounds of two AES rounds per 128-bit lane, each round ending
//! in the MIX permutation of 32-bit words, then feed-forward. Haraka-512
//! truncates its 64 bytes to bytes 8..16, 24..32, 32..40 and 48..56.
//!
//! VerusHash uses Haraka-512 to absorb the header, Haraka-256 to expand the
//! key, and Haraka-512 "keyed" (40 round constants taken from its key) for the
//! final hash (facts/warthog.md §5.1).

use crate::lanes::{lane, lane_mut, mix2, Lanes};

/// The 40 standard Haraka v2 round constants, 16 bytes each, in the byte
/// order AES-NI loads them (Haraka v2 reference code; the same table as
/// warthog-network/Warthog `verus_clhash_port.cpp` `rc`).
pub static HARAKA_ROUND_CONSTANTS: [[u8; 16]; 40] = decode_constants([
    "9d7b8175f0fec5b20ac020e64c708406",
    "17f7082fa46b0f646ba0f388e1b4668b",
    "1491029f609d02cf9884f2532dde0234",
    "794f5bfdafbcf3bb084f7b2ee6ead60e",
    "447039be1ccdee798b447248cbb0cfcb",
    "7b058a2bed35538db732906eeecdea7e",
    "1bef4fda612741e2d07c2e5e438fc267",
    "3b0bc71fe2fd5f6707cccaafb0d92429",
    "ee65d4b9ca8fdbece97f86e6f1634dab",
    "337e03ad4f402a5b64cdb7d484bf301c",
    "0098f68d2e8b0269bf231794b90bccb2",
    "8a2d9d5cc89eaa4a72556fdea67804fa",
    "d49f12292e4ffa0e122a776b2b9fb4df",
    "ee126abbae11d63236a249f44403a11e",
    "a6eca89cc900965f8400054b884904af",
    "ec93e527e3c7a2784f9c199dd85e0221",
    "7301d482cd2e28b9b7c959a7f8aa3abf",
    "6b7d3010d9eff23717b086610d706062",
    "c69afcf65391c28143043021c245ca5a",
    "3a94d136e892af2cbb686b223c972392",
    "b47110e558b9ba6ceb8658223892bfd3",
    "8d12e124ddfd3d9377c6f0aee53c86db",
    "b11222cbe38de4839ca0ebff686260bb",
    "7df72bc74e1ab92d9cd1e4e2dcd34b73",
    "4e92b32cc415144b431b3061c347bb43",
    "9968eb16dd31b203f6ef07e7a875a7db",
    "2c47ca7e02235e8e7759753c4b61f36d",
    "f91786b8b9e51b6d777dded6175aa7cd",
    "5dee46a99d066c9daae9a86bf0436bec",
    "c127f33b591153a22b3357f950691ecb",
    "d9d00e605303ede49c61da00750cee2c",
    "50a3a463bcbabb80ab0ce996a1a5b1f0",
    "39ca8d9330de0dab8829965e02b13dae",
    "42b4752ea8f314880ba454d5388fbb17",
    "f6160a3679b7b6aed77f425f5b8abb34",
    "deafbaff1859ce433854e5cb4152f626",
    "78c99e83f79ccaa26a02f3b9549ae94c",
    "35129022286ec040bef7df1b1aa551ae",
    "cf59a6480fbc73c12bd27eba3c61c1a0",
    "a19dc5e9fdbdd64a8882280203cc6a75",
]);

const fn hex_digit(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => panic!("round constants are lower-case hex"),
    }
}

const fn decode_constants(hex: [&str; 40]) -> [[u8; 16]; 40] {
    let mut out = [[0u8; 16]; 40];
    let mut i = 0;
    while i < 40 {
        let s = hex[i].as_bytes();
        assert!(s.len() == 32, "a round constant is 32 hex digits");
        let mut j = 0;
        while j < 16 {
            out[i][j] = hex_digit(s[2 * j]) << 4 | hex_digit(s[2 * j + 1]);
            j += 1;
        }
        i += 1;
    }
    out
}

/// Haraka-256 with the standard constants: 32 bytes in, 32 bytes out.
#[inline(always)]
pub(crate) fn haraka256<L: Lanes>(input: &[u8; 32]) -> [u8; 32] {
    let rc = &HARAKA_ROUND_CONSTANTS;
    let mut s0 = L::load(lane(input, 0));
    let mut s1 = L::load(lane(input, 1));
    for round in 0..5 {
        let k = 4 * round;
        s0 = s0.aesenc(L::load(&rc[k]));
        s1 = s1.aesenc(L::load(&rc[k + 1]));
        s0 = s0.aesenc(L::load(&rc[k + 2]));
        s1 = s1.aesenc(L::load(&rc[k + 3]));
        (s0, s1) = mix2(s0, s1);
    }
    let mut out = [0u8; 32];
    s0.xor(L::load(lane(input, 0))).store(lane_mut(&mut out, 0));
    s1.xor(L::load(lane(input, 1))).store(lane_mut(&mut out, 1));
    out
}

/// Haraka-512 with round constants `rc`: 64 bytes in, 32 bytes out.
#[inline(always)]
pub(crate) fn haraka512_with<L: Lanes>(input: &[u8; 64], rc: &[[u8; 16]; 40]) -> [u8; 32] {
    let mut s = [
        L::load(lane(input, 0)),
        L::load(lane(input, 1)),
        L::load(lane(input, 2)),
        L::load(lane(input, 3)),
    ];
    for round in 0..5 {
        for half in 0..2 {
            let k = 8 * round + 4 * half;
            for (i, si) in s.iter_mut().enumerate() {
                *si = si.aesenc(L::load(&rc[k + i]));
            }
        }
        // MIX: the 16 words of the state, permuted as in Haraka v2's
        // reference (unpack of lanes 0/1 and 2/3, then of the results).
        let tmp = s[0].unpacklo32(s[1]);
        s[0] = s[0].unpackhi32(s[1]);
        s[1] = s[2].unpacklo32(s[3]);
        s[2] = s[2].unpackhi32(s[3]);
        s[3] = s[0].unpacklo32(s[2]);
        s[0] = s[0].unpackhi32(s[2]);
        s[2] = s[1].unpackhi32(tmp);
        s[1] = s[1].unpacklo32(tmp);
    }
    let mut full = [0u8; 64];
    for (i, si) in s.iter().enumerate() {
        si.xor(L::load(lane(input, i)))
            .store(lane_mut(&mut full, i));
    }
    let mut out = [0u8; 32];
    out[0..8].copy_from_slice(&full[8..16]);
    out[8..16].copy_from_slice(&full[24..32]);
    out[16..24].copy_from_slice(&full[32..40]);
    out[24..32].copy_from_slice(&full[48..56]);
    out
}

/// Haraka-512 with the standard constants.
#[inline(always)]
pub(crate) fn haraka512<L: Lanes>(input: &[u8; 64]) -> [u8; 32] {
    haraka512_with::<L>(input, &HARAKA_ROUND_CONSTANTS)
}
