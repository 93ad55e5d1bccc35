//! The public VerusHash entry points: one-shot, and with a per-job key.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::engine::{self, KeyBlocks, MovedEntries};
use crate::Implementation;

/// Which VerusHash: v2.1 for Warthog header version 2 (Janus1–Janus7),
/// v2.2 for version 3 and later (Janus8, mainnet heights > 1,658,880;
/// facts/warthog.md §1.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum VerusVersion {
    /// VerusHash v2.1 (`verusclhash_sv2_1`).
    V2_1,
    /// VerusHash v2.2 (`verusclhash_sv2_2`).
    V2_2,
}

impl VerusVersion {
    /// The version the node uses for a header version (`janus_number()`):
    /// v2.1 when it is 2, v2.2 otherwise.
    pub fn for_header_version(header_version: u32) -> VerusVersion {
        if header_version == 2 {
            VerusVersion::V2_1
        } else {
            VerusVersion::V2_2
        }
    }

    /// The version for an 80-byte header, from its big-endian version field
    /// at bytes 68..72 (facts/warthog.md §2).
    pub fn for_header(header: &[u8; 80]) -> VerusVersion {
        let field = u32::from_be_bytes([header[68], header[69], header[70], header[71]]);
        VerusVersion::for_header_version(field)
    }
}

/// VerusHash of an 80-byte Warthog header, all 80 bytes in, 32 bytes out
/// (the hash's byte 0 is its most significant byte as a Janushash fraction).
///
/// Builds the 8832-byte key on the stack each call; to hash many nonces of
/// one job use [`VerusKey`] and [`verus_hash_with_key`].
///
/// `imp` = `AesNi` on a CPU without it runs `Portable` (same bytes).
pub fn verus_hash(header: &[u8; 80], version: VerusVersion, imp: Implementation) -> [u8; 32] {
    imp.verus_hash(header, version)
}

/// Source of [`VerusKey`] ids, so a scratch knows which key its copy came from.
static NEXT_KEY_ID: AtomicU64 = AtomicU64::new(1);

/// The per-job part: everything that depends only on header bytes 0..63
/// (prevHash, target and the first 28 bytes of the merkle root): state2 and
/// the fresh 8832-byte key. Built once per job and extranonce, shared
/// read-only by every scanning thread (it is `Send + Sync`).
#[derive(Clone)]
pub struct VerusKey {
    prefix: [u8; 64],
    state2: [u8; 32],
    key: Box<KeyBlocks>,
    imp: Implementation,
    id: u64,
}

impl VerusKey {
    /// Absorbs `prefix` (header bytes 0..64) and expands the key: two
    /// Haraka-512 and 276 Haraka-256 on `imp` (or `Portable` where `AesNi` is
    /// unavailable). Hashes with this key run on the same path.
    pub fn new(prefix: &[u8; 64], imp: Implementation) -> VerusKey {
        let imp = imp.effective();
        let (_, state2) = imp.absorb(prefix);
        let mut key = KeyBlocks::boxed();
        imp.expand_key(&state2, &mut key);
        VerusKey {
            prefix: *prefix,
            state2,
            key,
            imp,
            id: NEXT_KEY_ID.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// The header bytes 0..64 this key was built from.
    pub fn prefix(&self) -> &[u8; 64] {
        &self.prefix
    }

    /// state2 = Haraka512(state1 ‖ header[32..64]), the key's seed.
    pub fn state2(&self) -> &[u8; 32] {
        &self.state2
    }

    /// The fresh (unmutated) key, 8832 bytes.
    pub fn key_bytes(&self) -> &[u8] {
        self.key.bytes()
    }

    /// The code path hashes with this key run on.
    pub fn implementation(&self) -> Implementation {
        self.imp
    }

    /// Whether `header` starts with this key's prefix.
    pub fn matches(&self, header: &[u8; 80]) -> bool {
        header[..64] == self.prefix
    }
}

impl fmt::Debug for VerusKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerusKey")
            .field("prefix", &hex(&self.prefix))
            .field("state2", &hex(&self.state2))
            .field("imp", &self.imp)
            .finish_non_exhaustive()
    }
}

/// Reusable per-thread scratch: a working copy of a key, which CLHash
/// mutates, and the list of entries it changed. The next hash with the same
/// key restores just those 64 entries (not the 8832 bytes); a hash with
/// another key copies it whole. About 9 KB; one per scanning thread.
pub struct VerusScratch {
    work: Box<KeyBlocks>,
    moved: MovedEntries,
    /// The id of the key `work` holds, with only `moved` changed since; None
    /// when `work` holds nothing usable.
    source: Option<u64>,
}

impl VerusScratch {
    /// An empty scratch; the first hash fills it.
    pub fn new() -> VerusScratch {
        VerusScratch {
            work: KeyBlocks::boxed(),
            moved: [0; 64],
            source: None,
        }
    }

