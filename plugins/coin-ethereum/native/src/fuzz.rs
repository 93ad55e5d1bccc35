//! Fuzz targets for the input handling behind the napi surface (stable Rust,
//! no extra crates): the size, range and thread checks (`check_cache_bytes`,
//! `check_dataset_bytes`, `check_range`, `check_threads`, given the f64 JS
//! hands over), FastMod against `%`, the light hash against the full hash
//! on random tiny caches and datasets (and huge dataset sizes over a tiny
//! cache), `quick_final` against the hash's own final, seed epochs, and
//! scans over random ranges up to 2^64 checked nonce by nonce.
//!
//! Arguments are random but biased to the edges (NaN, ±inf, -0, fractions,
//! 2^32, 2^38, 2^64 - 1). Each target runs `LODE_FUZZ_CASES` cases
//! (default: a CI-sized run); a longer run is
//! `LODE_FUZZ_CASES=1000000 cargo test --profile ci --locked --workspace fuzz`.
//! A failing case prints its seed and index; `LODE_FUZZ_SEED` replays it.

use crate::cache::{check_cache_bytes, Cache, FastMod};
use crate::dataset::{check_dataset_bytes, Dataset};
use crate::hashimoto::{hash_full, hash_light, quick_final, PowResult};
use crate::params::{seed_epoch_of, seed_hash};
use crate::progress::Progress;
use crate::scan::{check_range, check_threads, scan, MAX_HITS, MAX_THREADS};

#[path = "../../../coin-bitcoin/native/src/fuzz_support.rs"]
mod fuzz_support;
use fuzz_support::{fuzz, is_integer_in, Rng};

/// Argument generators of this crate's targets.
impl Rng {
    fn array32(&mut self) -> [u8; 32] {
        let mut out = [0u8; 32];
        for b in out.iter_mut() {
            *b = self.next() as u8;
        }
        out
    }

    /// An f64 as JS may pass it: special values, values at the edges of `edges`, random bit patterns, integers.
    fn arg(&mut self, edges: &[f64]) -> f64 {
        const SPECIAL: [f64; 10] = [
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            -0.0,
            0.0,
            0.5,
            -1.0,
            f64::EPSILON,
            9_007_199_254_740_992.0,
            f64::MAX,
        ];
        match self.below(5) {
            0 => SPECIAL[self.below(SPECIAL.len() as u64) as usize],
            1 | 2 => {
                let e = edges[self.below(edges.len() as u64) as usize];
                let k = [1.0, 64.0, 128.0][self.below(3) as usize];
                [e - k, e, e + k, e - 0.5, e + 0.25, -e, e * 2.0][self.below(7) as usize]
            }
            3 => f64::from_bits(self.next()),
            _ => (self.next() >> self.below(64)) as f64,
        }
    }

    /// A u64 nonce, often near 0 or 2^64.
    fn nonce(&mut self) -> u64 {
        match self.below(4) {
            0 => self.below(1000),
            1 => u64::MAX - self.below(1000),
            _ => self.next(),
        }
    }
}

const TWO_32: f64 = 4_294_967_296.0;
const TWO_38: f64 = 274_877_906_944.0;
const TWO_64: f64 = 18_446_744_073_709_551_616.0;

#[test]
fn fuzz_size_range_and_thread_checks_accept_exactly_their_domain() {
    fuzz("checks", 20_000, 1, |rng| {
        let cache = rng.arg(&[64.0, TWO_32]);
        let expected = is_integer_in(cache, 64.0, TWO_32) && cache % 64.0 == 0.0;
        match check_cache_bytes(cache) {
            Ok(bytes) => assert!(
                expected && bytes as f64 == cache,
                "cacheBytes {cache} accepted as {bytes}"
            ),
            Err(message) => assert!(
                !expected && message.starts_with("cacheBytes is"),
                "cacheBytes {cache}: {message}"
            ),
        }

        let dataset = rng.arg(&[128.0, TWO_38]);
        let expected = is_integer_in(dataset, 128.0, TWO_38) && dataset % 128.0 == 0.0;
        match check_dataset_bytes(dataset) {
            Ok(bytes) => assert!(
                expected && bytes as f64 == dataset,
                "datasetBytes {dataset} accepted as {bytes}"
            ),
            Err(message) => assert!(
                !expected && message.starts_with("datasetBytes is"),
                "datasetBytes {dataset}: {message}"
            ),
        }

        let threads = rng.arg(&[1.0, f64::from(MAX_THREADS)]);
        let expected = is_integer_in(threads, 1.0, f64::from(MAX_THREADS));
        match check_threads(threads) {
            Ok(t) => assert!(
                expected && f64::from(t) == threads,
                "threads {threads} accepted as {t}"
            ),
            Err(message) => assert!(
                !expected && message.starts_with("threads is"),
                "threads {threads}: {message}"
            ),
        }

        let start = rng.nonce();
        let count = rng.arg(&[0.0, TWO_32, TWO_64 - start as f64]);
        let expected = is_integer_in(count, 0.0, TWO_32 - 1.0)
            && u128::from(start) + count as u128 <= 1u128 << 64;
        match check_range(start, count) {
            Ok(range) => {
                assert!(expected, "start {start} count {count} accepted");
                assert_eq!((range.start, range.count as f64), (start, count));
            }
            Err(message) => assert!(!expected, "start {start} count {count} refused: {message}"),
        }
    });
}

