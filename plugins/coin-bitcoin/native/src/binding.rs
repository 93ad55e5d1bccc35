//! The napi-rs surface (JS names in camelCase). Loaded through the generated
//! `native/index.js`; typed by the generated `native/index.d.ts`.

use napi::bindgen_prelude::{AsyncTask, Buffer, BufferSlice};
use napi::{Env, Error, Result, Status, Task};
use napi_derive::napi;

use crate::implementation::Implementation;
use crate::merkle;
use crate::scan::{ScanJob, ScanOutcome};
use crate::sha256;

fn invalid(message: String) -> Error {
    Error::new(Status::InvalidArg, message)
}

fn resolve(requested: Option<String>) -> Result<Implementation> {
    Implementation::resolve(requested.as_deref()).map_err(invalid)
}

/// SHA-256(SHA-256(data)): 32 bytes in hash order (the raw digest). Block
/// explorers and RPC print these bytes reversed.
///
/// `implementation`: "auto" (default), "portable" or "sha-ni" (refused when the
/// CPU lacks the SHA extensions). Every implementation returns the same bytes.
#[napi(js_name = "sha256d")]
pub fn sha256d<'env>(
    env: &'env Env,
    data: BufferSlice<'env>,
    implementation: Option<String>,
) -> Result<BufferSlice<'env>> {
    let imp = resolve(implementation)?;
    BufferSlice::copy_from(env, sha256::sha256d(imp, &data))
}

/// The Stratum merkle root of a share: r = sha256d(coinbase), then for each
/// 32-byte branch b in order r = sha256d(r | b) (facts/bitcoin-stratum.md,
/// "Byte orders" rule 5). 32 bytes in hash order, as the header stores them.
///
/// - `coinbase`: coinb1 | extranonce1 | extranonce2 | coinb2 (without
///   witness), raw bytes, any length.
/// - `branches`: the job's merkle branch, raw bytes, bottom level first, the
///   32-byte hashes concatenated (empty: the root is the coinbase txid).
/// - `implementation`: as for `sha256d`.
///
/// Throws (InvalidArg) when `branches` is not a multiple of 32 bytes.
#[napi(js_name = "merkleRoot")]
pub fn merkle_root<'env>(
    env: &'env Env,
    coinbase: BufferSlice<'env>,
    branches: BufferSlice<'env>,
    implementation: Option<String>,
) -> Result<BufferSlice<'env>> {
    let imp = resolve(implementation)?;
    let root = merkle::merkle_root(imp, &coinbase, &branches).map_err(invalid)?;
    BufferSlice::copy_from(env, root)
}

/// `out[offset..offset + 32]`, checked: the slot a `*Into` call writes.
fn slot(out: &mut [u8], offset: u32) -> Result<&mut [u8]> {
    let len = out.len();
    let at = offset as usize;
    out.get_mut(at..at + 32).ok_or_else(|| {
        invalid(format!(
            "out is {len} bytes, 32 bytes from offset {at} do not fit"
        ))
    })
}

/// As `sha256d`, but writes the 32 bytes into `out` at `offset` instead of
/// returning a new Buffer (a napi Buffer costs more than the hash of a
/// header; the caller copies from its scratch into a pooled Buffer).
///
/// Throws (InvalidArg) when `out` has fewer than `offset + 32` bytes.
#[napi(js_name = "sha256dInto")]
pub fn sha256d_into(
    data: BufferSlice,
    mut out: BufferSlice,
    offset: u32,
    implementation: Option<String>,
) -> Result<()> {
    let imp = resolve(implementation)?;
    let hash = sha256::sha256d(imp, &data);
    slot(&mut out, offset)?.copy_from_slice(&hash);
    Ok(())
}

