//! Unit tests. Expected values come from facts/ethash.md (section named at
//! each), never from this code.

use crate::cache::{Cache, FastMod};
use crate::dataset::Dataset;
use crate::hashimoto::{hash_full, hash_light, quick_final};
use crate::keccak::*;
use crate::params::*;
use crate::progress::Progress;
use crate::scan::{check_range, check_threads, scan, Range, MAX_HITS};

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex32(s: &str) -> [u8; 32] {
    let v: Vec<u8> = (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect();
    v.try_into().unwrap()
}

/// A small deterministic byte stream (xorshift) for comparing code paths.
fn bytes(seed: u64, n: usize) -> Vec<u8> {
    let mut x = seed | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

mod keccak {
    use super::*;

    #[test]
    fn keccak256_of_nothing_is_the_original_keccak_not_sha3() {
        // Keccak-256("") (Ethereum's empty hash); SHA3-256("") would be a7ffc6f8...
        assert_eq!(
            hex(&keccak256(b"")),
            "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
        );
    }

    #[test]
    fn keccak512_of_nothing() {
        assert_eq!(
            hex(&keccak512(b"")),
            "0eab42de4c3ceb9235fc91acffe746b29c29a8c366b7c60e4e67c466f36a4304\
             c00fa9caf9d87976ba469bcbe06713b435f091ef2769fb160cdab33d3670680e"
        );
    }

    #[test]
    fn the_fixed_size_paths_equal_the_sponge() {
        for seed in 1..50u64 {
            let b = bytes(seed, 96);
            let mut words = [0u32; 16];
            for (w, c) in words.iter_mut().zip(b.chunks_exact(4)) {
                *w = u32::from_le_bytes(c.try_into().unwrap());
            }
            let mut out = words;
            keccak512_words(&mut out);
            let out_bytes: Vec<u8> = out.iter().flat_map(|w| w.to_le_bytes()).collect();
            assert_eq!(out_bytes, keccak512(&b[..64]).to_vec());

            let header: [u8; 32] = b[..32].try_into().unwrap();
            let nonce = u64::from_le_bytes(b[32..40].try_into().unwrap());
            let s = keccak512_header_nonce(&header, nonce);
            let s_bytes: Vec<u8> = s.iter().flat_map(|w| w.to_le_bytes()).collect();
            assert_eq!(s_bytes, keccak512(&b[..40]).to_vec());

            let mix: [u32; 8] = words[..8].try_into().unwrap();
            let mut input = s_bytes.clone();
            input.extend(mix.iter().flat_map(|w| w.to_le_bytes()));
            assert_eq!(keccak256_seed_mix(&s, &mix), keccak256(&input));

            assert_eq!(keccak256_32(&header), keccak256(&header));
            let k = keccak512_32(&header);
            let k_bytes: Vec<u8> = k.iter().flat_map(|w| w.to_le_bytes()).collect();
            assert_eq!(k_bytes, keccak512(&header).to_vec());

            let all: Vec<u32> = b
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes(c.try_into().unwrap()))
                .collect();
            assert_eq!(keccak256_words(&all), keccak256(&b));
        }
    }
}

mod fnv_and_fastmod {
    use super::*;

    #[test]
    fn fnv_is_fnv1_with_prime_0x01000193() {
        // §2.1. FNV-1 (multiply, then xor) of "a" from the 32-bit offset basis.
        assert_eq!(fnv(0x811c_9dc5, b'a' as u32), 0x050c_5d7e);
        assert_eq!(fnv(1, 0), 0x0100_0193);
        assert_eq!(fnv(0, 0xdead_beef), 0xdead_beef);
    }

    #[test]
    fn fastmod_equals_the_remainder() {
        let divisors = [1u32, 2, 3, 16, 262_139, 8_388_593, 1 << 31, u32::MAX];
        let values = bytes(7, 4 * 2000);
        for &d in &divisors {
            let m = FastMod::new(d);
            for a in values
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes(c.try_into().unwrap()))
            {
                assert_eq!(m.rem(a), a % d, "{a} mod {d}");
            }
            for a in [0, 1, d - 1, d, u32::MAX] {
                assert_eq!(m.rem(a), a % d, "{a} mod {d}");
            }
        }
    }
}

mod sizes_and_seeds {
    use super::*;

    #[test]
    fn sizes_match_the_table() {
        // facts/ethash.md §2.9 and the chfast sizes listed below it.
        let table: [(u32, u64, u64); 16] = [
            (0, 16_776_896, 1_073_739_904),
            (1, 16_907_456, 1_082_130_304),
            (14, 18_611_392, 1_191_180_416),
            (50, 23_330_752, 1_493_171_584),
            (166, 38_535_104, 2_466_247_808),
            (195, 42_334_912, 2_709_518_464),
            (250, 49_545_152, 3_170_893_184),
            (300, 56_097_856, 3_590_324_096),
            (350, 62_651_584, 4_009_751_168),
            (390, 67_895_104, 4_345_295_488),
            (400, 69_205_568, 4_429_182_848),
            (450, 75_759_296, 4_848_612_224),
            (517, 84_540_608, 5_410_650_496),
            (2047, 285_081_536, 18_245_220_736),
            (30000, 3_948_936_512, 252_731_976_832),
            (32639, 4_294_836_032, 274_869_514_624),
        ];
        for (epoch, cache, dataset) in table {
            assert_eq!(cache_size(epoch), cache, "cache size of epoch {epoch}");
            assert_eq!(
                dataset_size(epoch),
                dataset,
                "dataset size of epoch {epoch}"
            );
        }
    }

