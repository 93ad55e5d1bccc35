//! Vectors from `facts/warthog.md` (section named at each test); expected
//! values are copied from there, never computed by the code under test.
// The facts print doubles with 17 significant digits; they are kept verbatim.
#![allow(clippy::excessive_precision)]

use crate::custom_float::{CustomFloat, JANUS_C, JANUS_FACTOR};
use crate::sha;
use crate::target::{increment_u256_be, shifted_u256_be, TargetV2};

pub(crate) fn bytes(hex: &str) -> Vec<u8> {
    assert!(hex.len().is_multiple_of(2), "odd hex length");
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
        .collect()
}

pub(crate) fn hash32(hex: &str) -> [u8; 32] {
    bytes(hex).try_into().expect("32 bytes")
}

pub(crate) fn header80(hex: &str) -> [u8; 80] {
    bytes(hex).try_into().expect("80 bytes")
}

pub(crate) fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn parts(f: CustomFloat) -> (i32, u32, bool) {
    (f.exponent(), f.mantissa(), f.positive())
}

/// (sha256t, verus, expected J as printed in the facts)
struct JanusVector {
    name: &'static str,
    sha256t: &'static str,
    verus: &'static str,
    j: f64,
}

// §6-A A1..A4 and §6-E nonces 00002df1 / 00000456.
const J_VECTORS: [JanusVector; 6] = [
    JanusVector {
        name: "A1",
        sha256t: "02a507400db273886cd1bdc61e05bc4bde6978d74ce6e48d33a46fa705c59ae1",
        verus: "0000000000b069112cc0caf14507169f6adf1e5278a2ef286cddc89f1162d7ca",
        j: 2.5543706866847959e-14,
    },
    JanusVector {
        name: "A2",
        sha256t: "03129d3047448ed01936f206d4a5f59de702a35df450d36706ef93545cf03c36",
        verus: "0000000000b27d750524493e994e98b7dea83af149ae7673dfc3d21935c1ae05",
        j: 2.8700662751218597e-14,
    },
    JanusVector {
        name: "A3",
        sha256t: "0338c8258ed30e6088b4b81cba45f5c40553be12af0323abb7418e2cf63becd7",
        verus: "000000000000fc8db96d150937429ce192e0ad69458311c4d8415b720e59b6c0",
        j: 1.639235465048396e-16,
    },
    JanusVector {
        name: "A4",
        sha256t: "014f3a4e2916343f628f6aec528f18707568cb2f0c95dc3111c5ed49fc154c99",
        verus: "0000000001e7c608cf96bfd98d12f818e6bdf5adc6488b45bdf6d2c2a5c2ecc4",
        j: 4.3150328665020057e-14,
    },
    JanusVector {
        name: "6-E 00002df1",
        sha256t: "25c1617125cc6f0923cac082e8bafda55b445f6c86f815647090d4dd06723d29",
        verus: "000064091b6f682f368539335defced337c98015fff77bedca365bb05fa3cbdd",
        j: 1.561918528736328e-06,
    },
    JanusVector {
        name: "6-E 00000456",
        sha256t: "01b4e1fa988caab71709ed49a0bd0f98c2f957810308977e7b3c1bcfc803fb60",
        verus: "001f0604529354d5149f24d9ec9c4d8e60c4c85f3f02179c25aa35b37f12a517",
        j: 1.4185952061041007e-05,
    },
];

fn janus_j(sha256t: &str, verus: &str) -> CustomFloat {
    let y = CustomFloat::from_hash(&hash32(sha256t));
    let x = CustomFloat::from_hash(&hash32(verus));
    x * y.pow(JANUS_FACTOR)
}

mod custom_float {
    use super::*;

