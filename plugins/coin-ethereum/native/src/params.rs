//! Epoch sizes, seed hashes and the FNV mix (facts/ethash.md §2.1-§2.3).

use crate::keccak::keccak256_32;

/// Bytes of the first light cache (2^24).
pub const CACHE_BYTES_INIT: u64 = 1 << 24;
/// Cache growth per epoch (2^17).
pub const CACHE_BYTES_GROWTH: u64 = 1 << 17;
/// Bytes of the first dataset (2^30).
pub const DATASET_BYTES_INIT: u64 = 1 << 30;
/// Dataset growth per epoch (2^23).
pub const DATASET_BYTES_GROWTH: u64 = 1 << 23;
/// One cache or dataset item (512 bits).
pub const HASH_BYTES: u64 = 64;
/// One dataset page read by hashimoto (1024 bits, two items).
pub const MIX_BYTES: u64 = 128;
/// Parents mixed into each dataset item.
pub const DATASET_PARENTS: u32 = 256;
/// RandMemoHash rounds over the light cache.
pub const CACHE_ROUNDS: usize = 3;
/// Dataset pages read by one hash.
pub const ACCESSES: u32 = 64;
/// The last epoch chfast/ethash accepts (ETHASH_MAX_EPOCH_NUMBER); past it
/// the dataset would have 2^32 items or more.
pub const MAX_EPOCH: u32 = 32639;
/// The last seed epoch accepted: the ETChash seed epoch (2e) of MAX_EPOCH.
pub const MAX_SEED_EPOCH: u32 = 2 * MAX_EPOCH;

/// The FNV mix: `(a * 0x01000193) ^ b` mod 2^32 (§2.1).
#[inline(always)]
pub fn fnv(a: u32, b: u32) -> u32 {
    a.wrapping_mul(0x0100_0193) ^ b
}

fn is_prime(n: u64) -> bool {
    if n < 2 {
        return false;
    }
    if n.is_multiple_of(2) {
        return n == 2;
    }
    let mut d = 3u64;
    while d * d <= n {
        if n.is_multiple_of(d) {
            return false;
        }
        d += 2;
    }
    true
}

/// Light cache bytes of an epoch: the largest value <= 2^24 + 2^17·e − 64
/// whose item count (/64) is prime (§2.2).
pub fn cache_size(epoch: u32) -> u64 {
    let mut size = CACHE_BYTES_INIT + CACHE_BYTES_GROWTH * epoch as u64 - HASH_BYTES;
    while !is_prime(size / HASH_BYTES) {
        size -= 2 * HASH_BYTES;
    }
    size
}

/// Dataset bytes of an epoch: the largest value <= 2^30 + 2^23·e − 128 whose
/// page count (/128) is prime (§2.2).
pub fn dataset_size(epoch: u32) -> u64 {
    let mut size = DATASET_BYTES_INIT + DATASET_BYTES_GROWTH * epoch as u64 - MIX_BYTES;
    while !is_prime(size / MIX_BYTES) {
        size -= 2 * MIX_BYTES;
    }
    size
}

/// The seed of a seed epoch: keccak256 applied `seed_epoch` times to 32 zero
/// bytes (§2.3). ETChash epoch e uses seed epoch 2e (§2.8).
pub fn seed_hash(seed_epoch: u32) -> [u8; 32] {
    let mut seed = [0u8; 32];
    for _ in 0..seed_epoch {
        seed = keccak256_32(&seed);
    }
    seed
}

/// The seed epoch whose seed is `seed`, walking the keccak256 chain from 32
/// zero bytes up to `max_seed_epoch` (one permutation per step); None when
/// the seed is not on the chain that far. Work that names only its seed hash
/// (EthereumStratum/1.0.0, EthProxy) needs it to find its epoch (§1.6).
pub fn seed_epoch_of(seed: &[u8; 32], max_seed_epoch: u32) -> Option<u32> {
    let mut current = [0u8; 32];
    for seed_epoch in 0..=max_seed_epoch {
        if &current == seed {
            return Some(seed_epoch);
        }
        current = keccak256_32(&current);
    }
    None
}
