//! Property: for thousands of pseudo-random headers, both versions, Portable
//! and AES-NI give the same bytes, and the precomputed-key path gives the
//! one-shot bytes (facts/warthog.md §5.1: the key depends on bytes 0..64 only).

mod common;

use common::implementations;
use lode_verushash::{
    verus_hash, verus_hash_with_key, verus_trace, Implementation, VerusKey, VerusScratch,
    VerusVersion,
};

/// xorshift64*: small, deterministic, good enough to spread headers.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn fill(&mut self, bytes: &mut [u8]) {
        for chunk in bytes.chunks_mut(8) {
            let v = self.next().to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
    }
}

const VERSIONS: [VerusVersion; 2] = [VerusVersion::V2_1, VerusVersion::V2_2];

#[test]
fn portable_and_aesni_agree_on_random_headers() {
    let imps = implementations();
    let mut rng = XorShift(0x5eed_0001_dead_beef);
    let mut header = [0u8; 80];
    for _ in 0..3000 {
        rng.fill(&mut header);
        for version in VERSIONS {
            let outs: Vec<_> = imps
                .iter()
                .map(|&imp| verus_hash(&header, version, imp))
                .collect();
            assert!(
                outs.windows(2).all(|w| w[0] == w[1]),
                "implementations disagree on {header:02x?} {version:?}"
            );
        }
    }
}

#[test]
fn portable_and_aesni_agree_on_every_internal_value() {
    let imps = implementations();
    let mut rng = XorShift(0x0bad_cafe_1234_5678);
    let mut header = [0u8; 80];
    for _ in 0..200 {
        rng.fill(&mut header);
        for version in VERSIONS {
            let traces: Vec<_> = imps
                .iter()
                .map(|&imp| verus_trace(&header, version, imp))
                .collect();
            assert!(
                traces.windows(2).all(|w| w[0] == w[1]),
                "{header:02x?} {version:?}"
            );
            assert_eq!(
                traces[0].out,
                verus_hash(&header, version, Implementation::Portable)
            );
        }
    }
}

#[test]
fn precomputed_key_matches_one_shot_on_random_jobs() {
    let mut rng = XorShift(0x1234_5678_9abc_def1);
    for imp in implementations() {
        // One scratch through every job, key and version, as a scanning thread.
        let mut scratch = VerusScratch::new();
        for _job in 0..40 {
            let mut header = [0u8; 80];
            rng.fill(&mut header);
            let key = VerusKey::new(header[..64].try_into().unwrap(), imp);
            assert_eq!(key.implementation(), imp);
            for n in 0..60u32 {
                // the tail changes per share: merkle-root end, version, ntime, nonce
                if n % 20 == 0 {
                    rng.fill(&mut header[64..76]);
                }
                header[76..].copy_from_slice(&(rng.next() as u32).to_le_bytes());
                for version in VERSIONS {
                    let expected = verus_hash(&header, version, Implementation::Portable);
                    let out = verus_hash_with_key(&key, &header, version, &mut scratch);
                    assert_eq!(out, expected, "{header:02x?} {version:?} on {imp:?}");
                }
            }
        }
    }
}

#[test]
fn keys_of_one_job_interleave_on_one_scratch() {
    let mut rng = XorShift(0x7777_1111_2222_3333);
    let imp = lode_verushash::best_implementation();
    let mut headers = [[0u8; 80]; 3];
    for h in &mut headers {
        rng.fill(h);
    }
    let keys: Vec<_> = headers
        .iter()
        .map(|h| VerusKey::new(h[..64].try_into().unwrap(), imp))
        .collect();
    let cloned = keys[0].clone();
    let mut scratch = VerusScratch::new();
    for i in 0..300u32 {
        let which = (rng.next() % 3) as usize;
        let mut header = headers[which];
        header[76..].copy_from_slice(&i.to_le_bytes());
        let key = if which == 0 && i % 2 == 0 {
            &cloned
        } else {
            &keys[which]
        };
        let version = VERSIONS[(i % 2) as usize];
        assert_eq!(
            verus_hash_with_key(key, &header, version, &mut scratch),
            verus_hash(&header, version, imp)
        );
    }
}
