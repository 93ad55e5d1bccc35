//! Hashimoto (facts/ethash.md §2.6): light (items from the cache) and full
//! (items from the dataset), and the quick final-hash check (§2.7).

use crate::cache::{Cache, FastMod};
use crate::dataset::Dataset;
use crate::keccak::{keccak256_seed_mix, keccak512_header_nonce};
use crate::memory::Node;
use crate::params::{fnv, ACCESSES, MIX_BYTES};

/// A hash's two outputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PowResult {
    /// the 32-byte mix digest
    pub mix: [u8; 32],
    /// keccak256(s ‖ mix): compared big-endian with the boundary
    pub final_hash: [u8; 32],
}

/// Hashimoto over any page source; `pages` = dataset bytes / 128 (< 2^32).
#[inline(always)]
fn hashimoto(
    header: &[u8; 32],
    nonce: u64,
    pages: u32,
    mut page: impl FnMut(u32) -> [Node; 2],
) -> PowResult {
    let s = keccak512_header_nonce(header, nonce);
    let mut mix = [0u32; 32];
    mix[..16].copy_from_slice(&s);
    mix[16..].copy_from_slice(&s);
    let modulus = FastMod::new(pages);
    for i in 0..ACCESSES {
        let p = modulus.rem(fnv(i ^ s[0], mix[(i % 32) as usize]));
        let [a, b] = page(p);
        for k in 0..16 {
            mix[k] = fnv(mix[k], a.0[k]);
            mix[16 + k] = fnv(mix[16 + k], b.0[k]);
        }
    }
    let mut cmix = [0u32; 8];
    for (k, c) in cmix.iter_mut().enumerate() {
        let w = &mix[4 * k..4 * k + 4];
        *c = fnv(fnv(fnv(w[0], w[1]), w[2]), w[3]);
    }
    let final_hash = keccak256_seed_mix(&s, &cmix);
    let mut mix_bytes = [0u8; 32];
    for (dst, w) in mix_bytes.chunks_exact_mut(4).zip(cmix.iter()) {
        dst.copy_from_slice(&w.to_le_bytes());
    }
    PowResult {
        mix: mix_bytes,
        final_hash,
    }
}

/// Dataset pages of a dataset size (bytes a positive multiple of 128, < 2^38).
pub fn pages(dataset_bytes: u64) -> u32 {
    (dataset_bytes / MIX_BYTES) as u32
}

/// hashimoto_light: the 128 dataset items it reads are computed from the cache.
pub fn hash_light(cache: &Cache, dataset_bytes: u64, header: &[u8; 32], nonce: u64) -> PowResult {
    hashimoto(header, nonce, pages(dataset_bytes), |p| {
        cache.dataset_item_pair(2 * p)
    })
}

/// hashimoto_full: the items come from the built dataset.
pub fn hash_full(dataset: &Dataset, header: &[u8; 32], nonce: u64) -> PowResult {
    hashimoto(header, nonce, pages(dataset.bytes()), |p| {
        dataset.page(p as usize)
    })
}

/// keccak256(keccak512(header ‖ nonceLE) ‖ mix): the final hash a claimed mix
/// digest implies, two permutations, no cache (§2.7).
pub fn quick_final(header: &[u8; 32], nonce: u64, mix: &[u8; 32]) -> [u8; 32] {
    let s = keccak512_header_nonce(header, nonce);
    let mut cmix = [0u32; 8];
    for (c, b) in cmix.iter_mut().zip(mix.chunks_exact(4)) {
        *c = u32::from_le_bytes(b.try_into().expect("4 bytes"));
    }
    keccak256_seed_mix(&s, &cmix)
}
