//! Fuzz targets for the input handling behind the napi surface (stable Rust,
//! no extra crates): `ScanJob::new` (header and target lengths, startNonce,
//! count and threads as the f64 JS hands over), `Implementation::resolve`
//! (any string), `sha256d` of any length against the `sha2` crate, and
//! scans on random headers with targets placed exactly at a hash (the early
//! reject after round 60 must keep every hit) checked nonce by nonce against
//! `sha2`.
//!
//! Arguments are random but biased to the edges (NaN, ±inf, -0, fractions,
//! 2^32 ± 1, 2^53, lengths 0, 79, 80, 81). Each target runs
//! `LODE_FUZZ_CASES` cases (default: a CI-sized run); a longer run is
//! `LODE_FUZZ_CASES=1000000 cargo test --profile ci --locked --workspace fuzz`.
//! A failing case prints its seed and index; `LODE_FUZZ_SEED` replays it.

use sha2::{Digest, Sha256};

use crate::implementation::Implementation;
use crate::scan::{ScanJob, MAX_HITS, MAX_THREADS, NONCE_SPACE};
use crate::sha256::sha256d;

#[path = "fuzz_support.rs"]
mod fuzz_support;
use fuzz_support::{fuzz, is_integer_in, Rng};

/// Argument generators of this crate's targets.
impl Rng {
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }

    /// Random bytes of a length near `interesting`.
    fn bytes_near(&mut self, interesting: usize) -> Vec<u8> {
        let n = self.len(interesting);
        self.bytes(n)
    }

    /// A length, mostly near the interesting ones.
    fn len(&mut self, interesting: usize) -> usize {
        match self.below(4) {
            0 => interesting,
            1 => interesting.saturating_sub(1) + self.below(3) as usize,
            2 => self.below(2 * interesting as u64 + 2) as usize,
            _ => self.below(8) as usize,
        }
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
                [e - 1.0, e, e + 1.0, e - 0.5, e + 0.25, -e][self.below(6) as usize]
            }
            3 => f64::from_bits(self.next()),
            _ => self.below(1 << 34) as f64,
        }
    }
}

fn oracle(data: &[u8]) -> [u8; 32] {
    Sha256::digest(Sha256::digest(data)).into()
}

/// `a <= b` for 256-bit numbers stored little-endian (hash byte order), written independently of scan.rs.
fn le_at_most(a: &[u8; 32], b: &[u8; 32]) -> bool {
    for i in (0..32).rev() {
        if a[i] != b[i] {
            return a[i] < b[i];
        }
    }
    true
}

const SPACE: f64 = NONCE_SPACE as f64;

#[test]
fn fuzz_scan_job_accepts_exactly_the_documented_arguments() {
    fuzz("scan_job_arguments", 20_000, 1, |rng| {
        let header = rng.bytes_near(80);
        let target = rng.bytes_near(32);
        let start = rng.arg(&[0.0, SPACE - 1.0, SPACE]);
        let count = rng.arg(&[0.0, 1.0, SPACE, SPACE - start.max(0.0)]);
        let threads = rng.arg(&[1.0, f64::from(MAX_THREADS)]);
        let got = ScanJob::new(
            &header,
            start,
            count,
            &target,
            threads,
            Implementation::Portable,
        );
        // The documented rules, checked in the documented order (the error names the first bad value).
        let expected_error = if header.len() != 80 {
            Some("header is")
        } else if target.len() != 32 {
            Some("target is")
        } else if !(is_integer_in(start, 0.0, SPACE - 1.0)) {
            Some("startNonce is")
        } else if !is_integer_in(count, 0.0, SPACE) {
            Some("count is")
        } else if start + count > SPACE {
            Some("startNonce ")
        } else if !is_integer_in(threads, 1.0, f64::from(MAX_THREADS)) {
            Some("threads is")
        } else {
            None
        };
        match (got, expected_error) {
            (Ok(job), None) => {
                assert_eq!(u64::from(job.start), start as u64);
                assert_eq!(job.count, count as u64);
                assert_eq!(job.threads, threads as u32);
                assert!(u64::from(job.start) + job.count <= NONCE_SPACE);
            }
            (Err(message), Some(prefix)) => assert!(message.starts_with(prefix), "{message:?} should start with {prefix:?} (start {start}, count {count}, threads {threads})"),
            (got, expected) => panic!("start {start}, count {count}, threads {threads}, header {} B, target {} B: got {got:?}, expected error {expected:?}", header.len(), target.len()),
        }
    });
}