    #[test]
    fn constants_are_c_and_0_7() {
        // §6-G: c = (-7, a3d70a3d) = 0.0049999999991996447; 0.7 = (0, b3333333)
        assert_eq!(parts(JANUS_C), (-7, 0xa3d70a3d, true));
        assert_eq!(JANUS_C.to_f64(), 0.0049999999991996447);
        assert_eq!(parts(JANUS_FACTOR), (0, 0xb3333333, true));
        assert_eq!(JANUS_FACTOR.to_f64(), 0.69999999995343387);
    }

    #[test]
    fn a1_steps() {
        // §6-G A1
        let y = CustomFloat::from_hash(&hash32(J_VECTORS[0].sha256t));
        let x = CustomFloat::from_hash(&hash32(J_VECTORS[0].verus));
        assert_eq!(parts(y), (-6, 0xa941d000, true));
        assert_eq!(y.to_f64(), 0.010330632328987122);
        assert_eq!(parts(x), (-40, 0xb069112c, true));
        let log2 = y.log2();
        assert_eq!(parts(log2), (3, 0xd310fe93, false));
        assert_eq!(log2.to_f64(), -6.5958245154470205);
        let scaled = JANUS_FACTOR * log2;
        assert_eq!(parts(scaled), (3, 0x93bf1899, false));
        assert_eq!(scaled.to_f64(), -4.6170771587640047);
        let pow = scaled.pow2();
        assert_eq!(parts(pow), (-4, 0xa6f08b39, true));
        assert_eq!(pow.to_f64(), 0.040756744230748154);
        assert_eq!(parts(y.pow(JANUS_FACTOR)), parts(pow));
        let j = x * pow;
        assert_eq!(parts(j), (-45, 0xe613c725, true));
        assert_eq!(j.to_f64(), 2.5543706866847959e-14);
    }

    #[test]
    fn share_2df1_steps() {
        // §6-G, §6-E nonce 00002df1
        let y = CustomFloat::from_hash(&hash32(J_VECTORS[4].sha256t));
        let x = CustomFloat::from_hash(&hash32(J_VECTORS[4].verus));
        assert_eq!(parts(y), (-2, 0x970585c4, true));
        assert_eq!(y.to_f64(), 0.14748200424946845);
        assert_eq!(parts(x), (-17, 0xc81236de, true));
        let log2 = y.log2();
        assert_eq!(parts(log2), (2, 0xb0c73bd4, false));
        assert_eq!(log2.to_f64(), -2.7621602602303028);
        let scaled = JANUS_FACTOR * log2;
        assert_eq!(parts(scaled), (1, 0xf77d53c2, false));
        let pow = scaled.pow2();
        assert_eq!(parts(pow), (-1, 0x861ebcb6, true));
        assert_eq!(pow.to_f64(), 0.26195325586013496);
        let j = x * pow;
        assert_eq!(parts(j), (-19, 0xd1a31cac, true));
        assert_eq!(j.to_f64(), 1.561918528736328e-06);
    }

    #[test]
    fn j_of_every_published_vector() {
        // §6-A (A1..A4: J as published or reproduced) and §6-E
        for v in &J_VECTORS {
            assert_eq!(janus_j(v.sha256t, v.verus).to_f64(), v.j, "{}", v.name);
        }
    }

    #[test]
    fn y_below_c_only_for_0000cb8e() {
        // §6-E: 0000cb8e has Y = 0.00066 < c; A4 (Y = 0.00512) and 00000456 (0.00667) are above
        let y = |h: &str| CustomFloat::from_hash(&hash32(h));
        assert!(
            y("002b6a1a4faeff4f599d482828410341b8b3412ebf49624d16c9f4f3aac790e2")
                .less_than(JANUS_C)
        );
        assert!(!y(J_VECTORS[3].sha256t).less_than(JANUS_C));
        assert!(!y(J_VECTORS[5].sha256t).less_than(JANUS_C));
        assert!(!JANUS_C.less_than(JANUS_C));
    }

