//! The napi-rs surface (JS names in camelCase). Loaded through the generated
//! `native/index.js`; typed by the generated `native/index.d.ts`.
//!
//! Argument errors throw synchronously (status InvalidArg) with a message
//! naming the value; work that loops runs off the event loop (AsyncTask on
//! the libuv pool, which spawns its own scoped threads for `threads > 1`).

use std::sync::{mpsc, Arc};

use napi::bindgen_prelude::{AsyncTask, BigInt, Buffer, BufferSlice, Unknown};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::{Env, Error, Result, Status, Task};
use napi_derive::napi;

use crate::cache::{check_cache_bytes, Cache};
use crate::dataset::{check_dataset_bytes, Dataset as FullDataset};
use crate::hashimoto::{self, PowResult};
use crate::params::{self, MAX_EPOCH, MAX_SEED_EPOCH};
use crate::progress::Progress;
use crate::scan::{self, check_range, check_threads, Range, ScanOutcome};

fn invalid(message: String) -> Error {
    Error::new(Status::InvalidArg, message)
}

/// A JS progress callback, callable from any thread; weak: it does not keep
/// the event loop alive (the pending task does).
type ProgressFn = ThreadsafeFunction<f64, Unknown<'static>, f64, Status, false, true>;

/// Sends progress to an optional JS callback: each new percent without
/// waiting, then 1.0 waiting until the callback has run, so that every call
/// happens before the promise settles.
struct Reporter {
    callback: Option<ProgressFn>,
}

impl Reporter {
    fn run<T>(&self, total: u64, work: impl FnOnce(&Progress) -> T) -> T {
        match &self.callback {
            None => work(&Progress::none()),
            Some(callback) => {
                let sink = |fraction: f64| {
                    callback.call(fraction, ThreadsafeFunctionCallMode::NonBlocking);
                };
                work(&Progress::new(Some(&sink), total))
            }
        }
    }

    fn finish(&self) {
        let Some(callback) = &self.callback else {
            return;
        };
        let (done, ran) = mpsc::channel::<()>();
        let status = callback.call_with_return_value(
            1.0,
            ThreadsafeFunctionCallMode::Blocking,
            move |returned, _env| {
                let _ = done.send(());
                // a throwing callback surfaces as an uncaught exception, like
                // the calls before it
                returned.map(|_| ())
            },
        );
        if status == Status::Ok {
            // Err only when the call was dropped (environment closing).
            let _ = ran.recv();
        }
    }
}

fn header_hash(bytes: &[u8]) -> Result<[u8; 32]> {
    bytes.try_into().map_err(|_| {
        invalid(format!(
            "headerHash is {} bytes, it must be 32",
            bytes.len()
        ))
    })
}

fn nonce_u64(nonce: &BigInt, name: &str) -> Result<u64> {
    let value = nonce.words.first().copied().unwrap_or(0);
    let high = nonce.words.iter().skip(1).any(|&w| w != 0);
    if high || (nonce.sign_bit && value != 0) {
        let sign = if nonce.sign_bit { "-" } else { "" };
        let hex: String = nonce
            .words
            .iter()
            .rev()
            .map(|w| format!("{w:016x}"))
            .collect();
        return Err(invalid(format!(
            "{name} is {sign}0x{}, it must be in [0, 2^64)",
            hex.trim_start_matches('0')
        )));
    }
    Ok(value)
}

fn epoch_arg(epoch: f64, name: &str, max: u32) -> Result<u32> {
    if !(epoch.fract() == 0.0 && (0.0..=max as f64).contains(&epoch)) {
        return Err(invalid(format!(
            "{name} is {epoch}, it must be an integer in [0, {max}]"
        )));
    }
    Ok(epoch as u32)
}

/// A hash's outputs.
#[napi(object)]
pub struct EthashResult {
    /// mix digest, 32 bytes
    pub mix: Buffer,
    /// final hash, 32 bytes, compared big-endian with the boundary
    #[napi(js_name = "final")]
    pub final_hash: Buffer,
}

impl From<PowResult> for EthashResult {
    fn from(r: PowResult) -> Self {
        EthashResult {
            mix: r.mix.to_vec().into(),
            final_hash: r.final_hash.to_vec().into(),
        }
    }
}