    /// Makes `work` equal to `key`'s fresh key.
    fn reset_to(&mut self, key: &VerusKey) {
        if self.source == Some(key.id) {
            for &i in &self.moved {
                let i = i as usize;
                self.work.0[i] = key.key.0[i];
            }
        } else {
            self.work.0 = key.key.0;
        }
        // Marked unusable until the hash completes and `moved` is complete.
        self.source = None;
    }
}

impl Default for VerusScratch {
    fn default() -> Self {
        VerusScratch::new()
    }
}

impl fmt::Debug for VerusScratch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerusScratch")
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

/// The same bytes as [`verus_hash`] for any header whose first 64 bytes are
/// the key's prefix, without redoing the key: CLHash on a restored copy of
/// the key, then the keyed Haraka-512. Runs on the key's implementation.
///
/// A header whose first 64 bytes differ from the key's prefix still gets its
/// correct hash, by the full one-shot path (slow; check with
/// [`VerusKey::matches`] when building headers).
pub fn verus_hash_with_key(
    key: &VerusKey,
    header: &[u8; 80],
    version: VerusVersion,
    scratch: &mut VerusScratch,
) -> [u8; 32] {
    let (prefix, tail) = engine::split_header(header);
    if *prefix != key.prefix {
        return verus_hash(header, version, key.imp);
    }
    scratch.reset_to(key);
    let buf = engine::cur_buf(&key.state2, tail);
    let (out, _) = key
        .imp
        .finish(&mut scratch.work, &buf, version, &mut scratch.moved);
    scratch.source = Some(key.id);
    out
}

/// Every intermediate value of one VerusHash, for debugging a port against
/// facts/warthog.md §6-F.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerusTrace {
    /// Haraka512(0^32 ‖ header[0..32]).
    pub state1: [u8; 32],
    /// Haraka512(state1 ‖ header[32..64]), the key seed.
    pub state2: [u8; 32],
    /// The buffer CLHash reads: state2 ‖ header[64..80] ‖ state2[0..16].
    pub cur_buf: [u8; 64],
    /// The key before CLHash, 8832 bytes.
    pub fresh_key: Vec<u8>,
    /// CLHash's result.
    pub intermediate: u64,
    /// `intermediate & 511`: the first of the 40 key entries keying the final Haraka-512.
    pub key_offset: usize,
    /// The key after CLHash, 8832 bytes.
    pub mutated_key: Vec<u8>,
    /// The final Haraka-512 input: cur_buf with bytes 48..64 = intermediate twice, little-endian.
    pub final_input: [u8; 64],
    /// The hash.
    pub out: [u8; 32],
}

/// [`verus_hash`] with every intermediate value kept.
pub fn verus_trace(header: &[u8; 80], version: VerusVersion, imp: Implementation) -> VerusTrace {
    let imp = imp.effective();
    let (prefix, tail) = engine::split_header(header);
    let (state1, state2) = imp.absorb(prefix);
    let mut key = KeyBlocks::boxed();
    imp.expand_key(&state2, &mut key);
    let fresh_key = key.bytes().to_vec();
    let cur_buf = engine::cur_buf(&state2, tail);
    let mut moved = [0; 64];
    let (out, intermediate) = imp.finish(&mut key, &cur_buf, version, &mut moved);
    VerusTrace {
        state1,
        state2,
        cur_buf,
        fresh_key,
        intermediate,
        key_offset: engine::key_offset(intermediate),
        mutated_key: key.bytes().to_vec(),
        final_input: engine::final_input(&cur_buf, intermediate),
        out,
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The key entries a hash changes are exactly among those it records.
    #[test]
    fn moved_entries_cover_every_change() {
        let mut header = [0u8; 80];
        for (i, b) in header.iter_mut().enumerate() {
            *b = (i as u8).wrapping_mul(151).wrapping_add(7);
        }
        for version in [VerusVersion::V2_1, VerusVersion::V2_2] {
            for nonce in 0u32..64 {
                header[76..].copy_from_slice(&nonce.to_le_bytes());
                let imp = Implementation::Portable;
                let (prefix, tail) = engine::split_header(&header);
                let (_, state2) = imp.absorb(prefix);
                let mut key = KeyBlocks::boxed();
                imp.expand_key(&state2, &mut key);
                let fresh = key.clone();
                let mut moved = [0u16; 64];
                imp.finish(
                    &mut key,
                    &engine::cur_buf(&state2, tail),
                    version,
                    &mut moved,
                );
                for i in 0..engine::KEY_ENTRIES {
                    if key.0[i] != fresh.0[i] {
                        assert!(
                            moved.contains(&(i as u16)),
                            "entry {i} changed but was not recorded"
                        );
                    }
                }
            }
        }
    }
}
