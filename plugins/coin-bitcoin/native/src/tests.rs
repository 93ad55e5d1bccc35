//! Both implementations against the `sha2` crate (an independent oracle) and
//! against real block headers from `facts/bitcoin-stratum.md`.

use sha2::{Digest, Sha256};

use crate::implementation::Implementation;
use crate::merkle::merkle_root;
use crate::scan::{le_256_at_most, ScanJob, MAX_HITS};
use crate::sha256::sha256d;

/// xorshift64*: deterministic "random" bytes without another dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

fn oracle(data: &[u8]) -> [u8; 32] {
    Sha256::digest(Sha256::digest(data)).into()
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn display(hash: &[u8; 32]) -> String {
    hash.iter().rev().map(|b| format!("{b:02x}")).collect()
}

const GENESIS: &str = "0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c";
const GENESIS_HASH: &str = "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f";
const B125552: &str = "0100000081cd02ab7e569e8bcd9317e2fe99f2de44d49ab2b8851ba4a308000000000000e320b6c2fffc8d750423db8b1eb942ae710e951ed797f7affc8892b0f1fc122bc7f5d74df2b9441a42a14695";
const B125552_HASH: &str = "00000000000000001e8d6829a8a21adc5d38d0a473b144b6765798e61f98bd1d";

/// nbits 1a44b9f2 -> 0x44b9f2 * 256^(0x1a - 3), as 32 little-endian bytes.
fn target_1a44b9f2() -> [u8; 32] {
    let mut t = [0u8; 32];
    let at = 0x1a - 3;
    t[at] = 0xf2;
    t[at + 1] = 0xb9;
    t[at + 2] = 0x44;
    t
}

fn all() -> Vec<Implementation> {
    let all = Implementation::available();
    if std::arch::is_x86_feature_detected!("sha") {
        assert_eq!(
            all[0],
            Implementation::ShaNi,
            "this CPU has SHA-NI, it must be offered"
        );
    }
    all
}

#[test]
fn sha256d_matches_sha2_for_every_length() {
    let mut rng = Rng(0x1234_5678_9abc_def1);
    for imp in all() {
        for len in 0..300 {
            let data = rng.bytes(len);
            assert_eq!(sha256d(imp, &data), oracle(&data), "{imp:?} len {len}");
        }
    }
}

#[test]
fn sha256d_of_real_headers() {
    for imp in all() {
        assert_eq!(
            display(&sha256d(imp, &hex(GENESIS))),
            GENESIS_HASH,
            "{imp:?}"
        );
        assert_eq!(
            display(&sha256d(imp, &hex(B125552))),
            B125552_HASH,
            "{imp:?}"
        );
    }
}

#[test]
fn kernels_agree_with_sha2_on_random_headers() {
    let mut rng = Rng(42);
    for imp in all() {
        for round in 0..40 {
            let header: [u8; 80] = rng.bytes(80).try_into().unwrap();
            let start = rng.next() as u32;
            // every hash is a hit with the all-ones target, so each comes back
            let job = ScanJob::new(&header, start as f64, 37.0, &[0xff; 32], 1.0, imp).unwrap();
            let outcome = job.run();
            assert_eq!(outcome.hits.len(), 37, "{imp:?} round {round}");
            for hit in outcome.hits {
                let mut h = header;
                h[76..].copy_from_slice(&hit.nonce.to_le_bytes());
                assert_eq!(hit.hash, oracle(&h), "{imp:?} nonce {}", hit.nonce);
            }
        }
    }
}

#[test]
fn early_reject_keeps_exactly_the_hits() {
    // A target whose top word is mid-range exercises the early reject both ways.
    let mut rng = Rng(7);
    let header: [u8; 80] = rng.bytes(80).try_into().unwrap();
    let mut target = [0u8; 32];
    target[31] = 0x10;
    target[30] = 0x80;
    let expected: Vec<u32> = (1000u32..3000)
        .filter(|&n| {
            let mut h = header;
            h[76..].copy_from_slice(&n.to_le_bytes());
            le_256_at_most(&oracle(&h), &target)
        })
        .collect();
    assert!(!expected.is_empty() && expected.len() < 2000);
    for imp in all() {
        for threads in [1.0, 3.0] {
            let job = ScanJob::new(&header, 1000.0, 2000.0, &target, threads, imp).unwrap();
            let got: Vec<u32> = job.run().hits.iter().map(|h| h.nonce).collect();
            assert_eq!(got, expected, "{imp:?} threads {threads}");
        }
    }
}

#[test]
fn scan_finds_block_125552() {
    let header = hex(B125552);
    for imp in all() {
        for threads in [1.0, 2.0, 5.0] {
            let job = ScanJob::new(
                &header,
                (0x9546a142u32 - 500) as f64,
                1001.0,
                &target_1a44b9f2(),
                threads,
                imp,
            )
            .unwrap();
            let outcome = job.run();
            assert_eq!(outcome.hashes, 1001);
            assert_eq!(outcome.hits.len(), 1, "{imp:?}");
            assert_eq!(outcome.hits[0].nonce, 0x9546a142);
            assert_eq!(display(&outcome.hits[0].hash), B125552_HASH);
        }
    }
}

#[test]
fn scan_reaches_the_last_nonce_and_caps_hits() {
    for imp in all() {
        let job = ScanJob::new(
            &[0u8; 80],
            (u32::MAX - 4999) as f64,
            5000.0,
            &[0xff; 32],
            2.0,
            imp,
        )
        .unwrap();
        let outcome = job.run();
        assert_eq!(outcome.hashes, 5000);
        assert_eq!(outcome.hits.len(), MAX_HITS);
        assert_eq!(outcome.dropped, 5000 - MAX_HITS as u64);
        assert_eq!(outcome.hits[0].nonce, u32::MAX - 4999);
        assert!(outcome
            .hits
            .windows(2)
            .all(|w| w[0].nonce + 1 == w[1].nonce));
    }
}

#[test]
fn bad_inputs_are_refused_with_the_value_and_the_rule() {
    let imp = Implementation::Portable;
    let t = [0u8; 32];
    let h = [0u8; 80];
    let err = |r: Result<ScanJob, String>| r.unwrap_err();
    assert!(err(ScanJob::new(&h[..79], 0.0, 1.0, &t, 1.0, imp)).contains("header is 79 bytes"));
    assert!(err(ScanJob::new(&h, 0.0, 1.0, &t[..31], 1.0, imp)).contains("target is 31 bytes"));
    assert!(err(ScanJob::new(&h, 0.0, 1.0, &t, 0.0, imp)).contains("threads is 0"));
    assert!(err(ScanJob::new(&h, 0.0, 1.0, &t, 257.0, imp)).contains("threads is 257"));
    assert!(err(ScanJob::new(&h, -1.0, 1.0, &t, 1.0, imp)).contains("startNonce is -1"));
    assert!(err(ScanJob::new(&h, 1.5, 1.0, &t, 1.0, imp)).contains("startNonce is 1.5"));
    assert!(err(ScanJob::new(&h, 4294967295.0, 2.0, &t, 1.0, imp))
        .contains("runs past the nonce space"));
    assert!(err(ScanJob::new(&h, 0.0, 4294967297.0, &t, 1.0, imp)).contains("count is 4294967297"));
    assert!(ScanJob::new(&h, 0.0, 4294967296.0, &t, 1.0, imp).is_ok());
    assert!(Implementation::resolve(Some("avx9"))
        .unwrap_err()
        .contains("\"avx9\" is unknown"));
}

#[test]
fn kernels_stop_early_on_the_exact_top_word() {
    // Each kernel's H7 (from 62 rounds) must equal the top word of the full hash:
    // a candidate exactly at t7 = top word, and not at t7 = top word - 1.
    use crate::sha256::{block_words, compress_portable, IV};
    let mut rng = Rng(99);
    for _ in 0..200 {
        let header: [u8; 80] = rng.bytes(80).try_into().unwrap();
        let mut mid = IV;
        compress_portable(&mut mid, header[..64].try_into().unwrap());
        let mut block2 = [0u8; 64];
        block2[..16].copy_from_slice(&header[64..]);
        let w = block_words(&block2);
        let tail = [w[0], w[1], w[2]];
        let nonce = rng.next() as u32;
        let mut h = header;
        h[76..].copy_from_slice(&nonce.to_le_bytes());
        let full = oracle(&h);
        let top = u32::from_le_bytes([full[28], full[29], full[30], full[31]]);
        let portable = crate::portable::Kernel::new(&mid, tail);
        assert_eq!(portable.h7(nonce).swap_bytes(), top);
        if Implementation::available().contains(&Implementation::ShaNi) {
            let kernel = unsafe { crate::shani::Kernel::new(&mid, tail) };
            for lanes in [1usize, 2] {
                // the nonce under test sits in the last lane
                let start = nonce.wrapping_sub(lanes as u32 - 1);
                let mut seen = Vec::new();
                let mut hit = |n: u32| seen.push(n);
                unsafe {
                    if lanes == 1 {
                        crate::shani::scan::<1>(&kernel, start, 1, top, &mut hit);
                    } else {
                        crate::shani::scan::<2>(&kernel, start, 2, top, &mut hit);
                    }
                }
                assert!(
                    seen.contains(&nonce),
                    "sha-ni x{lanes} missed its own top word"
                );
                if top > 0 {
                    let mut seen = Vec::new();
                    let mut hit = |n: u32| seen.push(n);
                    unsafe { crate::shani::scan::<1>(&kernel, nonce, 1, top - 1, &mut hit) };
                    assert!(seen.is_empty(), "sha-ni accepted a top word above t7");
                }
            }
        }
    }
}

#[test]
fn names_are_the_ones_js_sees() {
    assert_eq!(Implementation::Portable.name(), "portable");
    assert_eq!(Implementation::ShaNi.name(), "sha-ni");
    assert_eq!(
        Implementation::resolve(Some("auto")).unwrap(),
        Implementation::best()
    );
}

// facts/bitcoin-blocks.md: mainnet block 100000 (coinbase without witness,
// its Stratum branch, raw bytes) and testnet3 block 1263442.
const B100000_COINBASE: &str = "01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff08044c86041b020602ffffffff0100f2052a010000004341041b0e8c2567c12536aa13357b79a073dc4444acb83c4ec7a0e2f99dd7457516c5817242da796924ca4e99947d087fedf9ce467cb9f7c6287078f801df276fdf84ac00000000";
const B100000_BRANCHES: [&str; 2] = [
    "c40297f730dd7b5a99567eb8d27b78758f607507c52292d02d4031895b52f2ff",
    "49aef42d78e3e9999c9e6ec9e1dddd6cb880bf3b076a03be1318ca789089308e",
];
const B100000_COINBASE_TXID: &str =
    "8c14f0db3df150123e6f3dbbf30f8b955a8249b62ac1d1ff16284aefa3d06d87";
const B100000_MERKLE_ROOT: &str =
    "f3e94742aca4b5ef85488dc37c06c3282295ffec960994b2c0d5ac2a25a95766";
const T1263442_COINBASE: &str = "01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff230352471300fe5f45765afe94690a000963676d696e6572343208000000000000000000ffffffff024423a804000000001976a914f2c25ac3d59f3d674b1d1d0a25c27339aaac0ba688ac0000000000000000266a24aa21a9edcb26cb3052426b9ebb4d19c819ef87c19677bbf3a7c46ef0855bd1b2abe8349100000000";
const T1263442_BRANCH: &str = "e0e03cc73169f0a7d4863fd1c12d3680006d3406fe1ced246d3d529905d4212c";
const T1263442_MERKLE_ROOT: &str =
    "ff984a3fd3a78002184410f9c180e71885c1f45e821aaabf1d15792649143f08";

#[test]
fn merkle_root_of_real_blocks() {
    for imp in all() {
        let branches = hex(&B100000_BRANCHES.concat());
        let root = merkle_root(imp, &hex(B100000_COINBASE), &branches).unwrap();
        assert_eq!(display(&root), B100000_MERKLE_ROOT, "{imp:?} block 100000");
        let root = merkle_root(imp, &hex(T1263442_COINBASE), &hex(T1263442_BRANCH)).unwrap();
        assert_eq!(
            display(&root),
            T1263442_MERKLE_ROOT,
            "{imp:?} testnet3 block 1263442"
        );
    }
}

#[test]
fn merkle_root_without_branches_is_the_coinbase_txid() {
    for imp in all() {
        let root = merkle_root(imp, &hex(B100000_COINBASE), &[]).unwrap();
        assert_eq!(display(&root), B100000_COINBASE_TXID, "{imp:?}");
    }
}

#[test]
fn merkle_root_matches_a_sha2_fold() {
    let mut rng = Rng(0x5eed);
    for imp in all() {
        for n in 0..16 {
            let coinbase = rng.bytes(60 + n * 13);
            let branches = rng.bytes(32 * n);
            let mut expected = oracle(&coinbase);
            for branch in branches.chunks(32) {
                expected = oracle(&[&expected[..], branch].concat());
            }
            assert_eq!(
                merkle_root(imp, &coinbase, &branches).unwrap(),
                expected,
                "{imp:?} {n} branches"
            );
        }
    }
}

#[test]
fn merkle_root_refuses_a_partial_branch() {
    let err = merkle_root(Implementation::Portable, &[0u8; 60], &[0u8; 33]).unwrap_err();
    assert!(err.contains("branches is 33 bytes"), "{err}");
    assert!(err.contains("multiple of 32"), "{err}");
}
