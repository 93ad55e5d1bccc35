//! The case runner and random source the three hasher crates' fuzz
//! modules share (`src/fuzz.rs` of coin-bitcoin, coin-ethereum and
//! coin-warthog include this file by path; each adds its own argument
//! generators to `Rng` there). Stable Rust, no extra crates.
//!
//! `LODE_FUZZ_CASES` sets the cases (divided per target), `LODE_FUZZ_SEED`
//! replays a failure: a failing case prints both (docs/fuzzing.md).

/// xorshift64* seeded through splitmix64.
pub(super) struct Rng(u64);

impl Rng {
    pub(super) fn new(seed: u64) -> Self {
        let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        Rng((z ^ (z >> 31)) | 1)
    }

    pub(super) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub(super) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Prints which case failed when a case panics.
struct CaseGuard<'a> {
    target: &'a str,
    seed: u64,
    case: u64,
}

impl Drop for CaseGuard<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!(
                "fuzz target {} failed at case {} (LODE_FUZZ_SEED={})",
                self.target, self.case, self.seed
            );
        }
    }
}

/// Runs `body` on `LODE_FUZZ_CASES / divisor` cases (at least 1; `default` without the variable).
pub(super) fn fuzz(target: &str, default: u64, divisor: u64, mut body: impl FnMut(&mut Rng)) {
    let seed = env_u64("LODE_FUZZ_SEED", 0x10de_f022);
    let cases = std::env::var("LODE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .map_or(default, |n| (n / divisor).max(1));
    let salt = target
        .bytes()
        .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
    for case in 0..cases {
        let _guard = CaseGuard { target, seed, case };
        let mut rng = Rng::new(seed ^ salt ^ case.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        body(&mut rng);
    }
}

pub(super) fn is_integer_in(x: f64, lo: f64, hi: f64) -> bool {
    x.is_finite() && x == x.floor() && x >= lo && x <= hi
}
