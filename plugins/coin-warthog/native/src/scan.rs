//! Nonce scans: one 80-byte header, a range of nonces, a 256-bit target;
//! split over threads.
//!
//! Per job the VerusHash key (a function of header bytes 0..64 only,
//! `facts/warthog.md` §5.1 step 3) and the SHA-256 midstate of bytes 0..64
//! are built once and shared by every thread; each nonce then costs three
//! SHA-256 compressions, and, unless Y < c already rules it out, one keyed
//! VerusHash (CLHash plus the final Haraka-512) on a per-thread scratch.
//! The nonce is the uint32 whose big-endian bytes are header bytes 76..80,
//! so that it reads as the stratum nonce hex (§2).

use lode_verushash::{verus_hash_with_key, Implementation, VerusKey, VerusScratch, VerusVersion};

use crate::custom_float::{CustomFloat, JANUS_C, JANUS_FACTOR};
use crate::janus::{comparison_value, header_version, verus_version_for};
use crate::sha::HeaderMidstate;

/// Most hits one scan returns; the rest are counted in `dropped`.
pub const MAX_HITS: usize = 4096;

/// Most threads one scan may use.
pub const MAX_THREADS: u32 = 256;

/// One past the highest nonce.
pub const NONCE_SPACE: u64 = 1 << 32;

/// A scan's inputs, owned (copied from JS, which may reuse its buffers).
#[derive(Clone, Debug)]
pub struct ScanJob {
    pub header: [u8; 80],
    pub start: u32,
    pub count: u64,
    /// 256-bit big-endian integer: a hit has comparison value <= target
    pub target: [u8; 32],
    pub threads: u32,
    pub implementation: Implementation,
}

/// A nonce whose comparison value is <= the target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    /// header bytes 76..80 read big-endian
    pub nonce: u32,
    /// floor(J · 2^256) + 1, 32 bytes big-endian
    pub value: [u8; 32],
    /// SHA-256d of the header with this nonce
    pub block_hash: [u8; 32],
}

/// What a scan did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScanOutcome {
    /// at most MAX_HITS, ascending nonce
    pub hits: Vec<Hit>,
    /// hits beyond MAX_HITS that were not kept
    pub dropped: u64,
    /// nonces tried (= count)
    pub hashes: u64,
}

impl ScanJob {
    /// Checks a scan's inputs; the messages name the value and the rule.
    pub fn new(
        header: &[u8],
        start: f64,
        count: f64,
        target: &[u8],
        threads: f64,
        implementation: Implementation,
    ) -> Result<Self, String> {
        let header: [u8; 80] = header
            .try_into()
            .map_err(|_| format!("header is {} bytes, a Warthog header is 80", header.len()))?;
        let target: [u8; 32] = target.try_into().map_err(|_| {
            format!(
                "target is {} bytes, it must be 32 (a 256-bit big-endian integer)",
                target.len()
            )
        })?;
        if !(start.fract() == 0.0 && (0.0..NONCE_SPACE as f64).contains(&start)) {
            return Err(format!(
                "startNonce is {start}, it must be an integer in [0, 2^32)"
            ));
        }
        if !(count.fract() == 0.0 && (0.0..=NONCE_SPACE as f64).contains(&count)) {
            return Err(format!(
                "count is {count}, it must be an integer in [0, 2^32]"
            ));
        }
        let (start, count) = (start as u64, count as u64);
        if start + count > NONCE_SPACE {
            return Err(format!(
                "startNonce {start} + count {count} = {} runs past the nonce space (at most 2^32 = {NONCE_SPACE})",
                start + count
            ));
        }
        if !(threads.fract() == 0.0 && (1.0..=f64::from(MAX_THREADS)).contains(&threads)) {
            return Err(format!(
                "threads is {threads}, it must be an integer in [1, {MAX_THREADS}]"
            ));
        }
        Ok(ScanJob {
            header,
            start: start as u32,
            count,
            target,
            threads: threads as u32,
            implementation,
        })
    }

    /// Runs the scan on `threads` scoped threads (the calling thread takes
    /// the first chunk), each walking a contiguous share of the range.
    pub fn run(&self) -> ScanOutcome {
        let prepared = Prepared::new(self);
        let threads = u64::from(self.threads).min(self.count).max(1);
        let chunks: Vec<(u32, u64)> = (0..threads)
            .map(|i| {
                let from = self.count * i / threads;
                let to = self.count * (i + 1) / threads;
                ((u64::from(self.start) + from) as u32, to - from)
            })
            .collect();
        let parts: Vec<ScanOutcome> = if chunks.len() == 1 {
            vec![prepared.scan_chunk(chunks[0].0, chunks[0].1)]
        } else {
            std::thread::scope(|scope| {
                let prepared = &prepared;
                let handles: Vec<_> = chunks[1..]
                    .iter()
                    .map(|&(from, n)| scope.spawn(move || prepared.scan_chunk(from, n)))
                    .collect();
                let mut parts = vec![prepared.scan_chunk(chunks[0].0, chunks[0].1)];
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
}

/// What every thread of one job shares: built once per job.
pub struct Prepared {
    header: [u8; 80],
    target: [u8; 32],
    version: VerusVersion,
    midstate: HeaderMidstate,
    key: VerusKey,
}

impl Prepared {
    /// Builds the VerusHash key of header bytes 0..64 and the SHA-256 midstate.
    pub fn new(job: &ScanJob) -> Self {
        let seed: &[u8; 64] = job.header[..64].try_into().expect("64 bytes");
        Prepared {
            header: job.header,
            target: job.target,
            version: verus_version_for(header_version(&job.header)),
            midstate: HeaderMidstate::new(&job.header),
            key: VerusKey::new(seed, job.implementation),
        }
    }

    /// Walks `count` nonces from `start` on the calling thread.
    pub fn scan_chunk(&self, start: u32, count: u64) -> ScanOutcome {
        let mut out = ScanOutcome {
            hashes: count,
            ..ScanOutcome::default()
        };
        let mut header = self.header;
        let mut tail: [u8; 16] = header[64..80].try_into().expect("16 bytes");
        let mut scratch = VerusScratch::new();
        for i in 0..count {
            let nonce = start.wrapping_add(i as u32);
            let nonce_bytes = nonce.to_be_bytes();
            tail[12..].copy_from_slice(&nonce_bytes);
            let (block_hash, sha256t) = self.midstate.hashes(&tail);
            // Y < c rules the header out before its VerusHash is computed
            let y = CustomFloat::from_hash(&sha256t);
            if y.less_than(JANUS_C) {
                continue;
            }
            header[76..].copy_from_slice(&nonce_bytes);
            let verus = verus_hash_with_key(&self.key, &header, self.version, &mut scratch);
            let j = CustomFloat::from_hash(&verus) * y.pow(JANUS_FACTOR);
            let value = comparison_value(Some(j));
            if value <= self.target {
                if out.hits.len() < MAX_HITS {
                    out.hits.push(Hit {
                        nonce,
                        value,
                        block_hash,
                    });
                } else {
                    out.dropped += 1;
                }
            }
        }
        out
    }
}