    #[test]
    fn seeds_match_chfast() {
        // §4.6 epoch seeds.
        let seeds = [
            (
                0,
                "0000000000000000000000000000000000000000000000000000000000000000",
            ),
            (
                1,
                "290decd9548b62a8d60345a988386fc84ba6bc95484008f6362f93160ef3e563",
            ),
            (
                171,
                "a9b0e0c9aca72c07ba06b5bbdae8b8f69e61878301508473379bb4f71807d707",
            ),
            (
                2048,
                "20a7678ca7b50829183baac2e1e3c43fa3c4bcbc171b11cf5a9f30bebd172920",
            ),
            (
                29998,
                "1222b1faed7f93098f8ae498621fb3479805a664b70186063861c46596c66164",
            ),
            (
                29999,
                "ee1d0f61b054dff0f3025ebba821d405c8dc19a983e582e9fa5436fc3e7a07d8",
            ),
            (
                32638,
                "9472a82f992649315e3977120843a5a246e375715bd70ee98b3dd77c63154e99",
            ),
            (
                32639,
                "09b435f2d92d0ddee038c379be8db1f895c904282e9ceb790f519a6aa3f83810",
            ),
        ];
        for (epoch, seed) in seeds {
            assert_eq!(hex(&seed_hash(epoch)), seed, "seed of epoch {epoch}");
        }
    }

    #[test]
    fn etchash_seeds_are_the_ethash_seeds_of_twice_the_epoch() {
        // §4.7: ETChash epoch 195 uses keccak256^390(0).
        assert_eq!(
            hex(&seed_hash(2 * 195)),
            "e79f0f63030bf691445c2b9d0266b24a9619e355194067f2ad2c73a8e0a26c65"
        );
    }

    fn bytes32(hex_text: &str) -> [u8; 32] {
        let mut out = [0u8; 32];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&hex_text[2 * i..2 * i + 2], 16).unwrap();
        }
        out
    }

    #[test]
    fn seed_epoch_of_walks_the_chain_back_to_the_published_seeds() {
        // §4.6 (chfast epoch_seed_test_cases) and §4.7 (ETChash epoch 195 = seed epoch 390).
        let cases = [
            (0, "0000000000000000000000000000000000000000000000000000000000000000"),
            (1, "290decd9548b62a8d60345a988386fc84ba6bc95484008f6362f93160ef3e563"),
            (171, "a9b0e0c9aca72c07ba06b5bbdae8b8f69e61878301508473379bb4f71807d707"),
            (390, "e79f0f63030bf691445c2b9d0266b24a9619e355194067f2ad2c73a8e0a26c65"),
            (32639, "09b435f2d92d0ddee038c379be8db1f895c904282e9ceb790f519a6aa3f83810"),
        ];
        for (epoch, seed) in cases {
            assert_eq!(seed_epoch_of(&bytes32(seed), MAX_SEED_EPOCH), Some(epoch), "seed {seed}");
        }
        assert_eq!(seed_epoch_of(&bytes32(cases[4].1), 32638), None, "beyond the limit");
        assert_eq!(seed_epoch_of(&[0xab; 32], 2048), None, "not a seed");
    }
}

mod tiny_vector {
    use super::*;

    // §4.4: cache 1024 bytes, dataset 32768 bytes, epoch-0 seed.
    const CACHE_BYTES: u64 = 1024;
    const DATASET_BYTES: u64 = 32768;
    const HEADER: &str = "c9149cc0386e689d789a1c2f3d5d169a61a6218ed30e74414dc736e442ef3d1f";
    const MIX: &str = "e4073cffaef931d37117cefd9afd27ea0f1cad6a981dd2605c4a1ac97c519800";
    const FINAL: &str = "d3539235ee2e6f8db665c0a72169f55b7f6c605712330b778ec3944f0eb5a557";

    fn tiny_cache() -> Cache {
        Cache::build(CACHE_BYTES, &[0u8; 32], &Progress::none()).unwrap()
    }

    #[test]
    fn the_cache_starts_with_the_published_bytes() {
        let cache = tiny_cache();
        assert_eq!(cache.items(), 16);
        assert_eq!(
            hex(&cache.node(0).to_bytes()[..32]),
            "7ce2991c951f7bf4c4c1bb119887ee07871eb5339d7b97b8588e85c742de90e5"
        );
    }

    #[test]
    fn the_light_hash_gives_the_published_mix_and_final() {
        let result = hash_light(&tiny_cache(), DATASET_BYTES, &unhex32(HEADER), 0);
        assert_eq!(hex(&result.mix), MIX);
        assert_eq!(hex(&result.final_hash), FINAL);
    }