/// Light cache bytes of an epoch (facts/ethash.md §2.2): the largest value <=
/// 2^24 + 2^17·epoch − 64 whose item count is prime. `epoch`: integer in
/// [0, 32639] (ETChash: the 60000-block epoch).
#[napi]
pub fn cache_size(epoch: f64) -> Result<f64> {
    Ok(params::cache_size(epoch_arg(epoch, "epoch", MAX_EPOCH)?) as f64)
}

/// Dataset bytes of an epoch (facts/ethash.md §2.2): the largest value <=
/// 2^30 + 2^23·epoch − 128 whose page count is prime. `epoch`: integer in
/// [0, 32639] (ETChash: the 60000-block epoch).
#[napi]
pub fn dataset_size(epoch: f64) -> Result<f64> {
    Ok(params::dataset_size(epoch_arg(epoch, "epoch", MAX_EPOCH)?) as f64)
}

/// Seed hash (32 bytes) of a seed epoch: keccak256 applied `seedEpoch` times
/// to 32 zero bytes (facts/ethash.md §2.3). ethash: seedEpoch = epoch;
/// ETChash: seedEpoch = 2·epoch (§2.8). `seedEpoch`: integer in [0, 65278].
#[napi]
pub fn seed_hash(seed_epoch: f64) -> Result<Buffer> {
    let seed_epoch = epoch_arg(seed_epoch, "seedEpoch", MAX_SEED_EPOCH)?;
    Ok(params::seed_hash(seed_epoch).to_vec().into())
}

/// The seed epoch of a seed hash: the number of keccak256 rounds over 32 zero
/// bytes that give `seed` (facts/ethash.md §2.3), searched over [0, 65278];
/// null when it is none of them. For work that names only its seed hash
/// (EthereumStratum/1.0.0, EthProxy, plain stratum, §1.6).
/// `seed`: 32 bytes, else an InvalidArg error.
#[napi]
pub fn seed_epoch_of(seed: BufferSlice) -> Result<Option<u32>> {
    let seed: &[u8; 32] = seed.as_ref().try_into().map_err(|_| {
        Error::new(Status::InvalidArg, format!("seed must be 32 bytes, got {}", seed.len()))
    })?;
    Ok(params::seed_epoch_of(seed, MAX_SEED_EPOCH))
}

/// keccak256(keccak512(headerHash ‖ nonce as 8 bytes little-endian) ‖ mix):
/// the final hash a claimed mix digest implies; two Keccak permutations, no
/// cache (facts/ethash.md §2.7). Compare it with the boundary before paying
/// for a light hash, then check that the light hash's mix equals `mix`.
#[napi]
pub fn quick_final(header_hash: BufferSlice, nonce: BigInt, mix: BufferSlice) -> Result<Buffer> {
    let header = self::header_hash(&header_hash)?;
    let nonce = nonce_u64(&nonce, "nonce")?;
    let mix: [u8; 32] = mix[..]
        .try_into()
        .map_err(|_| invalid(format!("mix is {} bytes, it must be 32", mix.len())))?;
    Ok(hashimoto::quick_final(&header, nonce, &mix).to_vec().into())
}

/// The code path hashes run on: "portable" (scalar Rust; the compiler may
/// auto-vectorise the FNV loops for the build target).
#[napi]
pub fn implementation() -> String {
    "portable".to_owned()
}

/// An epoch's light cache (facts/ethash.md §2.4), shared by every hash and
/// scan that uses it (no copy). Made by `buildLightCache`; freed when the
/// last JS reference and the last task using it are gone.
#[napi]
pub struct LightCache {
    inner: Arc<Cache>,
}

#[napi]
impl LightCache {
    /// Size in bytes (items × 64).
    #[napi(getter)]
    pub fn bytes(&self) -> f64 {
        self.inner.bytes() as f64
    }

    /// keccak256 of the whole cache as bytes, 32 bytes (facts/ethash.md §4.6).
    /// Synchronous; about 60 ms per 16 MB.
    #[napi]
    pub fn digest(&self) -> Buffer {
        self.inner.digest().to_vec().into()
    }

    /// Item `index` of the cache itself (64 bytes, 16 little-endian words;
    /// facts/ethash.md §2.4). `index`: integer in [0, bytes / 64).
    #[napi]
    pub fn cache_item(&self, index: f64) -> Result<Buffer> {
        let items = self.inner.items();
        if !(index.fract() == 0.0 && index >= 0.0 && index < items as f64) {
            return Err(invalid(format!(
                "index is {index}, it must be an integer in [0, {items})"
            )));
        }
        Ok(self.inner.node(index as u32).to_bytes().to_vec().into())
    }

