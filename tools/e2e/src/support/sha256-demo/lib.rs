//! Demo's proof of work (sha256) for Lode's coin-demo plugin: one SHA-256 of
//! the 80-byte header.
//!
//! Written the way a plugin author fills the crate that
//! `@lode/generators:coin-plugin demo --algorithm sha256 --dialect bitcoin`
//! generates (tools/e2e/src/generated-plugin.e2e.spec.ts copies this file over
//! the generated stub): `pow_hash` and `ScanTask::compute` are written, the
//! rest is the generated code. The JS surface (`hash`, `scan`) keeps the
//! shapes of the other Lode plugins' addons (plugins/coin-bitcoin/native).
#![deny(clippy::all)]

use sha2::{Digest, Sha256};

/// Most hits one scan returns; a scan walks its whole range and counts the rest as dropped.
pub const MAX_HITS: usize = 4096;

/// Most threads one scan may use.
pub const MAX_THREADS: u32 = 256;

/// Byte offset of the uint32 nonce (little-endian) in an 80-byte Bitcoin-style header.
pub const NONCE_OFFSET: usize = 76;

/// The sha256 hash of one header: 32 bytes, SHA-256 (FIPS 180-4) of all its bytes.
pub fn pow_hash(header: &[u8]) -> Result<[u8; 32], String> {
    Ok(Sha256::digest(header).into())
}

/// Whether `hash`, read as a little-endian 256-bit number, is <= `target` (32 bytes, little-endian).
pub fn meets_target(hash: &[u8; 32], target: &[u8; 32]) -> bool {
    for i in (0..32).rev() {
        if hash[i] != target[i] {
            return hash[i] < target[i];
        }
    }
    true
}

/// Walks `count` nonces from `start` (written little-endian at bytes 76..80 of
/// a copy of `header`) and returns the hits, ascending nonce.
pub fn scan_range(header: &[u8], start: u32, count: u64, target: &[u8; 32]) -> Vec<(u32, [u8; 32])> {
    let mut work = header.to_vec();
    let mut hits = Vec::new();
    for i in 0..count {
        let nonce = (start as u64 + i) as u32;
        work[NONCE_OFFSET..NONCE_OFFSET + 4].copy_from_slice(&nonce.to_le_bytes());
        let hash: [u8; 32] = Sha256::digest(&work).into();
        if meets_target(&hash, target) {
            hits.push((nonce, hash));
        }
    }
    hits
}

/// Splits `count` nonces from `start` over `threads` threads (contiguous
/// ranges) and returns every hit, ascending nonce.
pub fn scan_parallel(header: &[u8], start: u32, count: u64, target: &[u8; 32], threads: u32) -> Vec<(u32, [u8; 32])> {
    let threads = (threads.max(1) as u64).min(count.max(1));
    let chunk = count.div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let from = t * chunk;
                let n = chunk.min(count.saturating_sub(from));
                scope.spawn(move || scan_range(header, (start as u64 + from) as u32, n, target))
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("scan thread panicked")).collect()
    })
}

#[cfg(not(test))]
mod binding {
    use napi::bindgen_prelude::{AsyncTask, Buffer};
    use napi::{Env, Error, Result, Status, Task};
    use napi_derive::napi;

    use crate::{pow_hash, scan_parallel, MAX_HITS, MAX_THREADS, NONCE_OFFSET};

    fn invalid(message: String) -> Error {
        Error::new(Status::InvalidArg, message)
    }

    /// The sha256 hash of one header, 32 bytes.
    #[napi]
    pub fn hash(header: Buffer) -> Result<Buffer> {
        pow_hash(&header)
            .map(|digest| digest.to_vec().into())
            .map_err(|message| Error::new(Status::GenericFailure, message))
    }

    /// A nonce whose header hash is <= the target.
    #[napi(object)]
    pub struct ScanHit {
        /// uint32 nonce as it goes into the header
        pub nonce: u32,
        /// the header's hash with that nonce, 32 bytes
        pub hash: Buffer,
    }

    /// What a scan did.
    #[napi(object)]
    pub struct ScanResult {
        /// at most 4096 hits, ascending nonce
        pub hits: Vec<ScanHit>,
        /// hits past the 4096 cap that were not returned
        pub dropped: f64,
        /// hashes computed (= count)
        pub hashes: f64,
    }