    #[test]
    fn from_hash_pads_with_ff_past_the_end() {
        // §1.1: bytes past position 31 count as 0xff
        let mut h = [0u8; 32];
        h[31] = 0x01;
        assert_eq!(parts(CustomFloat::from_hash(&h)), (-255, 0xffffff80, true));
        assert_eq!(
            parts(CustomFloat::from_hash(&[0u8; 32])),
            (-256, 0xffffffff, true)
        );
        // zeros are shifted in, not the following hash bits
        let mut h = [0xffu8; 32];
        h[0] = 0x01;
        h[1] = 0x00;
        assert_eq!(parts(CustomFloat::from_hash(&h)), (-7, 0x807fff80, true));
    }

    #[test]
    fn arithmetic_basics() {
        let one = CustomFloat::from_int(1);
        assert_eq!(parts(one), (1, 0x80000000, true));
        assert_eq!(parts(CustomFloat::from_int(-6)), (3, 0xc0000000, false));
        assert_eq!((one - one).mantissa(), 0);
        assert_eq!(parts(one + one), (2, 0x80000000, true));
        assert_eq!(
            (CustomFloat::from_int(3) * CustomFloat::from_int(-5)).to_f64(),
            -15.0
        );
        assert_eq!(
            (CustomFloat::from_int(3) - CustomFloat::from_int(5)).to_f64(),
            -2.0
        );
        // an operand 64 or more places smaller is ignored
        let tiny = CustomFloat::new(-70, 0x80000000, true);
        assert_eq!(one + tiny, one);
        assert_eq!(CustomFloat::zero().pow2(), one);
        // exact integers take the integer branch
        assert_eq!(CustomFloat::from_int(3).pow2().to_f64(), 8.0);
        assert_eq!(CustomFloat::from_int(-3).pow2().to_f64(), 0.125);
    }
}

mod target_v2 {
    use super::*;

    #[test]
    fn decodes_zeros10_and_bits22() {
        // §3.1: 0ae7cde7 gives zeros10 = 43 and bits22 = 0x27cde7
        let t = TargetV2(0x0ae7cde7);
        assert_eq!(t.zeros10(), 43);
        assert_eq!(t.bits22(), 0x27cde7);
        let header = header80("05b42d206f8a4b2b8094199fd28423151af8aa54a5073ac6e6805f42096dc3a20ae7cde7f3c41bf363fe94eb448bf924f791f77c22a2ebd6a3a5d8948f8aff019f072bea0000000366f2fefb2719fef5");
        assert_eq!(TargetV2::of_header(&header), t);
    }

    #[test]
    fn compares_exactly_on_exponent_then_mantissa() {
        // §1.1: tie on zeros -> mantissa < bits22 << 10
        let t = TargetV2(0x0ae7cde7); // zeros 43, bits32 = 0x9f379c00
        assert!(t.is_above(CustomFloat::new(-43, 0x9f379bff, true)));
        assert!(!t.is_above(CustomFloat::new(-43, 0x9f379c00, true)));
        assert!(!t.is_above(CustomFloat::new(-42, 0x80000000, true)));
        assert!(t.is_above(CustomFloat::new(-44, 0xffffffff, true)));
    }

    #[test]
    fn block_vectors_are_below_their_target_and_not_the_next_lower() {
        // §6-A: A1..A3 target 0ae7cde7, A4 0af40502; all valid
        for (v, raw) in
            J_VECTORS[..4]
                .iter()
                .zip([0x0ae7cde7u32, 0x0ae7cde7, 0x0ae7cde7, 0x0af40502])
        {
            let j = janus_j(v.sha256t, v.verus);
            assert!(TargetV2(raw).is_above(j), "{}", v.name);
            // the largest TargetV2 below J (same zeros, mantissa = J's top 22 bits, rounded down)
            let lower = TargetV2(((-j.exponent() as u32) << 22) | (j.mantissa() >> 10));
            assert!(!lower.is_above(j), "{}", v.name);
        }
    }