    /// Dataset item `index` (64 bytes, facts/ethash.md §2.5), computed from
    /// the cache. `index`: integer in [0, 2^32).
    #[napi]
    pub fn dataset_item(&self, index: f64) -> Result<Buffer> {
        if !(index.fract() == 0.0 && (0.0..4_294_967_296.0).contains(&index)) {
            return Err(invalid(format!(
                "index is {index}, it must be an integer in [0, 2^32)"
            )));
        }
        Ok(self
            .inner
            .dataset_item(index as u32)
            .to_bytes()
            .to_vec()
            .into())
    }

    /// hashimoto_light (facts/ethash.md §2.6), synchronously (a few ms).
    /// - `datasetBytes`: the epoch's dataset size, a positive multiple of 128
    /// - `headerHash`: 32 bytes (the seal hash from eth_getWork)
    /// - `nonce`: bigint in [0, 2^64), hashed as 8 bytes little-endian
    #[napi]
    pub fn hash(
        &self,
        dataset_bytes: f64,
        header_hash: BufferSlice,
        nonce: BigInt,
    ) -> Result<EthashResult> {
        let dataset_bytes = check_dataset_bytes(dataset_bytes).map_err(invalid)?;
        let header = self::header_hash(&header_hash)?;
        let nonce = nonce_u64(&nonce, "nonce")?;
        Ok(hashimoto::hash_light(&self.inner, dataset_bytes, &header, nonce).into())
    }

    /// `hash` on the libuv pool: the event loop stays free while a share is
    /// verified. Same arguments and result.
    #[napi(ts_return_type = "Promise<EthashResult>")]
    pub fn hash_async(
        &self,
        dataset_bytes: f64,
        header_hash: BufferSlice,
        nonce: BigInt,
    ) -> Result<AsyncTask<LightHashTask>> {
        Ok(AsyncTask::new(LightHashTask {
            cache: self.inner.clone(),
            dataset_bytes: check_dataset_bytes(dataset_bytes).map_err(invalid)?,
            header: self::header_hash(&header_hash)?,
            nonce: nonce_u64(&nonce, "nonce")?,
        }))
    }
}

/// One light hash on the libuv pool.
pub struct LightHashTask {
    cache: Arc<Cache>,
    dataset_bytes: u64,
    header: [u8; 32],
    nonce: u64,
}

#[napi]
impl Task for LightHashTask {
    type Output = PowResult;
    type JsValue = EthashResult;

    fn compute(&mut self) -> Result<Self::Output> {
        Ok(hashimoto::hash_light(
            &self.cache,
            self.dataset_bytes,
            &self.header,
            self.nonce,
        ))
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> Result<Self::JsValue> {
        Ok(output.into())
    }
}

/// Builds a light cache on the libuv pool.
pub struct BuildCacheTask {
    bytes: u64,
    seed: [u8; 32],
    reporter: Reporter,
}

#[napi]
impl Task for BuildCacheTask {
    type Output = Cache;
    type JsValue = LightCache;

    fn compute(&mut self) -> Result<Self::Output> {
        let (bytes, seed) = (self.bytes, self.seed);
        let items = bytes / 64;
        let cache = self
            .reporter
            .run(4 * items, |progress| Cache::build(bytes, &seed, progress))
            .map_err(|e| Error::new(Status::GenericFailure, e))?;
        self.reporter.finish();
        Ok(cache)
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> Result<Self::JsValue> {
        Ok(LightCache {
            inner: Arc::new(output),
        })
    }
}

/// Builds a light cache (facts/ethash.md §2.4) off the event loop.
///
/// - `cacheBytes`: a positive multiple of 64, at most 2^32 (`cacheSize(epoch)`
///   for a real epoch; 1024 for the tiny test vector)
/// - `seed`: 32 bytes (`seedHash(epoch)`; ETChash: `seedHash(2 * epoch)`)
/// - `onProgress`: called with 0.01, 0.02, ... and finally 1, each at most
///   once, all before the promise resolves; it must not throw
///
/// Throws synchronously for a bad size or seed; rejects if memory runs out.
#[napi(ts_return_type = "Promise<LightCache>")]
pub fn build_light_cache(
    cache_bytes: f64,
    seed: BufferSlice,
    #[napi(ts_arg_type = "(fraction: number) => void")] on_progress: Option<ProgressFn>,
) -> Result<AsyncTask<BuildCacheTask>> {
    let bytes = check_cache_bytes(cache_bytes).map_err(invalid)?;
    let seed: [u8; 32] = seed[..]
        .try_into()
        .map_err(|_| invalid(format!("seed is {} bytes, it must be 32", seed.len())))?;
    Ok(AsyncTask::new(BuildCacheTask {
        bytes,
        seed,
        reporter: Reporter {
            callback: on_progress,
        },
    }))
}

/// A full dataset (facts/ethash.md §2.7): 1-5 GB for real epochs. Made by
/// `buildDataset`; freed when the last JS reference and task are gone.
#[napi]
pub struct Dataset {
    inner: Arc<FullDataset>,
}

#[napi]
impl Dataset {
    /// Size in bytes (items × 64).
    #[napi(getter)]
    pub fn bytes(&self) -> f64 {
        self.inner.bytes() as f64
    }

