//! Fuzz targets for the input handling behind the napi surface (stable Rust,
//! no extra crates): `ScanJob::new` (header and target lengths, startNonce,
//! count and threads as the f64 JS hands over), `implementation::resolve`
//! (any string), SHA-256/d/t of any length against the `sha2` crate, the
//! 256-bit helpers against a bit-by-bit reference, Janushash on random
//! headers (every implementation agrees, the pool's comparison value agrees
//! with the consensus TargetV2 check), and scans on random headers checked
//! nonce by nonce against the one-shot Janushash.
//!
//! Arguments are random but biased to the edges (NaN, ±inf, -0, fractions,
//! 2^32 ± 1, lengths 0, 79, 80, 81). Each target runs `LODE_FUZZ_CASES`
//! cases (default: a CI-sized run); a longer run is
//! `LODE_FUZZ_CASES=1000000 cargo test --profile ci --locked --workspace fuzz`.
//! A failing case prints its seed and index; `LODE_FUZZ_SEED` replays it.

use sha2::{Digest, Sha256};

use crate::implementation::{available, resolve};
use crate::janus::{comparison_value, Janus};
use crate::scan::{ScanJob, MAX_HITS, MAX_THREADS, NONCE_SPACE};
use crate::sha::{sha256, sha256_32, sha256d, sha256t};
use crate::target::{increment_u256_be, shifted_u256_be, TargetV2};

#[path = "../../../coin-bitcoin/native/src/fuzz_support.rs"]
mod fuzz_support;
use fuzz_support::{fuzz, is_integer_in, Rng};