    #[test]
    fn share_difficulties_of_6e() {
        // §6-E: 00002df1 valid at 0429f16b, 04a18def, 04f46dc5; invalid at 04efef55 and 04e18def (D 1e6)
        let j = janus_j(J_VECTORS[4].sha256t, J_VECTORS[4].verus);
        for raw in [0x0429f16b, 0x04a18def, 0x04f46dc5] {
            assert!(TargetV2(raw).is_above(j), "{raw:08x}");
        }
        for raw in [0x04efef55, 0x04e18def] {
            assert!(!TargetV2(raw).is_above(j), "{raw:08x}");
        }
        // 00000456: valid at 50000 (03e9f16b), invalid at 100000 (0429f16b)
        let j = janus_j(J_VECTORS[5].sha256t, J_VECTORS[5].verus);
        assert!(TargetV2(0x03e9f16b).is_above(j));
        assert!(!TargetV2(0x0429f16b).is_above(j));
    }

    #[test]
    fn u256_forms() {
        // τ·2^256 = bits22 · 2^(234 - zeros10): 003fffff (D 1) is 0x3fffff << 234
        let t = TargetV2(0x003fffff).to_u256_be();
        assert_eq!(to_hex(&t), format!("fffffc{}", "0".repeat(58)));
        assert_eq!(
            to_hex(&shifted_u256_be(0xabcd, -8)),
            format!("{}ab", "0".repeat(62))
        );
        assert_eq!(to_hex(&shifted_u256_be(0xabcd, -64)), "0".repeat(64));
        assert_eq!(shifted_u256_be(1, 256), [0xff; 32]);
        assert_eq!(
            to_hex(&shifted_u256_be(1, 255)),
            format!("8{}", "0".repeat(63))
        );
        assert_eq!(
            to_hex(&increment_u256_be(hash32(&format!(
                "{}{}",
                "0".repeat(56),
                "00ffffff"
            )))),
            format!("{}01000000", "0".repeat(56))
        );
    }
}

mod sha256 {
    use super::*;

    const A1: &str = "05b42d206f8a4b2b8094199fd28423151af8aa54a5073ac6e6805f42096dc3a20ae7cde7f3c41bf363fe94eb448bf924f791f77c22a2ebd6a3a5d8948f8aff019f072bea0000000366f2fefb2719fef5";

    #[test]
    fn a1_block_hash_and_sha256t() {
        // §6-A A1
        let h = header80(A1);
        assert_eq!(
            to_hex(&sha::sha256d(&h)),
            "80b200a9ac37d7c41d98ad1cc2d6add8ab50a3905bf52d8347b56955923c28bc"
        );
        assert_eq!(to_hex(&sha::sha256t(&h)), J_VECTORS[0].sha256t);
        let (d, t) = sha::HeaderMidstate::new(&h).hashes(h[64..80].try_into().unwrap());
        assert_eq!(
            to_hex(&d),
            "80b200a9ac37d7c41d98ad1cc2d6add8ab50a3905bf52d8347b56955923c28bc"
        );
        assert_eq!(to_hex(&t), J_VECTORS[0].sha256t);
    }

    #[test]
    fn merkle_root_of_6c_case_1() {
        // §6-C case 1: SHA256(merklePrefix ‖ extranonce) is the merkle root
        let data = bytes(
            "33fdd49cb7a62536f3c56e5c62d809518871632bba3f9a399bf4c13aeeb464dc00000001000000000002",
        );
        assert_eq!(
            to_hex(&sha::sha256(&data)),
            "64428f3e2d7e393ce459e2ab4355a95dbd85f5f315e53601ebd272c39bb8eaa2"
        );
    }
}

mod janus {
    use super::*;
    use crate::janus::{comparison_value, Janus};
    use crate::scan::{ScanJob, MAX_HITS};
    use lode_verushash::{verus_hash, Implementation, VerusVersion};