#[test]
fn fuzz_implementation_names() {
    fuzz("implementation_names", 20_000, 1, |rng| {
        let names = [
            "auto",
            "portable",
            "sha-ni",
            "SHA-NI",
            "auto ",
            "",
            "portable\0",
            "avx2",
        ];
        let name = if rng.below(2) == 0 {
            names[rng.below(names.len() as u64) as usize].to_owned()
        } else {
            String::from_utf8_lossy(&rng.bytes_near(8)).into_owned()
        };
        match Implementation::resolve(Some(&name)) {
            Ok(imp) => {
                assert!(
                    ["auto", "portable", "sha-ni"].contains(&name.as_str()),
                    "{name:?} resolved"
                );
                assert!(Implementation::available().contains(&imp));
            }
            Err(message) => {
                assert!(
                    !["auto", "portable"].contains(&name.as_str()),
                    "{name:?} refused"
                );
                assert!(message.contains("implementation"), "{message}");
            }
        }
    });
}

#[test]
fn fuzz_sha256d_of_any_length_matches_sha2() {
    let available = Implementation::available();
    fuzz("sha256d_lengths", 5_000, 4, |rng| {
        let len = [
            rng.below(300) as usize,
            rng.len(64),
            rng.len(80),
            rng.below(4096) as usize,
        ][rng.below(4) as usize];
        let data = rng.bytes(len);
        for &imp in &available {
            assert_eq!(sha256d(imp, &data), oracle(&data), "{imp:?}, {len} bytes");
        }
    });
}

#[test]
fn fuzz_scan_finds_exactly_the_hashes_at_or_below_the_target() {
    let available = Implementation::available();
    fuzz("scan_hits", 300, 200, |rng| {
        let header: [u8; 80] = rng.bytes(80).try_into().expect("80 bytes");
        let count = [
            rng.below(64),
            rng.below(64),
            rng.below(64),
            rng.below(600),
            rng.below(600),
            rng.below(600),
            rng.below(600),
            5000,
        ][rng.below(8) as usize];
        // startNonce is at most 2^32 - 1 even for an empty range
        let start = if rng.below(4) == 0 {
            NONCE_SPACE - count.max(1)
        } else {
            rng.below(NONCE_SPACE - count.max(1) + 1)
        };
        let threads = 1 + rng.below(8);
        let hash_at = |nonce: u32| {
            let mut h = header;
            h[76..].copy_from_slice(&nonce.to_le_bytes());
            oracle(&h)
        };
        // A target at a real hash (or one below it) puts the comparison's edge inside the range.
        let target: [u8; 32] = match rng.below(4) {
            0 => [0xff; 32],
            1 if count > 0 => {
                let mut t = hash_at((start + rng.below(count)) as u32);
                if rng.below(2) == 0 {
                    // one less, little-endian
                    for b in t.iter_mut() {
                        let (v, borrow) = b.overflowing_sub(1);
                        *b = v;
                        if !borrow {
                            break;
                        }
                    }
                }
                t
            }
            _ => {
                let mut t = [0u8; 32];
                let top = 31 - rng.below(3) as usize;
                t[..top].copy_from_slice(&rng.bytes(top));
                t[top] = rng.next() as u8;
                t
            }
        };
        let imp = available[rng.below(available.len() as u64) as usize];
        let job = ScanJob::new(
            &header,
            start as f64,
            count as f64,
            &target,
            threads as f64,
            imp,
        )
        .expect("valid arguments");
        let outcome = job.run();
        let expected: Vec<u32> = (start..start + count)
            .map(|n| n as u32)
            .filter(|&n| le_at_most(&hash_at(n), &target))
            .collect();
        assert_eq!(outcome.hashes, count);
        assert_eq!(
            outcome.hits.len(),
            expected.len().min(MAX_HITS),
            "{imp:?} start {start} count {count} threads {threads}"
        );
        assert_eq!(
            outcome.dropped as usize,
            expected.len() - outcome.hits.len()
        );
        for (hit, &nonce) in outcome.hits.iter().zip(&expected) {
            assert_eq!(hit.nonce, nonce, "{imp:?}");
            assert_eq!(hit.hash, hash_at(nonce), "{imp:?} nonce {nonce}");
        }
    });
}
