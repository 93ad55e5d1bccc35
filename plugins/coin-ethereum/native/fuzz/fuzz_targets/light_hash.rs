//! hashimoto with arbitrary header hashes, nonces and dataset sizes
//! (binding.rs `LightCache.hash`, `Dataset.hash`, `quickFinal`, `scanLight`)
//! over the tiny test cache and dataset of facts/ethash.md §4.4 (1024-byte
//! cache from the epoch-0 seed, 32768-byte dataset): light == full,
//! `quick_final(header, nonce, mix)` == the hash's final, any dataset size
//! the check accepts (up to 2^38 bytes, 2^31 pages) hashes over the tiny
//! cache, and a scan of up to 8 nonces anywhere in [0, 2^64) returns
//! exactly the nonces whose final hash is <= the big-endian target.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use lode_coin_ethereum_native_fuzz::cache::Cache;
use lode_coin_ethereum_native_fuzz::dataset::{check_dataset_bytes, Dataset};
use lode_coin_ethereum_native_fuzz::hashimoto::{hash_full, hash_light, quick_final};
use lode_coin_ethereum_native_fuzz::input::{array, js_number};
use lode_coin_ethereum_native_fuzz::progress::Progress;
use lode_coin_ethereum_native_fuzz::scan::{check_range, check_threads, scan};

const CACHE_BYTES: u64 = 1024;
const DATASET_BYTES: u64 = 32768;

fn tiny() -> &'static (Cache, Dataset) {
    static TINY: OnceLock<(Cache, Dataset)> = OnceLock::new();
    TINY.get_or_init(|| {
        let cache = Cache::build(CACHE_BYTES, &[0u8; 32], &Progress::none()).expect("tiny cache");
        let dataset =
            Dataset::build(&cache, DATASET_BYTES, 1, &Progress::none()).expect("tiny dataset");
        (cache, dataset)
    })
}

fuzz_target!(|data: &[u8]| {
    let (cache, dataset) = tiny();
    let mut u = Unstructured::new(data);
    let header: [u8; 32] = array(&mut u);
    let nonce: u64 = u.arbitrary().unwrap_or(0);

    let light = hash_light(cache, DATASET_BYTES, &header, nonce);
    assert_eq!(light, hash_full(dataset, &header, nonce), "nonce {nonce}");
    assert_eq!(quick_final(&header, nonce, &light.mix), light.final_hash);

    // Any accepted dataset size over the tiny cache (pages up to 2^31).
    let bytes = js_number(&mut u, &[128.0, 32768.0, 274_877_906_944.0, 274_877_906_816.0]);
    if let Ok(bytes) = check_dataset_bytes(bytes) {
        let far = hash_light(cache, bytes, &header, nonce);
        assert_eq!(quick_final(&header, nonce, &far.mix), far.final_hash, "{bytes} B");
        if bytes == DATASET_BYTES {
            assert_eq!(far, light);
        }
    }

    // A claimed mix that is not the hash's own gives another final (2^-256 aside).
    let claimed: [u8; 32] = array(&mut u);
    if claimed != light.mix {
        assert_ne!(quick_final(&header, nonce, &claimed), light.final_hash);
    }

    // A short scan near the fuzzed nonce (up to the end of the nonce space).
    let count = u64::from(u.arbitrary::<u8>().unwrap_or(0) % 9);
    let start = nonce.min(u64::MAX - count.saturating_sub(1));
    let range = check_range(start, count as f64).expect("a range within 2^64");
    let threads = check_threads(f64::from(1 + u.arbitrary::<u8>().unwrap_or(0) % 4)).expect("1..4");
    let mode = u.arbitrary::<u8>().unwrap_or(0);
    let target: [u8; 32] = match mode % 4 {
        0 => [0xff; 32],
        1 if count > 0 => {
            let k = u64::from(mode / 4) % count;
            hash_light(cache, DATASET_BYTES, &header, start + k).final_hash
        }
        _ => array(&mut u),
    };
    let outcome = scan(range, &target, threads, |n| hash_light(cache, DATASET_BYTES, &header, n));
    let expected: Vec<u64> = (0..count)
        .map(|k| start + k)
        .filter(|&n| hash_full(dataset, &header, n).final_hash <= target)
        .collect();
    assert_eq!(outcome.hashes, count);
    assert_eq!(outcome.dropped, 0);
    let got: Vec<u64> = outcome.hits.iter().map(|h| h.nonce).collect();
    assert_eq!(got, expected, "start {start} count {count} threads {threads}");
    for hit in &outcome.hits {
        assert_eq!(hit.result, hash_full(dataset, &header, hit.nonce));
    }
});
