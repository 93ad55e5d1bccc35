//! Nonce scans: one header, a range of nonces, a target; split over threads.

use crate::implementation::Implementation;
use crate::portable;
use crate::sha256::{block_words, state_bytes, IV};

/// Most hits one scan returns. A target so easy that a range holds more is a
/// caller's mistake; the scan still walks the whole range, keeps the hits with
/// the lowest nonces and says it dropped the rest.
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
    /// 256-bit little-endian number, the same byte order as a hash
    pub target: [u8; 32],
    pub threads: u32,
    pub implementation: Implementation,
}

/// A nonce whose hash is <= the target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    pub nonce: u32,
    /// SHA-256d of the header with this nonce, hash order
    pub hash: [u8; 32],
}

/// What a scan did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScanOutcome {
    /// at most MAX_HITS, ascending nonce
    pub hits: Vec<Hit>,
    /// hits beyond MAX_HITS that were not kept
    pub dropped: u64,
    /// hashes computed (= count)
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
            .map_err(|_| format!("header is {} bytes, a Bitcoin header is 80", header.len()))?;
        let target: [u8; 32] = target.try_into().map_err(|_| {
            format!(
                "target is {} bytes, it must be 32 (a 256-bit little-endian number, hash byte order)",
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
        if !(threads.fract() == 0.0 && (1.0..=MAX_THREADS as f64).contains(&threads)) {
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

    /// Runs the scan on `threads` scoped threads (the calling thread takes the
    /// first chunk), each walking a contiguous share of the range.
    pub fn run(&self) -> ScanOutcome {
        let prepared = Prepared::new(self);
        let threads = (self.threads as u64).min(self.count).max(1);
        let chunks: Vec<(u32, u64)> = (0..threads)
            .map(|i| {
                let from = self.count * i / threads;
                let to = self.count * (i + 1) / threads;
                ((self.start as u64 + from) as u32, to - from)
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

/// `a <= b` for 256-bit numbers stored little-endian.
pub fn le_256_at_most(a: &[u8; 32], b: &[u8; 32]) -> bool {
    a.iter().rev().cmp(b.iter().rev()) != std::cmp::Ordering::Greater
}

/// A header precomputed for one implementation.
struct Prepared {
    implementation: Implementation,
    midstate: [u32; 8],
    /// bytes 64..80 of the header, padded to the second 64-byte block
    block2: [u8; 64],
    target: [u8; 32],
    /// the target's most significant little-endian word, for the early reject
    t7: u32,
    portable: portable::Kernel,
    #[cfg(target_arch = "x86_64")]
    sha_ni: Option<crate::shani::Kernel>,
}

impl Prepared {
    fn new(job: &ScanJob) -> Self {
        let imp = job.implementation;
        let mut midstate = IV;
        imp.compress(
            &mut midstate,
            job.header[..64].try_into().expect("64 bytes"),
        );
        let mut block2 = [0u8; 64];
        block2[..16].copy_from_slice(&job.header[64..80]);
        block2[16] = 0x80;
        block2[56..].copy_from_slice(&(80u64 * 8).to_be_bytes());
        let w = block_words(&block2);
        let tail = [w[0], w[1], w[2]];
        let t7 = u32::from_le_bytes([
            job.target[28],
            job.target[29],
            job.target[30],
            job.target[31],
        ]);
        Prepared {
            implementation: imp,
            midstate,
            block2,
            target: job.target,
            t7,
            portable: portable::Kernel::new(&midstate, tail),
            #[cfg(target_arch = "x86_64")]
            sha_ni: match imp {
                // SAFETY: ShaNi is only selected when the CPU has the extensions.
                Implementation::ShaNi => {
                    Some(unsafe { crate::shani::Kernel::new(&midstate, tail) })
                }
                Implementation::Portable => None,
            },
        }
    }

    /// The full SHA-256d of the header with `nonce`, on this implementation.
    fn hash(&self, nonce: u32) -> [u8; 32] {
        let imp = self.implementation;
        let mut block = self.block2;
        block[12..16].copy_from_slice(&nonce.to_le_bytes());
        let mut first = self.midstate;
        imp.compress(&mut first, &block);
        let mut second = [0u8; 64];
        second[..32].copy_from_slice(&state_bytes(&first));
        second[32] = 0x80;
        second[56..].copy_from_slice(&(32u64 * 8).to_be_bytes());
        let mut state = IV;
        imp.compress(&mut state, &second);
        state_bytes(&state)
    }

    fn scan_chunk(&self, start: u32, count: u64) -> ScanOutcome {
        let mut out = ScanOutcome {
            hashes: count,
            ..ScanOutcome::default()
        };
        let mut candidate = |nonce: u32| {
            // The kernel only looked at the top word; decide on all 256 bits.
            let hash = self.hash(nonce);
            if le_256_at_most(&hash, &self.target) {
                if out.hits.len() < MAX_HITS {
                    out.hits.push(Hit { nonce, hash });
                } else {
                    out.dropped += 1;
                }
            }
        };
        match self.implementation {
            #[cfg(target_arch = "x86_64")]
            Implementation::ShaNi => {
                let kernel = self.sha_ni.as_ref().expect("sha-ni kernel prepared");
                // SAFETY: ShaNi is only selected when the CPU has the extensions.
                unsafe {
                    let done =
                        crate::shani::scan::<2>(kernel, start, count, self.t7, &mut candidate);
                    crate::shani::scan::<1>(
                        kernel,
                        start.wrapping_add(done as u32),
                        count - done,
                        self.t7,
                        &mut candidate,
                    );
                }
            }
            #[cfg(not(target_arch = "x86_64"))]
            Implementation::ShaNi => unreachable!("sha-ni is never selected off x86-64"),
            Implementation::Portable => self.portable.scan(start, count, self.t7, &mut candidate),
        }
        out
    }
}