    #[test]
    fn the_full_hash_equals_the_light_hash() {
        let cache = tiny_cache();
        for threads in [1, 3] {
            let dataset =
                Dataset::build(&cache, DATASET_BYTES, threads, &Progress::none()).unwrap();
            assert_eq!(dataset.bytes(), DATASET_BYTES);
            for i in 0..(DATASET_BYTES / 64) as u32 {
                assert_eq!(*dataset.node(i as usize), cache.dataset_item(i), "item {i}");
            }
            let result = hash_full(&dataset, &unhex32(HEADER), 0);
            assert_eq!(hex(&result.mix), MIX);
            assert_eq!(hex(&result.final_hash), FINAL);
        }
    }

    #[test]
    fn item_pairs_equal_single_items() {
        let cache = tiny_cache();
        for i in [0u32, 1, 2, 511, 1000, u32::MAX - 1] {
            let [a, b] = cache.dataset_item_pair(i);
            assert_eq!(a, cache.dataset_item(i));
            assert_eq!(b, cache.dataset_item(i.wrapping_add(1)));
        }
    }

    #[test]
    fn quick_final_of_the_true_mix_is_the_final() {
        let header = unhex32(HEADER);
        assert_eq!(hex(&quick_final(&header, 0, &unhex32(MIX))), FINAL);
    }

    #[test]
    fn progress_is_increasing_and_below_one() {
        let seen = std::sync::Mutex::new(Vec::new());
        let sink = |f: f64| seen.lock().unwrap().push(f);
        let cache =
            Cache::build(64 * 4096, &[0u8; 32], &Progress::new(Some(&sink), 4 * 4096)).unwrap();
        let _ = Dataset::build(
            &cache,
            128 * 65536,
            2,
            &Progress::new(Some(&sink), 2 * 65536),
        )
        .unwrap();
        let seen = seen.into_inner().unwrap();
        let (c, d) = seen.split_at(99);
        for part in [c, d] {
            assert_eq!(part.len(), 99);
            assert!(part.windows(2).all(|w| w[0] < w[1]));
            assert!(part[0] > 0.0 && part[98] < 1.0);
        }
    }

    #[test]
    fn a_scan_finds_exactly_the_nonces_whose_final_is_at_most_the_target() {
        let cache = tiny_cache();
        let header = unhex32(HEADER);
        // a loose target: about 1 in 16 nonces
        let mut target = [0xffu8; 32];
        target[0] = 0x0f;
        let range = Range {
            start: u64::MAX - 299,
            count: 300,
        };
        let expected: Vec<u64> = (range.start..=u64::MAX)
            .filter(|&n| hash_light(&cache, DATASET_BYTES, &header, n).final_hash <= target)
            .collect();
        assert!(!expected.is_empty());
        for threads in [1, 4] {
            let out = scan(range, &target, threads, |n| {
                hash_light(&cache, DATASET_BYTES, &header, n)
            });
            assert_eq!(out.hashes, 300);
            assert_eq!(
                out.hits.iter().map(|h| h.nonce).collect::<Vec<_>>(),
                expected
            );
            for hit in &out.hits {
                assert_eq!(
                    hit.result,
                    hash_light(&cache, DATASET_BYTES, &header, hit.nonce)
                );
            }
        }
    }

    #[test]
    fn a_scan_keeps_at_most_max_hits() {
        let cache = tiny_cache();
        let out = scan(
            Range {
                start: 0,
                count: MAX_HITS as u64 + 10,
            },
            &[0xff; 32],
            2,
            |n| hash_light(&cache, DATASET_BYTES, &[0; 32], n),
        );
        assert_eq!(out.hits.len(), MAX_HITS);
        assert_eq!(out.dropped, 10);
        assert!(out.hits.windows(2).all(|w| w[0].nonce < w[1].nonce));
    }
}

mod arguments {
    use super::*;
    use crate::cache::check_cache_bytes;
    use crate::dataset::check_dataset_bytes;

    #[test]
    fn ranges_past_2_pow_64_are_refused() {
        assert!(check_range(u64::MAX, 1.0).is_ok());
        assert!(check_range(u64::MAX - 9, 10.0).is_ok());
        let err = check_range(u64::MAX - 9, 11.0).unwrap_err();
        assert!(
            err.contains("18446744073709551606") && err.contains("2^64"),
            "{err}"
        );
        assert!(check_range(0, 1.5).unwrap_err().contains("1.5"));
        assert!(check_range(0, -1.0).is_err());
    }

    #[test]
    fn sizes_and_threads_are_checked() {
        assert_eq!(check_cache_bytes(1024.0), Ok(1024));
        assert!(check_cache_bytes(1000.0).unwrap_err().contains("1000"));
        assert!(check_cache_bytes(0.0).is_err());
        assert_eq!(check_dataset_bytes(32768.0), Ok(32768));
        assert!(check_dataset_bytes(32832.0).unwrap_err().contains("32832"));
        assert!(check_threads(0.0).unwrap_err().contains("threads is 0"));
        assert!(check_threads(257.0).is_err());
        assert_eq!(check_threads(2.0), Ok(2));
    }
}