#[test]
fn fuzz_fastmod_is_the_remainder() {
    fuzz("fastmod", 2_000, 10, |rng| {
        let d = match rng.below(3) {
            0 => 1 + rng.below(1000) as u32,
            1 => u32::MAX - rng.below(1000) as u32,
            _ => (rng.next() as u32).max(1),
        };
        let m = FastMod::new(d);
        for _ in 0..100 {
            let a = [rng.next() as u32, d.wrapping_sub(1), d, u32::MAX, 0][rng.below(5) as usize];
            assert_eq!(m.rem(a), a % d, "{a} mod {d}");
        }
    });
}

#[test]
fn fuzz_light_and_full_hashes_agree_on_random_tiny_caches() {
    fuzz("light_full", 60, 5_000, |rng| {
        let cache_bytes = 64 * (1 + rng.below(64));
        let seed = rng.array32();
        let cache = Cache::build(cache_bytes, &seed, &Progress::none()).expect("a tiny cache");
        let dataset_bytes = 128 * (1 + rng.below(64));
        let threads = 1 + rng.below(4) as u32;
        let dataset = Dataset::build(&cache, dataset_bytes, threads, &Progress::none())
            .expect("a tiny dataset");
        for _ in 0..8 {
            let header = rng.array32();
            let nonce = rng.nonce();
            let light = hash_light(&cache, dataset_bytes, &header, nonce);
            assert_eq!(
                light,
                hash_full(&dataset, &header, nonce),
                "cache {cache_bytes} B, dataset {dataset_bytes} B, nonce {nonce}"
            );
            assert_eq!(quick_final(&header, nonce, &light.mix), light.final_hash);
            // Any dataset size the checks accept works over any cache (2^38 bytes: 2^31 pages).
            let huge = check_dataset_bytes(
                [
                    TWO_38,
                    128.0 * (1u64 << 30) as f64,
                    128.0 * (1 + rng.below(1 << 20)) as f64,
                ][rng.below(3) as usize],
            )
            .expect("valid size");
            let far = hash_light(&cache, huge, &header, nonce);
            assert_eq!(quick_final(&header, nonce, &far.mix), far.final_hash);
        }
    });
}

#[test]
fn fuzz_scan_returns_exactly_the_hits_at_or_below_the_target() {
    fuzz("scan", 300, 200, |rng| {
        let header = rng.array32();
        let mix = rng.array32();
        let hash = |nonce: u64| PowResult {
            mix,
            final_hash: quick_final(&header, nonce, &mix),
        };
        let count =
            [rng.below(64), rng.below(700), 5000][[0, 0, 0, 1, 1, 1, 1, 2][rng.below(8) as usize]];
        // the last start that fits: 2^64 - count (any start for an empty range)
        let last = if count == 0 {
            u64::MAX
        } else {
            u64::MAX - (count - 1)
        };
        let start = match rng.below(3) {
            0 => last,
            1 => rng.below(1000),
            _ => rng.next() % last.max(1),
        };
        let range = check_range(start, count as f64).expect("a range within 2^64");
        let threads = check_threads(1.0 + rng.below(8) as f64).expect("1..8 threads");
        let target = match rng.below(3) {
            0 => [0xff; 32],
            1 if count > 0 => hash(start.wrapping_add(rng.below(count))).final_hash,
            _ => {
                let mut t = rng.array32();
                t[0] >>= rng.below(8);
                t
            }
        };
        let outcome = scan(range, &target, threads, hash);
        let expected: Vec<u64> = (0..count)
            .map(|k| start.wrapping_add(k))
            .filter(|&n| hash(n).final_hash <= target)
            .collect();
        assert_eq!(outcome.hashes, count);
        assert_eq!(
            outcome.hits.len(),
            expected.len().min(MAX_HITS),
            "start {start} count {count} threads {threads}"
        );
        assert_eq!(
            outcome.dropped as usize,
            expected.len() - outcome.hits.len()
        );
        for (hit, &nonce) in outcome.hits.iter().zip(&expected) {
            assert_eq!(hit.nonce, nonce);
            assert_eq!(hit.result, hash(nonce));
        }
    });
}

#[test]
fn fuzz_seed_epochs_are_found_only_on_the_chain() {
    fuzz("seed_epochs", 500, 100, |rng| {
        let max = rng.below(300) as u32;
        let k = rng.below(320) as u32;
        assert_eq!(
            seed_epoch_of(&seed_hash(k), max),
            (k <= max).then_some(k),
            "seed epoch {k}, max {max}"
        );
        // A random seed is on no chain (2^-256 aside).
        assert_eq!(seed_epoch_of(&rng.array32(), max.min(50)), None);
    });
}
