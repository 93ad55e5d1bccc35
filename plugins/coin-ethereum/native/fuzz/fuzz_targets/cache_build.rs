//! `buildLightCache` / `buildDataset` inputs (binding.rs → cache.rs,
//! dataset.rs, progress.rs) at tiny sizes: any cache size that
//! `check_cache_bytes` accepts up to 8 KiB, any seed, 1..4 threads. The
//! cache's digest equals tiny-keccak's keccak256 of its bytes (§4.6), item
//! pairs equal single items (indices up to 2^32 - 1, where the pair wraps),
//! a dataset built on several threads equals its items, the light hash
//! equals the full hash over it, and progress reports arrive strictly
//! increasing in (0, 1).
#![no_main]

use std::sync::Mutex;

use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use lode_coin_ethereum_native_fuzz::cache::{check_cache_bytes, Cache};
use lode_coin_ethereum_native_fuzz::dataset::{check_dataset_bytes, Dataset};
use lode_coin_ethereum_native_fuzz::hashimoto::{hash_full, hash_light};
use lode_coin_ethereum_native_fuzz::input::array;
use lode_coin_ethereum_native_fuzz::progress::Progress;
use tiny_keccak::{Hasher, Keccak};

fn increasing(reports: &[f64]) -> bool {
    reports.windows(2).all(|w| w[0] < w[1]) && reports.iter().all(|&f| f > 0.0 && f < 1.0)
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let items = 1 + u64::from(u.arbitrary::<u8>().unwrap_or(0) % 128);
    let cache_bytes = check_cache_bytes((64 * items) as f64).expect("a multiple of 64");
    let seed: [u8; 32] = array(&mut u);

    let reports = Mutex::new(Vec::new());
    let sink = |f: f64| reports.lock().unwrap().push(f);
    let cache = Cache::build(cache_bytes, &seed, &Progress::new(Some(&sink), 4 * items))
        .expect("a tiny cache");
    let reports = reports.into_inner().unwrap();
    assert!(increasing(&reports), "{reports:?}");
    assert_eq!(cache.items() as u64, items);
    assert_eq!(cache.bytes(), cache_bytes);

    let mut keccak = Keccak::v256();
    for i in 0..cache.items() {
        keccak.update(&cache.node(i).to_bytes());
    }
    let mut digest = [0u8; 32];
    keccak.finalize(&mut digest);
    assert_eq!(cache.digest(), digest);

    for _ in 0..4 {
        let i: u32 = u.arbitrary().unwrap_or(u32::MAX);
        let [a, b] = cache.dataset_item_pair(i);
        assert_eq!(a, cache.dataset_item(i), "item {i}");
        assert_eq!(b, cache.dataset_item(i.wrapping_add(1)), "item {i} + 1");
    }

    let pages = 1 + u64::from(u.arbitrary::<u8>().unwrap_or(0) % 64);
    let dataset_bytes = check_dataset_bytes((128 * pages) as f64).expect("a multiple of 128");
    let threads = 1 + u32::from(u.arbitrary::<u8>().unwrap_or(0) % 4);
    let reports = Mutex::new(Vec::new());
    let sink = |f: f64| reports.lock().unwrap().push(f);
    let dataset =
        Dataset::build(&cache, dataset_bytes, threads, &Progress::new(Some(&sink), 2 * pages))
            .expect("a tiny dataset");
    let reports = reports.into_inner().unwrap();
    assert!(increasing(&reports), "{reports:?}");
    assert_eq!(dataset.bytes(), dataset_bytes);
    for i in 0..(2 * pages) as usize {
        assert_eq!(*dataset.node(i), cache.dataset_item(i as u32), "item {i}, {threads} threads");
    }
    let header: [u8; 32] = array(&mut u);
    let nonce: u64 = u.arbitrary().unwrap_or(0);
    assert_eq!(hash_light(&cache, dataset_bytes, &header, nonce), hash_full(&dataset, &header, nonce));
});