    /// (name, header, block hash, verus v2.2, verus v2.1, target field); §6-A
    const BLOCKS: [(&str, &str, &str, &str, &str, u32); 4] = [
        (
            "A1",
            "05b42d206f8a4b2b8094199fd28423151af8aa54a5073ac6e6805f42096dc3a20ae7cde7f3c41bf363fe94eb448bf924f791f77c22a2ebd6a3a5d8948f8aff019f072bea0000000366f2fefb2719fef5",
            "80b200a9ac37d7c41d98ad1cc2d6add8ab50a3905bf52d8347b56955923c28bc",
            "0000000000b069112cc0caf14507169f6adf1e5278a2ef286cddc89f1162d7ca",
            "8d9ed79784fe729b23854d1f7c65d75d26d7cf2e58713fbfb46869cf9b062070",
            0x0ae7cde7,
        ),
        (
            "A2",
            "8c8811ee10a9c5c7d23f6f4791cbf03b781531574d53f224278cb78531a4c2fe0ae7cde7dcfeba982307da35c0098709c20f4ea0a4f04e0bbcd1b0c34c8ecc30157159eb0000000366f31e3c1aace551",
            "1edd2043a92ac4747487aecaa7dc8145b6bf8ae4509c3bae4e4d9ad9727fe4ee",
            "0000000000b27d750524493e994e98b7dea83af149ae7673dfc3d21935c1ae05",
            "2c3bc732e6c4d6616a8a9ace00f9f838a2500f005960a119218042519eeab1b3",
            0x0ae7cde7,
        ),
        (
            "A3",
            "30537a679be7d6082cc905be4a717ea7985f0853403a40dedea1be4e224916dd0ae7cde79205c8127aabd555acb7ff3f95733bd6ec19cb110c2878c55ae77b893fdec7ec0000000366f31e0c46f6a275",
            "10b5ed6868f0e5c4fbd859a8dd5a68d7cf4c9038025acde37a004e9f02e7c85e",
            "000000000000fc8db96d150937429ce192e0ad69458311c4d8415b720e59b6c0",
            "4d2038f1c240ef7b6cac27908f74b1bfba0f3834dcb3ef53a45ffbe45b1f4b48",
            0x0ae7cde7,
        ),
        (
            "A4",
            "b4e91160d990b7b679234fc7cdc1aefbe11afe9823d6d8d1da7067e9ab0c8d380af405022613b56b379d0b071a4829cc27875f19bb0cb493f3f15aaedade1080e433874b0000000265ce0eb452f36e59",
            "0dd5b559637b61bfed741e2cc3da7ab9d0c960b5f2ce5f63bbe4aa1263958e87",
            "bd9034cfb81c9aea2edf10a960329f1b9b7a05b3c58979ea261d6fd82d16e333",
            "0000000001e7c608cf96bfd98d12f818e6bdf5adc6488b45bdf6d2c2a5c2ecc4",
            0x0af40502,
        ),
    ];

    const SHARE_PREFIX: &str = "05b42d206f8a4b2b8094199fd28423151af8aa54a5073ac6e6805f42096dc3a20ae7cde764428f3e2d7e393ce459e2ab4355a95dbd85f5f315e53601ebd272c39bb8eaa20000000366f2fefb";

    fn share(nonce: &str) -> [u8; 80] {
        header80(&format!("{SHARE_PREFIX}{nonce}"))
    }

    fn paths() -> Vec<Implementation> {
        Implementation::available()
    }

    #[test]
    fn a1_to_a4_hashes_on_every_implementation() {
        // §6-A
        for (name, header, block_hash, v22, v21, _) in BLOCKS {
            let h = header80(header);
            for imp in paths() {
                assert_eq!(
                    to_hex(&verus_hash(&h, VerusVersion::V2_2, imp)),
                    v22,
                    "{name} {imp:?}"
                );
                assert_eq!(
                    to_hex(&verus_hash(&h, VerusVersion::V2_1, imp)),
                    v21,
                    "{name} {imp:?}"
                );
                let janus = Janus::of_header(&h, imp);
                assert_eq!(to_hex(&janus.block_hash), block_hash, "{name}");
                let expected_verus = if name == "A4" { v21 } else { v22 };
                assert_eq!(to_hex(&janus.verus), expected_verus, "{name}");
            }
        }
    }

