//! VerusHash outputs of real Warthog headers (facts/warthog.md §6-A) and of
//! the synthetic share headers of §6-E, on every implementation, one-shot and
//! with a precomputed key.

mod common;

use common::{hex, implementations, unhex};
use lode_verushash::{
    verus_hash, verus_hash_with_key, Implementation, VerusKey, VerusScratch, VerusVersion,
    VerusVersion::*,
};

/// (name, header, version, expected hash), copied from facts/warthog.md.
const VECTORS: &[(&str, &str, VerusVersion, &str)] = &[
    // §6-A A1, height 1949766 (published v2.2; v2.1 computed for cross-checking)
    (
        "A1",
        A1,
        V2_2,
        "0000000000b069112cc0caf14507169f6adf1e5278a2ef286cddc89f1162d7ca",
    ),
    (
        "A1",
        A1,
        V2_1,
        "8d9ed79784fe729b23854d1f7c65d75d26d7cf2e58713fbfb46869cf9b062070",
    ),
    // §6-A A2, height 1950121
    (
        "A2",
        A2,
        V2_2,
        "0000000000b27d750524493e994e98b7dea83af149ae7673dfc3d21935c1ae05",
    ),
    (
        "A2",
        A2,
        V2_1,
        "2c3bc732e6c4d6616a8a9ace00f9f838a2500f005960a119218042519eeab1b3",
    ),
    // §6-A A3, height 1950119 (the 64-character v2.2 value; DOCS drops a zero byte)
    (
        "A3",
        A3,
        V2_2,
        "000000000000fc8db96d150937429ce192e0ad69458311c4d8415b720e59b6c0",
    ),
    (
        "A3",
        A3,
        V2_1,
        "4d2038f1c240ef7b6cac27908f74b1bfba0f3834dcb3ef53a45ffbe45b1f4b48",
    ),
    // §6-A A4, a version-2 header (published v2.1; its v2.2 computed)
    (
        "A4",
        A4,
        V2_1,
        "0000000001e7c608cf96bfd98d12f818e6bdf5adc6488b45bdf6d2c2a5c2ecc4",
    ),
    (
        "A4",
        A4,
        V2_2,
        "bd9034cfb81c9aea2edf10a960329f1b9b7a05b3c58979ea261d6fd82d16e333",
    ),
];

const A1: &str = "05b42d206f8a4b2b8094199fd28423151af8aa54a5073ac6e6805f42096dc3a20ae7cde7f3c41bf363fe94eb448bf924f791f77c22a2ebd6a3a5d8948f8aff019f072bea0000000366f2fefb2719fef5";
const A2: &str = "8c8811ee10a9c5c7d23f6f4791cbf03b781531574d53f224278cb78531a4c2fe0ae7cde7dcfeba982307da35c0098709c20f4ea0a4f04e0bbcd1b0c34c8ecc30157159eb0000000366f31e3c1aace551";
const A3: &str = "30537a679be7d6082cc905be4a717ea7985f0853403a40dedea1be4e224916dd0ae7cde79205c8127aabd555acb7ff3f95733bd6ec19cb110c2878c55ae77b893fdec7ec0000000366f31e0c46f6a275";
const A4: &str = "b4e91160d990b7b679234fc7cdc1aefbe11afe9823d6d8d1da7067e9ab0c8d380af405022613b56b379d0b071a4829cc27875f19bb0cb493f3f15aaedade1080e433874b0000000265ce0eb452f36e59";

/// §6-E: share header bytes 0..76 (block 1949766's prevHash/nbits/version/
/// ntime with the §6-C case-1 merkle root), then (nonce, verus v2.2).
const SHARE_PREFIX: &str = "05b42d206f8a4b2b8094199fd28423151af8aa54a5073ac6e6805f42096dc3a20ae7cde764428f3e2d7e393ce459e2ab4355a95dbd85f5f315e53601ebd272c39bb8eaa20000000366f2fefb";
const SHARES: &[(&str, &str)] = &[
    (
        "00002df1",
        "000064091b6f682f368539335defced337c98015fff77bedca365bb05fa3cbdd",
    ),
    (
        "00000456",
        "001f0604529354d5149f24d9ec9c4d8e60c4c85f3f02179c25aa35b37f12a517",
    ),
    (
        "0000cb8e",
        "0003b0171cf8c80e0e770775c9518689f50448f769df15b22d2310e7751d88ce",
    ),
];

fn prefix_of(header: &[u8; 80]) -> [u8; 64] {
    header[..64].try_into().unwrap()
}

#[test]
fn one_shot_hashes_match_the_facts() {
    for imp in implementations() {
        for &(name, header, version, expected) in VECTORS {
            let out = verus_hash(&unhex(header), version, imp);
            assert_eq!(hex(&out), expected, "{name} {version:?} on {imp:?}");
        }
    }
}

#[test]
fn precomputed_key_hashes_match_the_facts() {
    for imp in implementations() {
        // One scratch for every key and version: switching keys must copy,
        // repeating one must restore.
        let mut scratch = VerusScratch::new();
        for _ in 0..2 {
            for &(name, header, version, expected) in VECTORS {
                let header: [u8; 80] = unhex(header);
                let key = VerusKey::new(&prefix_of(&header), imp);
                for _ in 0..3 {
                    let out = verus_hash_with_key(&key, &header, version, &mut scratch);
                    assert_eq!(hex(&out), expected, "{name} {version:?} on {imp:?}");
                }
            }
        }
    }
}

#[test]
fn share_nonces_of_one_job_match_the_facts() {
    for imp in implementations() {
        let mut header = [0u8; 80];
        header[..76].copy_from_slice(&unhex::<76>(SHARE_PREFIX));
        let key = VerusKey::new(&prefix_of(&header), imp);
        let mut scratch = VerusScratch::default();
        for _ in 0..2 {
            for &(nonce, expected) in SHARES {
                header[76..].copy_from_slice(&unhex::<4>(nonce));
                assert_eq!(
                    hex(&verus_hash(&header, V2_2, imp)),
                    expected,
                    "{nonce} on {imp:?}"
                );
                let out = verus_hash_with_key(&key, &header, V2_2, &mut scratch);
                assert_eq!(hex(&out), expected, "{nonce} with key on {imp:?}");
            }
        }
    }
}

#[test]
fn a_header_outside_the_key_still_gets_its_own_hash() {
    let a1: [u8; 80] = unhex(A1);
    let a2: [u8; 80] = unhex(A2);
    let key = VerusKey::new(&prefix_of(&a1), Implementation::Portable);
    assert!(key.matches(&a1) && !key.matches(&a2));
    let mut scratch = VerusScratch::new();
    let out = verus_hash_with_key(&key, &a2, V2_2, &mut scratch);
    assert_eq!(
        hex(&out),
        "0000000000b27d750524493e994e98b7dea83af149ae7673dfc3d21935c1ae05"
    );
    // and the scratch is still good for the key's own headers
    let out = verus_hash_with_key(&key, &a1, V2_2, &mut scratch);
    assert_eq!(
        hex(&out),
        "0000000000b069112cc0caf14507169f6adf1e5278a2ef286cddc89f1162d7ca"
    );
}

#[test]
fn version_follows_the_header_version_field() {
    // §1.2: v2.1 for header version 2 (A4), v2.2 for version 3 (A1).
    assert_eq!(VerusVersion::for_header(&unhex(A4)), V2_1);
    assert_eq!(VerusVersion::for_header(&unhex(A1)), V2_2);
    assert_eq!(VerusVersion::for_header_version(4), V2_2);
}
