//! `scan`'s input handling (binding.rs `scan` → `Implementation::resolve` +
//! `ScanJob::new`): header and target lengths, startNonce/count/threads as
//! the f64 JS passes, implementation names; accepted exactly when the
//! documented rules say so, with the documented message otherwise. An
//! accepted job is then run (count capped at 40, threads at 4) on every
//! implementation and checked nonce by nonce against the `sha2` crate and an
//! independent little-endian 256-bit comparison (facts/bitcoin-stratum.md,
//! "Byte orders").
#![no_main]

use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use lode_coin_bitcoin_native_fuzz::implementation::{sha_ni_available, Implementation};
use lode_coin_bitcoin_native_fuzz::input::{bytes_near, is_integer_in, js_number, name};
use lode_coin_bitcoin_native_fuzz::scan::{ScanJob, MAX_THREADS, NONCE_SPACE};
use sha2::{Digest, Sha256};

const SPACE: f64 = NONCE_SPACE as f64;

fn header_hash(header: &[u8; 80], nonce: u32) -> [u8; 32] {
    let mut h = *header;
    h[76..].copy_from_slice(&nonce.to_le_bytes());
    Sha256::digest(Sha256::digest(h)).into()
}

/// a <= b as 256-bit little-endian numbers, compared from the last byte.
fn le_at_most(a: &[u8; 32], b: &[u8; 32]) -> bool {
    for i in (0..32).rev() {
        if a[i] != b[i] {
            return a[i] < b[i];
        }
    }
    true
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let requested = name(&mut u, &["auto", "portable", "sha-ni", "SHA-NI", "auto ", ""]);
    let header = bytes_near(&mut u, 80);
    let target = bytes_near(&mut u, 32);
    let start = js_number(&mut u, &[0.0, SPACE - 1.0, SPACE]);
    let count = js_number(&mut u, &[0.0, 1.0, SPACE, SPACE - start.max(0.0)]);
    let threads = js_number(&mut u, &[1.0, f64::from(MAX_THREADS)]);

    let imp = match (requested.as_deref(), Implementation::resolve(requested.as_deref())) {
        (None | Some("auto"), Ok(imp)) => {
            assert_eq!(imp, Implementation::best());
            imp
        }
        (Some("portable"), Ok(imp)) => {
            assert_eq!(imp, Implementation::Portable);
            imp
        }
        (Some("sha-ni"), Ok(imp)) => {
            assert!(sha_ni_available());
            assert_eq!(imp, Implementation::ShaNi);
            imp
        }
        (Some("sha-ni"), Err(message)) => {
            assert!(!sha_ni_available(), "{message}");
            return;
        }
        (Some(other), Err(message)) => {
            assert!(!["auto", "portable", "sha-ni"].contains(&other));
            assert!(message.starts_with("implementation "), "{message}");
            return;
        }
        (req, got) => panic!("implementation {req:?} resolved to {got:?}"),
    };

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
    let job = match (ScanJob::new(&header, start, count, &target, threads, imp), expected_error) {
        (Ok(job), None) => job,
        (Err(message), Some(prefix)) => {
            assert!(message.starts_with(prefix), "{message:?} should start with {prefix:?}");
            return;
        }
        (got, expected) => panic!(
            "header {} B, target {} B, start {start}, count {count}, threads {threads}: got {got:?}, expected error {expected:?}",
            header.len(),
            target.len()
        ),
    };
    assert_eq!(u64::from(job.start), start as u64);
    assert_eq!(job.count, count as u64);
    assert_eq!(job.threads, threads as u32);

    // Run a capped copy; the target may be steered onto a hash's exact value.
    let count = job.count.min(u64::from(u.arbitrary::<u8>().unwrap_or(0) % 41));
    let threads = 1 + (job.threads - 1) % 4;
    let mut target: [u8; 32] = job.target;
    let mode = u.arbitrary::<u8>().unwrap_or(0);
    if count > 0 && mode % 4 >= 2 {
        let k = u64::from(u.arbitrary::<u8>().unwrap_or(0)) % count;
        target = header_hash(&job.header, (u64::from(job.start) + k) as u32);
        if mode % 4 == 3 {
            // one less: that nonce is then just above the target (unless the hash is 0)
            for b in target.iter_mut() {
                let (v, borrow) = b.overflowing_sub(1);
                *b = v;
                if !borrow {
                    break;
                }
            }
        }
    } else if mode % 8 == 1 {
        target = [0xff; 32];
    }
    let expected: Vec<(u32, [u8; 32])> = (u64::from(job.start)..u64::from(job.start) + count)
        .map(|n| (n as u32, header_hash(&job.header, n as u32)))
        .filter(|(_, h)| le_at_most(h, &target))
        .collect();
    for imp in Implementation::available() {
        let capped = ScanJob {
            count,
            threads,
            target,
            implementation: imp,
            ..job.clone()
        };
        let outcome = capped.run();
        assert_eq!(outcome.hashes, count);
        assert_eq!(outcome.dropped, 0);
        let got: Vec<(u32, [u8; 32])> = outcome.hits.iter().map(|h| (h.nonce, h.hash)).collect();
        assert_eq!(got, expected, "{imp:?} start {} count {count} threads {threads}", job.start);
    }
});
