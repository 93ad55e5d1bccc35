//! The Stratum merkle root of one share (facts/bitcoin-stratum.md, "Byte
//! orders" rule 5): r = sha256d(coinbase); for each branch b in order,
//! r = sha256d(r | b). Branches and r are raw bytes (hash order).

use crate::implementation::Implementation;
use crate::sha256::sha256d;

/// Bytes of one merkle branch (a sha256d digest).
pub const BRANCH_BYTES: usize = 32;

/// The merkle root a share's coinbase makes through the job's branch.
///
/// - `coinbase`: the coinbase without witness (coinb1 | extranonce1 |
///   extranonce2 | coinb2), any length; its sha256d is the coinbase txid.
/// - `branches`: the branch hashes concatenated, 32 bytes each, bottom level
///   first; empty for a block with the coinbase alone (the root is the txid).
///
/// Returns the root as it goes into the header (hash order), or an error
/// naming the length when `branches` is not a multiple of 32 bytes.
pub fn merkle_root(
    imp: Implementation,
    coinbase: &[u8],
    branches: &[u8],
) -> Result<[u8; 32], String> {
    if !branches.len().is_multiple_of(BRANCH_BYTES) {
        return Err(format!(
            "branches is {} bytes, expected a multiple of {BRANCH_BYTES} (the branch hashes concatenated)",
            branches.len()
        ));
    }
    let mut root = sha256d(imp, coinbase);
    let mut pair = [0u8; 2 * BRANCH_BYTES];
    for branch in branches.chunks_exact(BRANCH_BYTES) {
        pair[..BRANCH_BYTES].copy_from_slice(&root);
        pair[BRANCH_BYTES..].copy_from_slice(branch);
        root = sha256d(imp, &pair);
    }
    Ok(root)
}
