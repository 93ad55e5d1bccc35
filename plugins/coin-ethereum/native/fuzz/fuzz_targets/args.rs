//! The argument checks behind the napi surface (binding.rs `buildLightCache`,
//! `LightCache.hash`, `scanLight`, `buildDataset`) given the f64 JS passes:
//! `check_cache_bytes`, `check_dataset_bytes`, `check_range` (u64 start,
//! f64 count), `check_threads`, against independent oracles; epoch sizes
//! (facts/ethash.md §2.2: multiples of 64/128 with a prime item count,
//! accepted by the checks); seed epochs on and off the keccak256 chain
//! (§2.3); FastMod against `%`; the big-endian target comparison.
#![no_main]

use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use lode_coin_ethereum_native_fuzz::cache::{check_cache_bytes, FastMod};
use lode_coin_ethereum_native_fuzz::dataset::check_dataset_bytes;
use lode_coin_ethereum_native_fuzz::input::{array, is_integer_in, js_number};
use lode_coin_ethereum_native_fuzz::params::{
    cache_size, dataset_size, seed_epoch_of, seed_hash, MAX_EPOCH,
};
use lode_coin_ethereum_native_fuzz::scan::{be_256_at_most, check_range, check_threads, MAX_THREADS};

const TWO_32: f64 = 4_294_967_296.0;
const TWO_38: f64 = 274_877_906_944.0;

fn is_prime(n: u64) -> bool {
    n >= 2 && (2..).take_while(|d| d * d <= n).all(|d| n % d != 0)
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let pick = u.arbitrary::<u8>().unwrap_or(0);
    match pick % 6 {
        0 => {
            let bytes = js_number(&mut u, &[64.0, 1024.0, TWO_32, TWO_32 - 64.0, TWO_32 + 64.0]);
            let ok = is_integer_in(bytes, 64.0, TWO_32) && bytes % 64.0 == 0.0;
            match check_cache_bytes(bytes) {
                Ok(b) => assert!(ok && b as f64 == bytes, "{bytes} accepted as {b}"),
                Err(m) => assert!(!ok && m.starts_with("cacheBytes is"), "{bytes}: {m}"),
            }
            let bytes = js_number(&mut u, &[128.0, 32768.0, TWO_38, TWO_38 - 128.0, TWO_38 + 128.0]);
            let ok = is_integer_in(bytes, 128.0, TWO_38) && bytes % 128.0 == 0.0;
            match check_dataset_bytes(bytes) {
                Ok(b) => assert!(ok && b as f64 == bytes, "{bytes} accepted as {b}"),
                Err(m) => assert!(!ok && m.starts_with("datasetBytes is"), "{bytes}: {m}"),
            }
        }
        1 => {
            let start: u64 = match u.arbitrary::<u8>().unwrap_or(0) % 3 {
                0 => u64::MAX - u64::from(u.arbitrary::<u32>().unwrap_or(0)),
                1 => u64::from(u.arbitrary::<u16>().unwrap_or(0)),
                _ => u.arbitrary().unwrap_or(0),
            };
            let room = (u64::MAX - start) as f64 + 1.0;
            let count = js_number(&mut u, &[0.0, 1.0, TWO_32, room]);
            let expected = if !is_integer_in(count, 0.0, TWO_32 - 1.0) {
                Some("count is")
            } else if start as u128 + count as u128 > 1u128 << 64 {
                Some("startNonce ")
            } else {
                None
            };
            match (check_range(start, count), expected) {
                (Ok(r), None) => assert_eq!((r.start, r.count as f64), (start, count)),
                (Err(m), Some(prefix)) => assert!(m.starts_with(prefix), "{m:?} vs {prefix:?}"),
                (got, want) => panic!("start {start} count {count}: {got:?}, expected {want:?}"),
            }
            let threads = js_number(&mut u, &[1.0, f64::from(MAX_THREADS)]);
            let ok = is_integer_in(threads, 1.0, f64::from(MAX_THREADS));
            match check_threads(threads) {
                Ok(t) => assert!(ok && f64::from(t) == threads, "{threads} accepted as {t}"),
                Err(m) => assert!(!ok && m.starts_with("threads is"), "{threads}: {m}"),
            }
        }
        2 => {
            let epoch = u.arbitrary::<u16>().unwrap_or(0) as u32 % (MAX_EPOCH + 1);
            let c = cache_size(epoch);
            assert!(c % 64 == 0 && c <= (1 << 24) + (1 << 17) * u64::from(epoch) - 64);
            assert!(is_prime(c / 64), "epoch {epoch}: cache {c}");
            assert_eq!(check_cache_bytes(c as f64), Ok(c));
            let d = dataset_size(epoch);
            assert!(d % 128 == 0 && d <= (1 << 30) + (1 << 23) * u64::from(epoch) - 128);
            assert!(is_prime(d / 128), "epoch {epoch}: dataset {d}");
            assert_eq!(check_dataset_bytes(d as f64), Ok(d));
        }
        3 => {
            let max = u32::from(u.arbitrary::<u8>().unwrap_or(0));
            let k = u32::from(u.arbitrary::<u16>().unwrap_or(0) % 320);
            assert_eq!(seed_epoch_of(&seed_hash(k), max), (k <= max).then_some(k), "{k} {max}");
            let seed: [u8; 32] = array(&mut u);
            match seed_epoch_of(&seed, max.min(64)) {
                None => {}
                Some(e) => assert_eq!(seed_hash(e), seed),
            }
        }
        4 => {
            let d: u32 = u.arbitrary().unwrap_or(1).max(1);
            let m = FastMod::new(d);
            for _ in 0..8 {
                let a: u32 = u.arbitrary().unwrap_or(u32::MAX);
                assert_eq!(m.rem(a), a % d, "{a} mod {d}");
            }
        }
        _ => {
            let a: [u8; 32] = array(&mut u);
            let mut b: [u8; 32] = array(&mut u);
            if pick & 0x80 != 0 {
                b = a;
                let i = usize::from(pick & 31);
                b[i] ^= u.arbitrary::<u8>().unwrap_or(1);
            }
            // big-endian: the first differing byte decides
            let want = match a.iter().zip(&b).find(|(x, y)| x != y) {
                None => true,
                Some((x, y)) => x < y,
            };
            assert_eq!(be_256_at_most(&a, &b), want);
        }
    }
});
