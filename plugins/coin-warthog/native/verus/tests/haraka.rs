//! Haraka v2 vectors (facts/warthog.md §5.1, from IACR ePrint 2016/098
//! Appendix B, and §6-F).

mod common;

use common::{hex, implementations, unhex};
use lode_verushash::{haraka256, haraka512, haraka512_keyed, HARAKA_ROUND_CONSTANTS};

fn counting<const N: usize>() -> [u8; N] {
    std::array::from_fn(|i| i as u8)
}

#[test]
fn haraka512_of_00_to_3f() {
    // facts/warthog.md §5.1
    let expected = "be7f723b4e80a99813b292287f306f625a6d57331cae5f34dd9277b0945be2aa";
    for imp in implementations() {
        assert_eq!(hex(&imp.haraka512(&counting::<64>())), expected, "{imp:?}");
    }
    assert_eq!(hex(&haraka512(&counting::<64>())), expected);
}

#[test]
fn haraka256_of_00_to_1f() {
    // facts/warthog.md §5.1
    let expected = "8027ccb87949774b78d0545fb72bf70c695c2a0923cbd47bba1159efbf2b2c1c";
    for imp in implementations() {
        assert_eq!(hex(&imp.haraka256(&counting::<32>())), expected, "{imp:?}");
    }
    assert_eq!(hex(&haraka256(&counting::<32>())), expected);
}

#[test]
fn haraka512_of_64_zero_bytes() {
    // facts/warthog.md §6-F
    let expected = "6165454b61dae9b53d086b1a01d6764a911b2a4707cd23640ab148b3db65caf3";
    for imp in implementations() {
        assert_eq!(hex(&imp.haraka512(&[0u8; 64])), expected, "{imp:?}");
    }
}

#[test]
fn haraka512_keyed_with_the_standard_constants_is_haraka512() {
    let input = counting::<64>();
    for imp in implementations() {
        assert_eq!(
            hex(&imp.haraka512_keyed(&input, &HARAKA_ROUND_CONSTANTS)),
            "be7f723b4e80a99813b292287f306f625a6d57331cae5f34dd9277b0945be2aa",
            "{imp:?}"
        );
    }
}

#[test]
fn haraka512_keyed_agrees_across_implementations() {
    // Round constants 0x00, 0x01, ... (not a published vector: Portable and
    // AES-NI must agree, and differ from the standard constants).
    let rc: [[u8; 16]; 40] = std::array::from_fn(|i| std::array::from_fn(|j| (16 * i + j) as u8));
    let input = unhex::<64>(&"5a".repeat(64));
    let outputs: Vec<_> = implementations()
        .into_iter()
        .map(|imp| imp.haraka512_keyed(&input, &rc))
        .collect();
    assert!(outputs.windows(2).all(|w| w[0] == w[1]));
    assert_ne!(outputs[0], haraka512(&input));
    assert_eq!(haraka512_keyed(&input, &rc), outputs[0]);
}