    #[test]
    fn a1_to_a4_are_valid_at_their_target_and_not_just_below_j() {
        // §6-A: every one is a valid block; J as published
        for ((name, header, .., target), v) in BLOCKS.iter().zip(&J_VECTORS) {
            let janus = Janus::of_header(&header80(header), lode_verushash::best_implementation());
            assert_eq!(janus.number(), v.j, "{name}");
            assert!(janus.valid(TargetV2(*target)), "{name}");
            let j = janus.steps.j;
            let zeros = (-j.exponent() as u32) << 22;
            assert!(
                !janus.valid(TargetV2(zeros | (j.mantissa() >> 10))),
                "{name}"
            );
            assert!(
                janus.valid(TargetV2(zeros | ((j.mantissa() >> 10) + 1))),
                "{name}"
            );
        }
    }

    #[test]
    fn the_shares_of_6e() {
        // §6-E, TargetV2 verdicts
        let imp = lode_verushash::best_implementation();
        let a = Janus::of_header(&share("00002df1"), imp);
        assert_eq!(
            to_hex(&a.block_hash),
            "05e7c61177952c56a89c7535e462fc4023a1b5fb6abff417e414ae056accf506"
        );
        assert_eq!(to_hex(&a.sha256t), J_VECTORS[4].sha256t);
        assert_eq!(to_hex(&a.verus), J_VECTORS[4].verus);
        for raw in [0x0429f16b, 0x04a18def, 0x04f46dc5] {
            assert!(a.valid(TargetV2(raw)));
        }
        for raw in [0x04efef55, 0x04e18def] {
            assert!(!a.valid(TargetV2(raw)));
        }
        let b = Janus::of_header(&share("00000456"), imp);
        assert_eq!(to_hex(&b.verus), J_VECTORS[5].verus);
        assert!(b.valid(TargetV2(0x03e9f16b)));
        assert!(!b.valid(TargetV2(0x0429f16b)));
        let c = Janus::of_header(&share("0000cb8e"), imp);
        assert_eq!(
            to_hex(&c.verus),
            "0003b0171cf8c80e0e770775c9518689f50448f769df15b22d2310e7751d88ce"
        );
        assert!(c.below_c);
        assert_eq!(c.number(), 1.0);
        assert_eq!(c.comparison_value(), [0xff; 32]);
        for raw in [0x003fffff, 0x00200000, 0x0260c49b, 0x0429f16b] {
            assert!(!c.valid(TargetV2(raw)));
        }
    }

    #[test]
    fn comparison_value_agrees_with_the_target_v2_check() {
        // value <= τ·2^256 iff J < τ, at the §6-E targets and around J
        let imp = lode_verushash::best_implementation();
        for nonce in ["00002df1", "00000456"] {
            let janus = Janus::of_header(&share(nonce), imp);
            let value = janus.comparison_value();
            let j = janus.steps.j;
            let zeros = (-j.exponent() as u32) << 22;
            for raw in [
                0x03e9f16b,
                0x0429f16b,
                0x04a18def,
                0x04f46dc5,
                0x04efef55,
                0x04e18def,
                zeros | (j.mantissa() >> 10),
                zeros | ((j.mantissa() >> 10) + 1),
            ] {
                let t = TargetV2(raw);
                assert_eq!(value <= t.to_u256_be(), janus.valid(t), "{nonce} {raw:08x}");
            }
            // J·2^256 = m << (224 + e), exactly
            let exact = shifted_u256_be(u64::from(j.mantissa()), 224 + i64::from(j.exponent()));
            assert_eq!(comparison_value(Some(j)), increment_u256_be(exact));
        }
    }