/// Argument generators of this crate's targets.
impl Rng {
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }

    /// Random bytes of a length near `interesting`.
    fn bytes_near(&mut self, interesting: usize) -> Vec<u8> {
        let n = match self.below(4) {
            0 => interesting,
            1 => interesting.saturating_sub(1) + self.below(3) as usize,
            2 => self.below(2 * interesting as u64 + 2) as usize,
            _ => self.below(8) as usize,
        };
        self.bytes(n)
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

const SPACE: f64 = NONCE_SPACE as f64;

/// floor(m · 2^shift) as 256 big-endian bits, all ones when it does not fit: bit by bit, independent of target.rs.
fn reference_shifted(m: u64, shift: i64) -> [u8; 32] {
    let mut out = [0u8; 32];
    for bit in 0..64i64 {
        if m >> bit & 1 == 0 {
            continue;
        }
        let at = bit + shift;
        if at >= 256 {
            return [0xff; 32];
        }
        if at >= 0 {
            out[31 - (at / 8) as usize] |= 1 << (at % 8);
        }
    }
    out
}

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
            lode_verushash::Implementation::Portable,
        );
        let expected_error = if header.len() != 80 {
            Some("header is")
        } else if target.len() != 32 {
            Some("target is")
        } else if !is_integer_in(start, 0.0, SPACE - 1.0) {
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
            }
            (Err(message), Some(prefix)) => assert!(message.starts_with(prefix), "{message:?} should start with {prefix:?}"),
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
            "aes-ni",
            "AES-NI",
            "auto ",
            "",
            "portable\0",
            "sha-ni",
        ];
        let name = if rng.below(2) == 0 {
            names[rng.below(names.len() as u64) as usize].to_owned()
        } else {
            String::from_utf8_lossy(&rng.bytes_near(8)).into_owned()
        };
        match resolve(Some(&name)) {
            Ok(imp) => {
                assert!(
                    ["auto", "portable", "aes-ni"].contains(&name.as_str()),
                    "{name:?} resolved"
                );
                assert!(available().contains(&imp));
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
fn fuzz_sha256_forms_of_any_length_match_sha2() {
    fuzz("sha_lengths", 5_000, 4, |rng| {
        let len =
            [rng.below(300) as usize, 32, 80, rng.below(2048) as usize][rng.below(4) as usize];
        let data = rng.bytes(len);
        let once: [u8; 32] = Sha256::digest(&data).into();
        let twice: [u8; 32] = Sha256::digest(once).into();
        let thrice: [u8; 32] = Sha256::digest(twice).into();
        assert_eq!(sha256(&data), once, "{len} bytes");
        assert_eq!(sha256d(&data), twice, "{len} bytes");
        assert_eq!(sha256t(&data), thrice, "{len} bytes");
        assert_eq!(sha256_32(&once), twice);
    });
}

#[test]
fn fuzz_u256_helpers_match_a_bit_by_bit_reference() {
    fuzz("u256", 20_000, 1, |rng| {
        let m = match rng.below(3) {
            0 => rng.next(),
            1 => rng.next() >> rng.below(64),
            _ => 1 << rng.below(64),
        };
        let shift = match rng.below(3) {
            0 => rng.below(600) as i64 - 300,
            1 => 192 + rng.below(80) as i64,
            _ => i64::from(rng.next() as i32),
        };
        assert_eq!(
            shifted_u256_be(m, shift),
            reference_shifted(m, shift),
            "m {m:#x} shift {shift}"
        );
        let mut value = [0u8; 32];
        let fill = rng.below(33) as usize;
        value[32 - fill..].copy_from_slice(&rng.bytes(fill));
        if rng.below(4) == 0 {
            value = [0xff; 32];
            value[31 - rng.below(32) as usize] = rng.next() as u8;
        }
        let incremented = increment_u256_be(value);
        if value == [0xff; 32] {
            assert_eq!(incremented, [0xff; 32]);
        } else {
            // incremented - 1 == value, borrowing from the end
            let mut back = incremented;
            for b in back.iter_mut().rev() {
                let (v, borrow) = b.overflowing_sub(1);
                *b = v;
                if !borrow {
                    break;
                }
            }
            assert_eq!(back, value);
        }
    });
}

#[test]
fn fuzz_janushash_of_random_headers() {
    let imps = available();
    fuzz("janus", 300, 200, |rng| {
        let mut header: [u8; 80] = rng.bytes(80).try_into().expect("80 bytes");
        // header versions 2 (VerusHash v2.1), 3, 4 (v2.2) and anything else
        let version = [2u32, 3, 4, rng.next() as u32][rng.below(4) as usize];
        header[68..72].copy_from_slice(&version.to_be_bytes());
        let janus = Janus::of_header(&header, imps[0]);
        for &imp in &imps[1..] {
            let other = Janus::of_header(&header, imp);
            assert_eq!(
                (other.block_hash, other.verus, other.steps),
                (janus.block_hash, janus.verus, janus.steps),
                "{imp:?}"
            );
        }
        assert_eq!(janus.block_hash, sha256d(&header));
        assert_eq!(janus.sha256t, sha256t(&header));
        let value = janus.comparison_value();
        if janus.below_c {
            assert_eq!(value, [0xff; 32]);
        } else {
            assert_eq!(value, comparison_value(Some(janus.steps.j)));
            let j = janus.steps.j;
            // J·2^256 = m << (224 + e), exactly; the comparison value is one more
            assert_eq!(
                value,
                increment_u256_be(reference_shifted(
                    u64::from(j.mantissa()),
                    224 + i64::from(j.exponent())
                ))
            );
        }
        // The pool's 256-bit comparison agrees with the consensus TargetV2 check for
        // every normalised target (bits22 with its top bit set) near J.
        let zeros =
            (i64::from(-janus.steps.j.exponent()) + rng.below(5) as i64 - 2).clamp(0, 1023) as u32;
        let bits22 = (1 << 21) | (rng.next() as u32 & 0x1f_ffff);
        let mantissa_near = (janus.steps.j.mantissa() >> 10) + rng.below(3) as u32;
        for raw in [
            zeros << 22 | bits22,
            zeros << 22 | mantissa_near.clamp(1 << 21, 0x3f_ffff),
        ] {
            let t = TargetV2(raw);
            assert_eq!(
                value <= t.to_u256_be(),
                janus.valid(t),
                "target {raw:08x}, J {:?}",
                janus.steps.j
            );
        }
    });
}

#[test]
fn fuzz_scan_matches_the_one_shot_hash_nonce_by_nonce() {
    let imps = available();
    fuzz("scan", 40, 2_000, |rng| {
        let mut header: [u8; 80] = rng.bytes(80).try_into().expect("80 bytes");
        header[68..72].copy_from_slice(&[2u32, 3, 4][rng.below(3) as usize].to_be_bytes());
        let count = rng.below(12);
        let start = if rng.below(3) == 0 {
            NONCE_SPACE - count.max(1)
        } else {
            rng.below(NONCE_SPACE - count.max(1) + 1)
        };
        let janus_at = |nonce: u32| {
            let mut h = header;
            h[76..].copy_from_slice(&nonce.to_be_bytes());
            Janus::of_header(&h, imps[0])
        };
        let target = match rng.below(3) {
            0 => [0xff; 32],
            1 if count > 0 => janus_at((start + rng.below(count)) as u32).comparison_value(),
            _ => {
                let mut t = rng.bytes(32);
                t[0] >>= rng.below(8);
                t.try_into().expect("32 bytes")
            }
        };
        let imp = imps[rng.below(imps.len() as u64) as usize];
        let threads = 1 + rng.below(4);
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
        let expected: Vec<(u32, [u8; 32], [u8; 32])> = (start..start + count)
            .map(|n| (n as u32, janus_at(n as u32)))
            .filter(|(_, j)| !j.below_c && j.comparison_value() <= target)
            .map(|(n, j)| (n, j.comparison_value(), j.block_hash))
            .collect();
        assert_eq!(outcome.hashes, count);
        assert!(expected.len() <= MAX_HITS);
        let got: Vec<(u32, [u8; 32], [u8; 32])> = outcome
            .hits
            .iter()
            .map(|h| (h.nonce, h.value, h.block_hash))
            .collect();
        assert_eq!(
            got, expected,
            "{imp:?} start {start} count {count} threads {threads}"
        );
    });
}
