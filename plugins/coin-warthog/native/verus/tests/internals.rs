//! Internal values of VerusHash for A1 (v2.2) and A4 (v2.1), from
//! facts/warthog.md §6-F (computed there with the upstream functions).

mod common;

use common::{hex, implementations, unhex};
use lode_verushash::{verus_trace, VerusKey, VerusVersion, KEY_BYTES};
use sha2::{Digest, Sha256};

const A1: &str = "05b42d206f8a4b2b8094199fd28423151af8aa54a5073ac6e6805f42096dc3a20ae7cde7f3c41bf363fe94eb448bf924f791f77c22a2ebd6a3a5d8948f8aff019f072bea0000000366f2fefb2719fef5";
const A4: &str = "b4e91160d990b7b679234fc7cdc1aefbe11afe9823d6d8d1da7067e9ab0c8d380af405022613b56b379d0b071a4829cc27875f19bb0cb493f3f15aaedade1080e433874b0000000265ce0eb452f36e59";

fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

#[test]
fn a1_v2_2_internals() {
    for imp in implementations() {
        let t = verus_trace(&unhex(A1), VerusVersion::V2_2, imp);
        assert_eq!(
            hex(&t.state1),
            "2f56fd882fb308fec83db54fdd6e5d864f61581aef1301efeb25338fa574534e"
        );
        assert_eq!(
            hex(&t.state2),
            "2046b6e8fff17f66807b4a6ffba4feace499d5977ecda91d46f8eae1fdfdb6f8"
        );
        assert_eq!(
            hex(&t.cur_buf),
            "2046b6e8fff17f66807b4a6ffba4feace499d5977ecda91d46f8eae1fdfdb6f89f072bea0000000366f2fefb2719fef52046b6e8fff17f66807b4a6ffba4feac"
        );
        assert_eq!(t.fresh_key.len(), KEY_BYTES);
        assert_eq!(
            hex(&t.fresh_key[..32]),
            "53a7ba2e57b0c66bc48fd80baac88b483e6a279eb18ce5173c48a69bb92a8007"
        );
        assert_eq!(
            hex(&t.fresh_key[8800..]),
            "fe72b335cb955498993ea747e028b17603631868ae050f02073af586dd73d388"
        );
        assert_eq!(
            sha256_hex(&t.fresh_key),
            "a038647f3ba2f9a11c31b565f23c2492f9093fab4d2ef10579efa020e00df3d4"
        );
        assert_eq!(t.intermediate, 0x15a6_d679_e3bf_39f5);
        assert_eq!(t.key_offset, 501);
        assert_eq!(
            sha256_hex(&t.mutated_key),
            "8c107d511bf0c44264f9dc81c0456c9f9f8975aff67a50d865db38250656e0be"
        );
        assert_eq!(
            hex(&t.final_input),
            "2046b6e8fff17f66807b4a6ffba4feace499d5977ecda91d46f8eae1fdfdb6f89f072bea0000000366f2fefb2719fef5f539bfe379d6a615f539bfe379d6a615"
        );
        assert_eq!(
            hex(&t.out),
            "0000000000b069112cc0caf14507169f6adf1e5278a2ef286cddc89f1162d7ca"
        );

        // The per-job key holds the same state2 and fresh key.
        let key = VerusKey::new(&unhex(&A1[..128]), imp);
        assert_eq!(key.state2(), &t.state2);
        assert_eq!(key.key_bytes(), &t.fresh_key[..]);
    }
}

#[test]
fn a4_v2_1_internals() {
    for imp in implementations() {
        let t = verus_trace(&unhex(A4), VerusVersion::V2_1, imp);
        assert_eq!(
            hex(&t.state1),
            "dd3254dde6d911dca2bece841d0cdfea8b3ec367dbbe44e0dcf6ff4e4452a762"
        );
        assert_eq!(
            hex(&t.state2),
            "3c03c9d9c24c1ac44a63246da864a2956b3c106a870d4162009c4de248ec45b8"
        );
        assert_eq!(
            hex(&t.fresh_key[..32]),
            "6c87ed93e44235484bf282629ecbbd15cb39dd0097f09dd3c920163b67e5b34b"
        );
        assert_eq!(
            sha256_hex(&t.fresh_key),
            "13e764f6a3b1293b1000f94ac7b9f80710db6d290b4f9cf71d9e9643adf90e2f"
        );
        assert_eq!(t.intermediate, 0x2b81_3c77_0b6b_af59);
        assert_eq!(t.key_offset, 345);
        assert_eq!(
            sha256_hex(&t.mutated_key),
            "48f11460bceb267c3bc18d41b0a34292687d708d1a13a391531068e426bb195a"
        );
        assert_eq!(
            hex(&t.out),
            "0000000001e7c608cf96bfd98d12f818e6bdf5adc6488b45bdf6d2c2a5c2ecc4"
        );
    }
}