/// As `merkleRoot`, but writes the 32 bytes into `out` at `offset` (an
/// 80-byte header: offset 36, where the root goes) instead of returning a
/// new Buffer.
///
/// Throws (InvalidArg) when `branches` is not a multiple of 32 bytes or
/// `out` has fewer than `offset + 32` bytes; `out` is then left as it was.
#[napi(js_name = "merkleRootInto")]
pub fn merkle_root_into(
    coinbase: BufferSlice,
    branches: BufferSlice,
    mut out: BufferSlice,
    offset: u32,
    implementation: Option<String>,
) -> Result<()> {
    let imp = resolve(implementation)?;
    let target = slot(&mut out, offset)?;
    let root = merkle::merkle_root(imp, &coinbase, &branches).map_err(invalid)?;
    target.copy_from_slice(&root);
    Ok(())
}

/// The implementation a request resolves to on this CPU: "sha-ni" or
/// "portable". `requested` is "auto" (default: the fastest this CPU runs),
/// "portable" or "sha-ni"; throws for an unknown name, or "sha-ni" on a CPU
/// without the SHA extensions.
#[napi]
pub fn implementation(requested: Option<String>) -> Result<String> {
    Ok(resolve(requested)?.name().to_owned())
}

/// Every implementation this CPU runs, fastest first (e.g. ["sha-ni", "portable"]).
#[napi]
pub fn implementations() -> Vec<String> {
    Implementation::available()
        .into_iter()
        .map(|imp| imp.name().to_owned())
        .collect()
}

/// A nonce whose header hash is <= the target.
#[napi(object)]
pub struct ScanHit {
    /// uint32 nonce, stored little-endian at header bytes 76..80
    pub nonce: u32,
    /// SHA-256d of the header with that nonce, 32 bytes in hash order
    pub hash: Buffer,
}

/// What a scan did.
#[napi(object)]
pub struct ScanResult {
    /// at most 4096 hits, ascending nonce
    pub hits: Vec<ScanHit>,
    /// hits past the 4096 cap that were not returned (0 unless the target is absurdly easy)
    pub dropped: f64,
    /// hashes computed (= count)
    pub hashes: f64,
}

/// The work of one `scan` call, run on the libuv pool (it spawns its own
/// scoped threads for `threads > 1`).
pub struct ScanTask {
    job: ScanJob,
}

#[napi]
impl Task for ScanTask {
    type Output = ScanOutcome;
    type JsValue = ScanResult;

    fn compute(&mut self) -> Result<Self::Output> {
        Ok(self.job.run())
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> Result<Self::JsValue> {
        Ok(ScanResult {
            hits: output
                .hits
                .into_iter()
                .map(|hit| ScanHit {
                    nonce: hit.nonce,
                    hash: hit.hash.to_vec().into(),
                })
                .collect(),
            dropped: output.dropped as f64,
            hashes: output.hashes as f64,
        })
    }
}

/// Walks `count` nonces from `startNonce` for one 80-byte header, off the
/// event loop, and resolves with every nonce whose SHA-256d is <= `target`.
///
/// - `header`: 80 bytes. Copied before the call returns (the caller may reuse
///   the buffer); each nonce goes little-endian into bytes 76..80 of the copy.
/// - `startNonce`: integer in [0, 2^32); `count`: integer, `startNonce + count <= 2^32`.
/// - `target`: 32 bytes, a 256-bit little-endian number (the hash's own byte
///   order; the reverse of how explorers print targets). Copied like `header`.
/// - `threads`: 1..=256 native threads, each walking a contiguous share.
/// - `implementation`: as for `sha256d`.
///
/// At most 4096 hits come back (the lowest nonces); `dropped` counts the rest,
/// so an absurdly easy target cannot allocate without bound.
/// Throws (synchronously) with a message naming the bad value.
#[napi]
pub fn scan(
    header: BufferSlice,
    start_nonce: f64,
    count: f64,
    target: BufferSlice,
    threads: f64,
    implementation: Option<String>,
) -> Result<AsyncTask<ScanTask>> {
    let imp = resolve(implementation)?;
    let job = ScanJob::new(&header, start_nonce, count, &target, threads, imp).map_err(invalid)?;
    Ok(AsyncTask::new(ScanTask { job }))
}
