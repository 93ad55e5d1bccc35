//! `scan`'s input handling (binding.rs `scan` → `implementation::resolve` +
//! `ScanJob::new`): header and target lengths, startNonce/count/threads as
//! the f64 JS passes, implementation names; accepted exactly when the
//! documented rules say so, with the documented message otherwise. An
//! accepted job is then run (count capped at 6, threads at 3) and checked
//! nonce by nonce against the one-shot Janushash (facts/warthog.md §1.1;
//! the nonce is header bytes 76..80 big-endian, §2).
#![no_main]

use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use lode_coin_warthog_native_fuzz::implementation::{available, resolve};
use lode_coin_warthog_native_fuzz::input::{bytes_near, is_integer_in, js_number, name};
use lode_coin_warthog_native_fuzz::janus::Janus;
use lode_coin_warthog_native_fuzz::scan::{ScanJob, MAX_THREADS, NONCE_SPACE};
use lode_verushash::{best_implementation, Implementation};

const SPACE: f64 = NONCE_SPACE as f64;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let requested = name(&mut u, &["auto", "portable", "aes-ni", "AES-NI", "sha-ni", ""]);
    let header = bytes_near(&mut u, 80);
    let target = bytes_near(&mut u, 32);
    let start = js_number(&mut u, &[0.0, SPACE - 1.0, SPACE]);
    let count = js_number(&mut u, &[0.0, 1.0, SPACE, SPACE - start.max(0.0)]);
    let threads = js_number(&mut u, &[1.0, f64::from(MAX_THREADS)]);

    let imp = match (requested.as_deref(), resolve(requested.as_deref())) {
        (None | Some("auto"), Ok(imp)) => {
            assert_eq!(imp, best_implementation());
            imp
        }
        (Some("portable"), Ok(imp)) => {
            assert_eq!(imp, Implementation::Portable);
            imp
        }
        (Some("aes-ni"), Ok(imp)) => {
            assert!(Implementation::AesNi.is_available());
            assert_eq!(imp, Implementation::AesNi);
            imp
        }
        (Some("aes-ni"), Err(message)) => {
            assert!(!Implementation::AesNi.is_available(), "{message}");
            return;
        }
        (Some(other), Err(message)) => {
            assert!(!["auto", "portable", "aes-ni"].contains(&other));
            assert!(message.starts_with("implementation "), "{message}");
            return;
        }
        (req, got) => panic!("implementation {req:?} resolved to {got:?}"),
    };
    assert!(available().contains(&imp));

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

    // Run a capped copy; the target may be steered onto a nonce's exact value.
    let count = job.count.min(u64::from(u.arbitrary::<u8>().unwrap_or(0) % 7));
    let threads = 1 + (job.threads - 1) % 3;
    let janus_at = |nonce: u32| {
        let mut h = job.header;
        h[76..].copy_from_slice(&nonce.to_be_bytes());
        Janus::of_header(&h, Implementation::Portable)
    };
    let all: Vec<(u32, Janus)> = (u64::from(job.start)..u64::from(job.start) + count)
        .map(|n| (n as u32, janus_at(n as u32)))
        .collect();
    let mode = u.arbitrary::<u8>().unwrap_or(0);
    let target: [u8; 32] = match mode % 4 {
        1 => [0xff; 32],
        2 | 3 if count > 0 => all[usize::from(mode / 4) % all.len()].1.comparison_value(),
        _ => job.target,
    };
    let capped = ScanJob {
        count,
        threads,
        target,
        ..job.clone()
    };
    let outcome = capped.run();
    let expected: Vec<(u32, [u8; 32], [u8; 32])> = all
        .iter()
        .filter(|(_, j)| !j.below_c && j.comparison_value() <= target)
        .map(|(n, j)| (*n, j.comparison_value(), j.block_hash))
        .collect();
    assert_eq!(outcome.hashes, count);
    assert_eq!(outcome.dropped, 0);
    let got: Vec<(u32, [u8; 32], [u8; 32])> =
        outcome.hits.iter().map(|h| (h.nonce, h.value, h.block_hash)).collect();
    assert_eq!(got, expected, "{imp:?} start {} count {count} threads {threads}", job.start);
});
