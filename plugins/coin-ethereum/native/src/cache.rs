//! The light cache (facts/ethash.md §2.4) and the dataset items computed from
//! it (§2.5).

use crate::keccak::{keccak256_words, keccak512_32, keccak512_words};
use crate::memory::{Node, Nodes};
use crate::params::{fnv, CACHE_ROUNDS, DATASET_PARENTS, HASH_BYTES};
use crate::progress::Progress;

/// `a mod d` for a fixed 32-bit divisor, with two multiplications instead of
/// a division (Lemire, Kaser and Kurz, "Faster remainder by direct
/// computation", 2019): exact for every 32-bit `a` and `d > 0`.
#[derive(Clone, Copy, Debug)]
pub struct FastMod {
    d: u32,
    m: u64,
}

impl FastMod {
    pub fn new(d: u32) -> Self {
        assert!(d > 0, "modulus must be positive");
        FastMod {
            d,
            m: (u64::MAX / d as u64).wrapping_add(1),
        }
    }

    #[inline(always)]
    pub fn rem(&self, a: u32) -> u32 {
        let low = self.m.wrapping_mul(a as u64);
        ((low as u128 * self.d as u128) >> 64) as u32
    }
}

/// An epoch's light cache: `bytes / 64` items of 16 little-endian words.
pub struct Cache {
    nodes: Nodes,
    modulus: FastMod,
}

/// Checks a cache size: a positive multiple of 64, at most 2^32 bytes.
pub fn check_cache_bytes(bytes: f64) -> Result<u64, String> {
    let valid = bytes.fract() == 0.0
        && bytes >= HASH_BYTES as f64
        && bytes <= (1u64 << 32) as f64
        && (bytes as u64).is_multiple_of(HASH_BYTES);
    if !valid {
        return Err(format!(
            "cacheBytes is {bytes}, it must be a positive multiple of 64, at most 2^32"
        ));
    }
    Ok(bytes as u64)
}

impl Cache {
    /// Builds a cache of `bytes` (a positive multiple of 64) from `seed`:
    /// the keccak512 chain, then 3 rounds of RandMemoHash. Reports 4·n steps.
    pub fn build(bytes: u64, seed: &[u8; 32], progress: &Progress) -> Result<Cache, String> {
        assert!(bytes.is_multiple_of(HASH_BYTES) && bytes > 0 && bytes <= 1 << 32);
        let n = (bytes / HASH_BYTES) as usize;
        let mut nodes = Nodes::zeroed(n)?;
        let step = (n / 256).max(1);
        let mut since = 0u64;
        let mut tick = |progress: &Progress| {
            since += 1;
            if since == step as u64 {
                progress.advance(since);
                since = 0;
            }
        };
        nodes[0] = Node(keccak512_32(seed));
        tick(progress);
        for i in 1..n {
            let mut item = nodes[i - 1].0;
            keccak512_words(&mut item);
            nodes[i].0 = item;
            tick(progress);
        }
        let modulus = FastMod::new(n as u32);
        for _ in 0..CACHE_ROUNDS {
            for i in 0..n {
                let v = modulus.rem(nodes[i].0[0]) as usize;
                let u = if i == 0 { n - 1 } else { i - 1 };
                let mut item = [0u32; 16];
                for (k, w) in item.iter_mut().enumerate() {
                    *w = nodes[u].0[k] ^ nodes[v].0[k];
                }
                keccak512_words(&mut item);
                nodes[i].0 = item;
                tick(progress);
            }
        }
        Ok(Cache { nodes, modulus })
    }

    /// Items (512 bits each).
    pub fn items(&self) -> u32 {
        self.nodes.len() as u32
    }

    /// Bytes (items × 64).
    pub fn bytes(&self) -> u64 {
        self.nodes.len() as u64 * HASH_BYTES
    }

    /// Item `i` of the cache itself.
    pub fn node(&self, i: u32) -> &Node {
        &self.nodes[i as usize]
    }

    /// keccak256 of the whole cache as bytes (facts/ethash.md §4.6).
    pub fn digest(&self) -> [u8; 32] {
        // SAFETY: Node is repr(C) [u32; 16] with size 64 and no padding, so
        // the nodes are len·16 consecutive initialised u32 words.
        let words = unsafe {
            std::slice::from_raw_parts(self.nodes.as_ptr().cast::<u32>(), self.nodes.len() * 16)
        };
        keccak256_words(words)
    }

    /// The dataset's 512-bit item `i` (§2.5).
    pub fn dataset_item(&self, i: u32) -> Node {
        let cache = &self.nodes[..];
        let mut mix = cache[self.modulus.rem(i) as usize].0;
        mix[0] ^= i;
        keccak512_words(&mut mix);
        for j in 0..DATASET_PARENTS {
            let parent = self.modulus.rem(fnv(i ^ j, mix[(j % 16) as usize])) as usize;
            let p = &cache[parent].0;
            for k in 0..16 {
                mix[k] = fnv(mix[k], p[k]);
            }
        }
        keccak512_words(&mut mix);
        Node(mix)
    }

    /// Dataset items `i` and `i + 1` (one hashimoto page when `i` is even),
    /// computed side by side: the two chains of 256 dependent cache reads
    /// overlap, so the memory latency is paid about once for both.
    #[inline]
    pub fn dataset_item_pair(&self, i: u32) -> [Node; 2] {
        let cache = &self.nodes[..];
        let i1 = i.wrapping_add(1);
        let mut a = cache[self.modulus.rem(i) as usize].0;
        let mut b = cache[self.modulus.rem(i1) as usize].0;
        a[0] ^= i;
        b[0] ^= i1;
        keccak512_words(&mut a);
        keccak512_words(&mut b);
        for j in 0..DATASET_PARENTS {
            let pa = self.modulus.rem(fnv(i ^ j, a[(j % 16) as usize])) as usize;
            let pb = self.modulus.rem(fnv(i1 ^ j, b[(j % 16) as usize])) as usize;
            let ca = &cache[pa].0;
            let cb = &cache[pb].0;
            for k in 0..16 {
                a[k] = fnv(a[k], ca[k]);
                b[k] = fnv(b[k], cb[k]);
            }
        }
        keccak512_words(&mut a);
        keccak512_words(&mut b);
        [Node(a), Node(b)]
    }
}