    /// Item `index` (64 bytes). `index`: integer in [0, bytes / 64).
    #[napi]
    pub fn item(&self, index: f64) -> Result<Buffer> {
        let items = self.inner.bytes() / 64;
        if !(index.fract() == 0.0 && index >= 0.0 && index < items as f64) {
            return Err(invalid(format!(
                "index is {index}, it must be an integer in [0, {items})"
            )));
        }
        Ok(self.inner.node(index as usize).to_bytes().to_vec().into())
    }

    /// hashimoto_full (facts/ethash.md §2.6): the same result as the light
    /// hash of the cache it was built from, in microseconds.
    /// - `headerHash`: 32 bytes; `nonce`: bigint in [0, 2^64)
    #[napi]
    pub fn hash(&self, header_hash: BufferSlice, nonce: BigInt) -> Result<EthashResult> {
        let header = self::header_hash(&header_hash)?;
        let nonce = nonce_u64(&nonce, "nonce")?;
        Ok(hashimoto::hash_full(&self.inner, &header, nonce).into())
    }
}

/// Builds a dataset on the libuv pool and its own scoped threads.
pub struct BuildDatasetTask {
    cache: Arc<Cache>,
    bytes: u64,
    threads: u32,
    reporter: Reporter,
}

#[napi]
impl Task for BuildDatasetTask {
    type Output = FullDataset;
    type JsValue = Dataset;

    fn compute(&mut self) -> Result<Self::Output> {
        let (cache, bytes, threads) = (&self.cache, self.bytes, self.threads);
        let dataset = self
            .reporter
            .run(bytes / 64, |progress| {
                FullDataset::build(cache, bytes, threads, progress)
            })
            .map_err(|e| Error::new(Status::GenericFailure, e))?;
        self.reporter.finish();
        Ok(dataset)
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> Result<Self::JsValue> {
        Ok(Dataset {
            inner: Arc::new(output),
        })
    }
}

/// Computes every item of a dataset from `cache` (facts/ethash.md §2.5) on
/// `threads` native threads, off the event loop. Minutes and gigabytes for a
/// real epoch (about 15 min single-threaded at epoch 0, §6); meant for miners
/// and tests (tiny sizes), never for a pool.
///
/// - `datasetBytes`: a positive multiple of 128, at most 2^38
/// - `threads`: integer in [1, 256]
/// - `onProgress`: as for `buildLightCache`
///
/// Throws synchronously for bad arguments; rejects if memory runs out.
#[napi(ts_return_type = "Promise<Dataset>")]
pub fn build_dataset(
    cache: &LightCache,
    dataset_bytes: f64,
    threads: f64,
    #[napi(ts_arg_type = "(fraction: number) => void")] on_progress: Option<ProgressFn>,
) -> Result<AsyncTask<BuildDatasetTask>> {
    Ok(AsyncTask::new(BuildDatasetTask {
        cache: cache.inner.clone(),
        bytes: check_dataset_bytes(dataset_bytes).map_err(invalid)?,
        threads: check_threads(threads).map_err(invalid)?,
        reporter: Reporter {
            callback: on_progress,
        },
    }))
}

/// A nonce whose final hash is <= the target.
#[napi(object)]
pub struct EthashScanHit {
    /// the 64-bit nonce
    pub nonce: BigInt,
    /// mix digest, 32 bytes
    pub mix: Buffer,
    /// final hash, 32 bytes
    #[napi(js_name = "final")]
    pub final_hash: Buffer,
}

/// What a scan did.
#[napi(object)]
pub struct EthashScanResult {
    /// at most 4096 hits, ascending nonce
    pub hits: Vec<EthashScanHit>,
    /// hits past the 4096 cap that were not returned
    pub dropped: f64,
    /// hashes computed (= count)
    pub hashes: f64,
}

enum Source {
    Light {
        cache: Arc<Cache>,
        dataset_bytes: u64,
    },
    Full(Arc<FullDataset>),
}

/// One scan on the libuv pool (and its own scoped threads).
pub struct ScanTask {
    source: Source,
    header: [u8; 32],
    range: Range,
    target: [u8; 32],
    threads: u32,
}

#[napi]
impl Task for ScanTask {
    type Output = ScanOutcome;
    type JsValue = EthashScanResult;