    fn job(start: u32, count: u64, target: [u8; 32], threads: u32, imp: Implementation) -> ScanJob {
        ScanJob::new(
            &share("00000000"),
            f64::from(start),
            count as f64,
            &target,
            f64::from(threads),
            imp,
        )
        .expect("valid job")
    }

    #[test]
    fn scan_finds_2df1_with_its_value_and_block_hash() {
        // §6-E: 00002df1 is a share at D = 500000; τ of 04a18def in 256-bit units
        let target = TargetV2(0x04a18def).to_u256_be();
        for imp in paths() {
            let out = job(0x2df1 - 13, 32, target, 3, imp).run();
            assert_eq!(out.hashes, 32);
            let hit = out
                .hits
                .iter()
                .find(|h| h.nonce == 0x2df1)
                .expect("00002df1 is a hit");
            assert_eq!(
                to_hex(&hit.block_hash),
                "05e7c61177952c56a89c7535e462fc4023a1b5fb6abff417e414ae056accf506"
            );
            assert_eq!(
                hit.value,
                Janus::of_header(&share("00002df1"), imp).comparison_value()
            );
            for h in &out.hits {
                let janus = Janus::of_header(&share(&format!("{:08x}", h.nonce)), imp);
                assert!(janus.valid(TargetV2(0x04a18def)));
                assert_eq!(h.value, janus.comparison_value());
            }
        }
    }

    #[test]
    fn scan_never_returns_a_header_below_c() {
        // §6-E: 0000cb8e has Y < c; at the loosest target every other nonce is a hit
        let out = job(
            0xcb8e - 4,
            9,
            [0xff; 32],
            2,
            lode_verushash::best_implementation(),
        )
        .run();
        let nonces: Vec<u32> = out.hits.iter().map(|h| h.nonce).collect();
        assert!(!nonces.contains(&0xcb8e));
        let expected: Vec<u32> = (0xcb8e - 4..0xcb8e + 5)
            .filter(|&n| {
                !Janus::of_header(
                    &share(&format!("{n:08x}")),
                    lode_verushash::best_implementation(),
                )
                .below_c
            })
            .collect();
        assert_eq!(nonces, expected);
    }

    #[test]
    fn scan_caps_hits_and_counts_the_rest() {
        let out = job(
            0,
            MAX_HITS as u64 + 64,
            [0xff; 32],
            2,
            lode_verushash::best_implementation(),
        )
        .run();
        assert_eq!(out.hits.len(), MAX_HITS);
        assert!(out.hits.windows(2).all(|w| w[0].nonce < w[1].nonce));
        assert!(out.dropped > 0 && out.hits.len() as u64 + out.dropped <= MAX_HITS as u64 + 64);
    }

    #[test]
    fn scan_job_arguments_name_the_value() {
        let imp = Implementation::Portable;
        let h = share("00000000");
        let err = |r: Result<ScanJob, String>| r.expect_err("refused");
        assert_eq!(
            err(ScanJob::new(&h[..79], 0.0, 1.0, &[0; 32], 1.0, imp)),
            "header is 79 bytes, a Warthog header is 80"
        );
        assert!(
            err(ScanJob::new(&h, 0.0, 1.0, &[0; 31], 1.0, imp)).starts_with("target is 31 bytes")
        );
        assert!(
            err(ScanJob::new(&h, 0.5, 1.0, &[0; 32], 1.0, imp)).starts_with("startNonce is 0.5")
        );
        assert!(err(ScanJob::new(&h, 4294967295.0, 2.0, &[0; 32], 1.0, imp))
            .contains("runs past the nonce space"));
        assert!(err(ScanJob::new(&h, 0.0, 1.0, &[0; 32], 257.0, imp)).starts_with("threads is 257"));
    }
}
