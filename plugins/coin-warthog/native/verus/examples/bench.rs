//! VerusHash v2.2 throughput on one thread: one-shot vs precomputed key,
//! portable vs AES-NI. Prints hashes per second and ratios; asserts nothing.
//!
//! `cargo run --release -p lode-verushash --example bench [seconds-per-case]`

use std::hint::black_box;
use std::time::{Duration, Instant};

use lode_verushash::{
    verus_hash, verus_hash_with_key, Implementation, VerusKey, VerusScratch, VerusVersion,
};

/// Block 1949766's header (facts/warthog.md §6-A A1); the nonce is bytes 76..80.
const A1: &str = "05b42d206f8a4b2b8094199fd28423151af8aa54a5073ac6e6805f42096dc3a20ae7cde7f3c41bf363fe94eb448bf924f791f77c22a2ebd6a3a5d8948f8aff019f072bea0000000366f2fefb2719fef5";

fn header() -> [u8; 80] {
    let mut out = [0u8; 80];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&A1[2 * i..2 * i + 2], 16).expect("hex");
    }
    out
}

/// Nanoseconds this thread has run on a CPU (Linux), to discount time the
/// scheduler gave to other processes on a busy machine.
fn cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

/// Hashes per second of `hash(nonce)` over about `budget`: (by wall clock,
/// by this thread's CPU time when known).
fn rate(budget: Duration, mut hash: impl FnMut(u32) -> [u8; 32]) -> (f64, Option<f64>) {
    let mut nonce = 0u32;
    let mut batch = 16u32;
    let start = Instant::now();
    let cpu_start = cpu_ns();
    loop {
        for _ in 0..batch {
            black_box(hash(nonce));
            nonce = nonce.wrapping_add(1);
        }
        let elapsed = start.elapsed();
        if elapsed >= budget {
            let n = f64::from(nonce);
            let on_cpu = match (cpu_start, cpu_ns()) {
                (Some(a), Some(b)) if b > a => Some(n / ((b - a) as f64 * 1e-9)),
                _ => None,
            };
            return (n / elapsed.as_secs_f64(), on_cpu);
        }
        batch = batch.saturating_mul(2).min(1 << 16);
    }
}

fn show((wall, cpu): (f64, Option<f64>)) -> String {
    match cpu {
        Some(cpu) => format!("{wall:>10.0} H/s ({cpu:>10.0} on-CPU)"),
        None => format!("{wall:>10.0} H/s"),
    }
}

/// The on-CPU rate where known, else the wall-clock one.
fn best((wall, cpu): (f64, Option<f64>)) -> f64 {
    cpu.unwrap_or(wall)
}

fn main() {
    let seconds: f64 = std::env::args()
        .nth(1)
        .map(|s| s.parse().expect("seconds per case"))
        .unwrap_or(2.0);
    let budget = Duration::from_secs_f64(seconds);
    let base = header();
    let version = VerusVersion::V2_2;

    println!("VerusHash v2.2, one thread, {seconds} s per case");
    let mut rows = Vec::new();
    for imp in Implementation::available().into_iter().rev() {
        let one_shot = rate(budget, |nonce| {
            let mut h = base;
            h[76..].copy_from_slice(&nonce.to_le_bytes());
            verus_hash(&h, version, imp)
        });
        let key = VerusKey::new(base[..64].try_into().expect("64 bytes"), imp);
        let mut scratch = VerusScratch::new();
        let with_key = rate(budget, |nonce| {
            let mut h = base;
            h[76..].copy_from_slice(&nonce.to_le_bytes());
            verus_hash_with_key(&key, &h, version, &mut scratch)
        });
        let key_rate = rate(budget, |nonce| {
            let mut prefix: [u8; 64] = base[..64].try_into().expect("64 bytes");
            prefix[60..].copy_from_slice(&nonce.to_le_bytes());
            VerusKey::new(&prefix, imp).state2().to_owned()
        });
        println!("{:>8} one-shot  {}", imp.name(), show(one_shot));
        println!("{:>8} with key  {}", imp.name(), show(with_key));
        println!("{:>8} key build {}", imp.name(), show(key_rate));
        println!(
            "{:>8} with key / one-shot: x{:.1}",
            imp.name(),
            best(with_key) / best(one_shot)
        );
        rows.push((best(one_shot), best(with_key)));
    }
    if let [(p1, pk), (n1, nk)] = rows[..] {
        println!(
            "aes-ni / portable: one-shot x{:.1}, with key x{:.1}",
            n1 / p1,
            nk / pk
        );
    }
}