    fn compute(&mut self) -> Result<Self::Output> {
        let header = &self.header;
        Ok(match &self.source {
            Source::Light {
                cache,
                dataset_bytes,
            } => scan::scan(self.range, &self.target, self.threads, |nonce| {
                hashimoto::hash_light(cache, *dataset_bytes, header, nonce)
            }),
            Source::Full(dataset) => scan::scan(self.range, &self.target, self.threads, |nonce| {
                hashimoto::hash_full(dataset, header, nonce)
            }),
        })
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> Result<Self::JsValue> {
        Ok(EthashScanResult {
            hits: output
                .hits
                .into_iter()
                .map(|hit| EthashScanHit {
                    nonce: BigInt::from(hit.nonce),
                    mix: hit.result.mix.to_vec().into(),
                    final_hash: hit.result.final_hash.to_vec().into(),
                })
                .collect(),
            dropped: output.dropped as f64,
            hashes: output.hashes as f64,
        })
    }
}

fn scan_task(
    source: Source,
    header_hash: &[u8],
    start_nonce: &BigInt,
    count: f64,
    target: &[u8],
    threads: f64,
) -> Result<AsyncTask<ScanTask>> {
    let header = self::header_hash(header_hash)?;
    let start = nonce_u64(start_nonce, "startNonce")?;
    let range = check_range(start, count).map_err(invalid)?;
    let target: [u8; 32] = target.try_into().map_err(|_| {
        invalid(format!(
            "target is {} bytes, it must be 32 (a 256-bit big-endian boundary)",
            target.len()
        ))
    })?;
    let threads = check_threads(threads).map_err(invalid)?;
    Ok(AsyncTask::new(ScanTask {
        source,
        header,
        range,
        target,
        threads,
    }))
}

/// Walks `count` nonces from `startNonce` with the light hash, off the event
/// loop, and resolves with every nonce whose final hash is <= `target`.
///
/// - `datasetBytes`: the epoch's dataset size, a positive multiple of 128
/// - `headerHash`: 32 bytes; copied, the caller may reuse the buffer
/// - `startNonce`: bigint in [0, 2^64); `count`: integer in [0, 2^32);
///   `startNonce + count <= 2^64` (no wrap)
/// - `target`: 32 bytes, the boundary as a big-endian number (2^256 / difficulty)
/// - `threads`: integer in [1, 256], each walking a contiguous share
///
/// At most 4096 hits, ascending nonce; `dropped` counts the rest.
/// Throws synchronously with a message naming the bad value.
#[napi(ts_return_type = "Promise<EthashScanResult>")]
pub fn scan_light(
    cache: &LightCache,
    dataset_bytes: f64,
    header_hash: BufferSlice,
    start_nonce: BigInt,
    count: f64,
    target: BufferSlice,
    threads: f64,
) -> Result<AsyncTask<ScanTask>> {
    let dataset_bytes = check_dataset_bytes(dataset_bytes).map_err(invalid)?;
    let source = Source::Light {
        cache: cache.inner.clone(),
        dataset_bytes,
    };
    scan_task(source, &header_hash, &start_nonce, count, &target, threads)
}

/// `scanLight` over a built dataset (hashimoto_full): the same hits, faster.
#[napi(ts_return_type = "Promise<EthashScanResult>")]
pub fn scan_full(
    dataset: &Dataset,
    header_hash: BufferSlice,
    start_nonce: BigInt,
    count: f64,
    target: BufferSlice,
    threads: f64,
) -> Result<AsyncTask<ScanTask>> {
    let source = Source::Full(dataset.inner.clone());
    scan_task(source, &header_hash, &start_nonce, count, &target, threads)
}
