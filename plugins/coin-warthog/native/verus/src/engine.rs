//! VerusHash v2.1/v2.2 of an 80-byte input, generic over [`Lanes`]
//! (facts/warthog.md §5.1):
//!
//! 1. absorb: state1 = Haraka512(0^32 ‖ H[0..32]), state2 = Haraka512(state1 ‖ H[32..64]);
//! 2. the buffer: state2 ‖ H[64..80] ‖ state2[0..16] (FillExtra);
//! 3. the key: 276 Haraka-256 blocks chained from state2 (8832 bytes);
//! 4. CLHash of the buffer with the key (mutating it) gives `intermediate`;
//! 5. the buffer's last 16 bytes become `intermediate` twice, little-endian;
//! 6. out = Haraka512 keyed by the mutated key's entries
//!    `intermediate & 511 .. +40`.
//!
//! Steps 1 and 3 read only H[0..64], so a miner does them once per job.

use crate::clhash::clhash;
use crate::haraka::{haraka256, haraka512, haraka512_with};
use crate::lanes::Lanes;
use crate::VerusVersion;

/// Key size in bytes: 1024·8 for CLHash plus 40·16 for the keyed Haraka.
pub(crate) const KEY_BYTES: usize = 1024 * 8 + 40 * 16;
/// Key size in 16-byte entries (552).
pub(crate) const KEY_ENTRIES: usize = KEY_BYTES / 16;
/// Key size in Haraka-256 outputs (276).
const KEY_HARAKA_BLOCKS: usize = KEY_BYTES / 32;
/// CLHash picks entries below 512: the key mask 8191 in 16-byte units.
pub(crate) const KEY_MASK16: usize = 511;

/// The key as 552 entries of 16 bytes, in memory order, cache-line aligned.
#[repr(C, align(64))]
#[derive(Clone)]
pub(crate) struct KeyBlocks(pub(crate) [[u8; 16]; KEY_ENTRIES]);

impl KeyBlocks {
    pub(crate) const ZERO: KeyBlocks = KeyBlocks([[0; 16]; KEY_ENTRIES]);

    /// A zeroed key on the heap (built in place, not on the stack).
    pub(crate) fn boxed() -> Box<KeyBlocks> {
        Box::new(KeyBlocks::ZERO)
    }

    /// The 8832 bytes.
    pub(crate) fn bytes(&self) -> &[u8] {
        self.0.as_flattened()
    }
}

/// The key entries CLHash may have written: two per round.
pub(crate) type MovedEntries = [u16; 64];

/// Step 1: (state1, state2) of the header's first 64 bytes.
#[inline(always)]
pub(crate) fn absorb<L: Lanes>(prefix: &[u8; 64]) -> ([u8; 32], [u8; 32]) {
    let mut buf = [0u8; 64];
    buf[32..].copy_from_slice(&prefix[..32]);
    let state1 = haraka512::<L>(&buf);
    buf[..32].copy_from_slice(&state1);
    buf[32..].copy_from_slice(&prefix[32..]);
    (state1, haraka512::<L>(&buf))
}

/// Step 2: the 64-byte buffer CLHash reads.
pub(crate) fn cur_buf(state2: &[u8; 32], tail: &[u8; 16]) -> [u8; 64] {
    let mut buf = [0u8; 64];
    buf[..32].copy_from_slice(state2);
    buf[32..48].copy_from_slice(tail);
    buf[48..].copy_from_slice(&state2[..16]);
    buf
}

/// Step 3: the fresh key from its seed (state2).
#[inline(always)]
pub(crate) fn expand_key<L: Lanes>(seed: &[u8; 32], key: &mut KeyBlocks) {
    let mut block = *seed;
    for i in 0..KEY_HARAKA_BLOCKS {
        block = haraka256::<L>(&block);
        key.0[2 * i].copy_from_slice(&block[..16]);
        key.0[2 * i + 1].copy_from_slice(&block[16..]);
    }
}

/// Steps 4 to 6 on a fresh key, which is left mutated. Returns the hash and
/// the intermediate.
#[inline(always)]
pub(crate) fn finish<L: Lanes>(
    key: &mut KeyBlocks,
    cur_buf: &[u8; 64],
    version: VerusVersion,
    moved: &mut MovedEntries,
) -> ([u8; 32], u64) {
    let intermediate = match version {
        VerusVersion::V2_1 => clhash::<L, false>(key, cur_buf, moved),
        VerusVersion::V2_2 => clhash::<L, true>(key, cur_buf, moved),
    };
    let input = final_input(cur_buf, intermediate);
    let offset = key_offset(intermediate);
    let rc: &[[u8; 16]; 40] = key.0[offset..offset + 40]
        .try_into()
        .expect("40 entries from offset <= 511 fit in 552");
    (haraka512_with::<L>(&input, rc), intermediate)
}

/// Step 5: the buffer with its last 16 bytes replaced by the intermediate twice.
pub(crate) fn final_input(cur_buf: &[u8; 64], intermediate: u64) -> [u8; 64] {
    let mut input = *cur_buf;
    input[48..56].copy_from_slice(&intermediate.to_le_bytes());
    input[56..64].copy_from_slice(&intermediate.to_le_bytes());
    input
}

/// Step 6: the first of the 40 key entries that key the final Haraka-512.
pub(crate) fn key_offset(intermediate: u64) -> usize {
    (intermediate as usize) & KEY_MASK16
}

/// The whole hash on one code path, the key built on the stack.
#[inline(always)]
pub(crate) fn verus_hash<L: Lanes>(header: &[u8; 80], version: VerusVersion) -> [u8; 32] {
    let (prefix, tail) = split_header(header);
    let (_, state2) = absorb::<L>(prefix);
    let mut key = KeyBlocks::ZERO;
    expand_key::<L>(&state2, &mut key);
    let mut moved = [0; 64];
    finish::<L>(&mut key, &cur_buf(&state2, tail), version, &mut moved).0
}

/// (bytes 0..64, bytes 64..80) of a header.
pub(crate) fn split_header(header: &[u8; 80]) -> (&[u8; 64], &[u8; 16]) {
    let (prefix, tail) = header.split_at(64);
    (
        prefix.try_into().expect("64 bytes"),
        tail.try_into().expect("16 bytes"),
    )
}
