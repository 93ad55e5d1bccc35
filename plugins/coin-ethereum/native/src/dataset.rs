//! The full dataset ("DAG", facts/ethash.md §2.5, §2.7): every item computed
//! once from the light cache, on several threads.

use std::sync::Mutex;

use crate::cache::Cache;
use crate::memory::{Node, Nodes};
use crate::params::{HASH_BYTES, MIX_BYTES};
use crate::progress::Progress;

/// Most items one worker claims at a time (2 MiB of dataset).
const BLOCK_ITEMS: usize = 32 * 1024;

/// A built dataset: `bytes / 64` items.
pub struct Dataset {
    nodes: Nodes,
}

/// Checks a dataset size: a positive multiple of 128 with fewer than 2^32
/// items (bytes <= 2^38).
pub fn check_dataset_bytes(bytes: f64) -> Result<u64, String> {
    let valid = bytes.fract() == 0.0
        && bytes >= MIX_BYTES as f64
        && bytes <= (1u64 << 38) as f64
        && (bytes as u64).is_multiple_of(MIX_BYTES);
    if !valid {
        return Err(format!(
            "datasetBytes is {bytes}, it must be a positive multiple of 128, at most 2^38"
        ));
    }
    Ok(bytes as u64)
}

impl Dataset {
    /// Computes all `bytes / 64` items from `cache` on `threads` threads (the
    /// calling thread is one of them). Reports one unit per item.
    pub fn build(
        cache: &Cache,
        bytes: u64,
        threads: u32,
        progress: &Progress,
    ) -> Result<Dataset, String> {
        assert!(bytes.is_multiple_of(MIX_BYTES) && bytes > 0);
        let items = (bytes / HASH_BYTES) as usize;
        let mut nodes = Nodes::zeroed(items)?;
        // at least ~256 blocks, so that progress moves in steps of about 1%
        let block_items = ((items / 256) & !1).clamp(2, BLOCK_ITEMS);
        let blocks = Mutex::new(nodes.chunks_mut(block_items).enumerate());
        let work = || loop {
            let next = blocks.lock().unwrap_or_else(|e| e.into_inner()).next();
            let Some((b, block)) = next else { break };
            let first = (b * block_items) as u32;
            // block_items is even and so is the item count: whole pairs only.
            for (k, pair) in block.chunks_exact_mut(2).enumerate() {
                let [x, y] = cache.dataset_item_pair(first + 2 * k as u32);
                pair[0] = x;
                pair[1] = y;
            }
            progress.advance(block.len() as u64);
        };
        let threads = threads.max(1) as usize;
        std::thread::scope(|scope| {
            for _ in 1..threads {
                scope.spawn(work);
            }
            work();
        });
        Ok(Dataset { nodes })
    }

    /// Bytes (items × 64).
    pub fn bytes(&self) -> u64 {
        self.nodes.len() as u64 * HASH_BYTES
    }

    /// Item `i`.
    pub fn node(&self, i: usize) -> &Node {
        &self.nodes[i]
    }

    /// Page `p` (items 2p and 2p+1).
    #[inline(always)]
    pub fn page(&self, p: usize) -> [Node; 2] {
        [self.nodes[2 * p], self.nodes[2 * p + 1]]
    }
}