    /// The inputs of one `scan` call, copied from JS (which may reuse its buffers).
    pub struct ScanTask {
        header: Vec<u8>,
        start_nonce: u32,
        count: u64,
        target: Vec<u8>,
        threads: u32,
    }

    /// The hits of one scan, ascending nonce, and how many hashes were computed.
    pub struct ScanOutcome {
        hits: Vec<(u32, [u8; 32])>,
        dropped: u64,
        hashes: u64,
    }

    #[napi]
    impl Task for ScanTask {
        type Output = ScanOutcome;
        type JsValue = ScanResult;

        fn compute(&mut self) -> Result<Self::Output> {
            if self.header.len() < NONCE_OFFSET + 4 {
                return Err(invalid(format!("header is {} bytes, it must be at least {}", self.header.len(), NONCE_OFFSET + 4)));
            }
            let mut target = [0u8; 32];
            target.copy_from_slice(&self.target);
            let mut hits = scan_parallel(&self.header, self.start_nonce, self.count, &target, self.threads);
            let dropped = hits.len().saturating_sub(MAX_HITS) as u64;
            hits.truncate(MAX_HITS);
            Ok(ScanOutcome { hits, dropped, hashes: self.count })
        }

        fn resolve(&mut self, _env: Env, output: Self::Output) -> Result<Self::JsValue> {
            Ok(ScanResult {
                hits: output
                    .hits
                    .into_iter()
                    .map(|(nonce, hash)| ScanHit { nonce, hash: hash.to_vec().into() })
                    .collect(),
                dropped: output.dropped as f64,
                hashes: output.hashes as f64,
            })
        }
    }

    /// Walks `count` nonces from `startNonce` for one header, off the event
    /// loop, and resolves with every nonce whose hash is <= `target`.
    ///
    /// - `header`: the header; the nonce goes into a private copy.
    /// - `startNonce`: integer in [0, 2^32); `count`: integer, `startNonce + count <= 2^32`.
    /// - `target`: 32 bytes, a 256-bit little-endian number.
    /// - `threads`: 1..=256 native threads.
    ///
    /// Throws for a bad argument.
    #[napi]
    pub fn scan(header: Buffer, start_nonce: f64, count: f64, target: Buffer, threads: f64) -> Result<AsyncTask<ScanTask>> {
        if start_nonce.fract() != 0.0 || !(0.0..4294967296.0).contains(&start_nonce) {
            return Err(invalid(format!("startNonce is {start_nonce}, it must be an integer in [0, 2^32)")));
        }
        if count.fract() != 0.0 || count < 0.0 || start_nonce + count > 4294967296.0 {
            return Err(invalid(format!("count is {count}, it must be an integer with startNonce + count <= 2^32")));
        }
        if target.len() != 32 {
            return Err(invalid(format!("target is {} bytes, it must be 32", target.len())));
        }
        if threads.fract() != 0.0 || threads < 1.0 || threads > MAX_THREADS as f64 {
            return Err(invalid(format!("threads is {threads}, it must be an integer in 1..={MAX_THREADS}")));
        }
        Ok(AsyncTask::new(ScanTask {
            header: header.to_vec(),
            start_nonce: start_nonce as u32,
            count: count as u64,
            target: target.to_vec(),
            threads: threads as u32,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn hash_is_one_sha256_fips_180_2_abc() {
        // FIPS 180-2, appendix B.1
        assert_eq!(hex(&pow_hash(b"abc").unwrap()), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn scan_finds_exactly_the_nonces_hash_says_meet_the_target() {
        let header = [7u8; 80];
        let mut target = [0xffu8; 32];
        target[31] = 0x0f; // about 1 hash in 16
        let expected: Vec<u32> = (1000u32..1256)
            .filter(|n| {
                let mut h = header;
                h[76..80].copy_from_slice(&n.to_le_bytes());
                meets_target(&pow_hash(&h).unwrap(), &target)
            })
            .collect();
        assert!(!expected.is_empty());
        for threads in [1, 3] {
            let got: Vec<u32> = scan_parallel(&header, 1000, 256, &target, threads).into_iter().map(|(n, _)| n).collect();
            assert_eq!(got, expected);
        }
    }
}
