//! Nonce scans: one header hash, a range of 64-bit nonces, a boundary; split
//! over threads; only hits come back.

use crate::hashimoto::PowResult;

/// Most hits one scan returns; the rest are counted in `dropped`.
pub const MAX_HITS: usize = 4096;
/// Most threads one scan or dataset build may use.
pub const MAX_THREADS: u32 = 256;

/// A nonce whose final hash is <= the boundary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    pub nonce: u64,
    pub result: PowResult,
}

/// What a scan did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScanOutcome {
    /// at most MAX_HITS, ascending nonce
    pub hits: Vec<Hit>,
    /// hits past MAX_HITS that were not kept
    pub dropped: u64,
    /// hashes computed (= count)
    pub hashes: u64,
}

/// A validated nonce range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    pub start: u64,
    pub count: u64,
}

/// Checks a range: `count` an integer in [0, 2^32), `start + count <= 2^64`.
pub fn check_range(start: u64, count: f64) -> Result<Range, String> {
    if !(count.fract() == 0.0 && (0.0..4_294_967_296.0).contains(&count)) {
        return Err(format!(
            "count is {count}, it must be an integer in [0, 2^32)"
        ));
    }
    let count = count as u64;
    if start as u128 + count as u128 > 1u128 << 64 {
        return Err(format!(
            "startNonce {start} + count {count} runs past the nonce space (at most 2^64)"
        ));
    }
    Ok(Range { start, count })
}

/// Checks a thread count: an integer in [1, 256].
pub fn check_threads(threads: f64) -> Result<u32, String> {
    if !(threads.fract() == 0.0 && (1.0..=MAX_THREADS as f64).contains(&threads)) {
        return Err(format!(
            "threads is {threads}, it must be an integer in [1, {MAX_THREADS}]"
        ));
    }
    Ok(threads as u32)
}

/// `a <= b` for 256-bit numbers stored big-endian (how ethash compares a
/// final hash with a boundary, facts/ethash.md §4.8).
pub fn be_256_at_most(a: &[u8; 32], b: &[u8; 32]) -> bool {
    a <= b
}

/// Walks `range` on `threads` scoped threads (the calling thread takes the
/// first chunk), each a contiguous share, hashing with `hash`.
pub fn scan<H>(range: Range, target: &[u8; 32], threads: u32, hash: H) -> ScanOutcome
where
    H: Fn(u64) -> PowResult + Sync,
{
    let threads = (threads as u64).min(range.count).max(1);
    let chunk = |i: u64| {
        let from = (range.count as u128 * i as u128 / threads as u128) as u64;
        let to = (range.count as u128 * (i + 1) as u128 / threads as u128) as u64;
        (range.start.wrapping_add(from), to - from)
    };
    let walk = |(from, n): (u64, u64)| {
        let mut out = ScanOutcome {
            hashes: n,
            ..ScanOutcome::default()
        };
        for k in 0..n {
            let nonce = from.wrapping_add(k);
            let result = hash(nonce);
            if be_256_at_most(&result.final_hash, target) {
                if out.hits.len() < MAX_HITS {
                    out.hits.push(Hit { nonce, result });
                } else {
                    out.dropped += 1;
                }
            }
        }
        out
    };
    let parts: Vec<ScanOutcome> = if threads == 1 {
        vec![walk(chunk(0))]
    } else {
        std::thread::scope(|scope| {
            let walk = &walk;
            let handles: Vec<_> = (1..threads)
                .map(|i| {
                    let c = chunk(i);
                    scope.spawn(move || walk(c))
                })
                .collect();
            let mut parts = vec![walk(chunk(0))];
            parts.extend(
                handles
                    .into_iter()
                    .map(|h| h.join().expect("a scan thread panicked")),
            );
            parts
        })
    };
    let mut outcome = ScanOutcome::default();
    for part in parts {
        outcome.hashes += part.hashes;
        outcome.dropped += part.dropped;
        for hit in part.hits {
            if outcome.hits.len() < MAX_HITS {
                outcome.hits.push(hit);
            } else {
                outcome.dropped += 1;
            }
        }
    }
    outcome
}
