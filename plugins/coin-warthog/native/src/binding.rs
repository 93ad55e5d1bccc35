//! The napi-rs surface (JS names in camelCase). Loaded through the generated
//! `native/index.js`; typed by the generated `native/index.d.ts`. Vectors and
//! rules: `facts/warthog.md` (sections named per function).

use lode_verushash::{Implementation, VerusVersion};
use napi::bindgen_prelude::{AsyncTask, Buffer, BufferSlice};
use napi::{Env, Error, Result, Status, Task};
use napi_derive::napi;

use crate::custom_float::CustomFloat;
use crate::implementation;
use crate::janus::{Janus, Steps};
use crate::scan::{ScanJob, ScanOutcome};
use crate::sha;
use crate::target::TargetV2;

fn invalid(message: String) -> Error {
    Error::new(Status::InvalidArg, message)
}

fn resolve(requested: Option<String>) -> Result<Implementation> {
    implementation::resolve(requested.as_deref()).map_err(invalid)
}

fn header_arg(header: &[u8]) -> Result<[u8; 80]> {
    header.try_into().map_err(|_| {
        invalid(format!(
            "header is {} bytes, a Warthog header is 80",
            header.len()
        ))
    })
}

fn fixed<const N: usize>(bytes: &[u8], name: &str) -> Result<[u8; N]> {
    bytes
        .try_into()
        .map_err(|_| invalid(format!("{name} is {} bytes, it must be {N}", bytes.len())))
}

fn uint32_arg(value: f64, name: &str) -> Result<u32> {
    if value.fract() == 0.0 && (0.0..4_294_967_296.0).contains(&value) {
        Ok(value as u32)
    } else {
        Err(invalid(format!(
            "{name} is {value}, it must be an integer in [0, 2^32)"
        )))
    }
}

/// The VerusHash implementation a request resolves to on this CPU:
/// "aes-ni" or "portable". `requested` is "auto" (default: the fastest this
/// CPU runs), "portable" or "aes-ni"; throws for an unknown name, or "aes-ni"
/// on a CPU without AES-NI and PCLMULQDQ.
#[napi]
pub fn implementation(requested: Option<String>) -> Result<String> {
    Ok(implementation::name(resolve(requested)?).to_owned())
}

/// Every VerusHash implementation this CPU runs, fastest first
/// (["aes-ni", "portable"] or ["portable"]).
#[napi]
pub fn implementations() -> Vec<String> {
    implementation::available()
        .into_iter()
        .map(|imp| implementation::name(imp).to_owned())
        .collect()
}

/// SHA-256 of `data`: 32 bytes.
#[napi]
pub fn sha256<'env>(env: &'env Env, data: BufferSlice<'env>) -> Result<BufferSlice<'env>> {
    BufferSlice::copy_from(env, sha::sha256(&data))
}

/// SHA-256(SHA-256(data)): 32 bytes; of a header, the block hash (§1.1 step
/// 1), printed in this byte order (no reversal).
#[napi(js_name = "sha256d")]
pub fn sha256d<'env>(env: &'env Env, data: BufferSlice<'env>) -> Result<BufferSlice<'env>> {
    BufferSlice::copy_from(env, sha::sha256d(&data))
}

/// SHA-256 applied three times: Janushash's "Sha256t" (§1.1 step 2), 32 bytes.
#[napi(js_name = "sha256t")]
pub fn sha256t<'env>(env: &'env Env, data: BufferSlice<'env>) -> Result<BufferSlice<'env>> {
    BufferSlice::copy_from(env, sha::sha256t(&data))
}

/// Haraka-256 v2 of 32 bytes: 32 bytes (§5.1).
#[napi]
pub fn haraka256<'env>(env: &'env Env, data: BufferSlice<'env>) -> Result<BufferSlice<'env>> {
    let input: [u8; 32] = fixed(&data, "data")?;
    BufferSlice::copy_from(env, lode_verushash::haraka256(&input))
}

/// Haraka-512 v2 of 64 bytes, truncated to 32 bytes (§5.1).
#[napi]
pub fn haraka512<'env>(env: &'env Env, data: BufferSlice<'env>) -> Result<BufferSlice<'env>> {
    let input: [u8; 64] = fixed(&data, "data")?;
    BufferSlice::copy_from(env, lode_verushash::haraka512(&input))
}

/// VerusHash of an 80-byte header: 32 bytes, leading zeros at byte 0 (§5).
///
/// `version`: 2 for v2.1 (Janus7, header version 2); any integer >= 3 for
/// v2.2 (Janus8: header versions 3 and 4). `implementation`: as for
/// `implementation()`; every implementation returns the same bytes.
#[napi]
pub fn verus_hash<'env>(
    env: &'env Env,
    header: BufferSlice<'env>,
    version: f64,
    implementation: Option<String>,
) -> Result<BufferSlice<'env>> {
    let imp = resolve(implementation)?;
    let header = header_arg(&header)?;
    let version = match uint32_arg(version, "version") {
        Ok(2) => VerusVersion::V2_1,
        Ok(v) if v >= 3 => VerusVersion::V2_2,
        _ => {
            return Err(invalid(format!(
                "version is {version}, it must be 2 (VerusHash v2.1) or an integer >= 3 (v2.2)"
            )))
        }
    };
    BufferSlice::copy_from(env, lode_verushash::verus_hash(&header, version, imp))
}

/// Janushash of one header (§1.1).
#[napi(object)]
pub struct JanusHash<'env> {
    /// SHA-256d(header), 32 bytes: the block id
    pub block_hash: BufferSlice<'env>,
    /// SHA-256(blockHash), 32 bytes; Y = its big-endian fraction
    #[napi(js_name = "sha256t")]
    pub sha256t: BufferSlice<'env>,
    /// VerusHash v2.1 (header version 2) or v2.2 (any other), 32 bytes; X = its fraction
    pub verus: BufferSlice<'env>,
    /// Y < c (0.005): the header is no share and no block at any difficulty
    pub below_c: bool,
    /// J = X·Y^0.7 as CustomFloat: mantissa / 2^32 · 2^exponent (computed even when belowC)
    pub exponent: i32,
    /// J's mantissa, in [2^31, 2^32)
    pub mantissa: u32,
    /// floor(J·2^256) + 1, 32 bytes big-endian, all-ff when belowC: the header
    /// meets a 256-bit target T (e.g. floor(2^256 / difficulty)) iff !belowC
    /// and value <= T (value <= T alone suffices when T < 2^256 - 1, i.e. difficulty > 1)
    pub value: BufferSlice<'env>,
    /// J as a double, 1.0 when belowC (the node's janus_number); for logs only
    pub number: f64,
}

/// Hashes an 80-byte header: block hash, Sha256t, VerusHash (v2.1 for
/// header version 2, v2.2 otherwise), and J with its comparison value.
/// Throws for a header that is not 80 bytes or an unknown implementation.
#[napi]
pub fn janushash<'env>(
    env: &'env Env,
    header: BufferSlice<'env>,
    implementation: Option<String>,
) -> Result<JanusHash<'env>> {
    let imp = resolve(implementation)?;
    let janus = Janus::of_header(&header_arg(&header)?, imp);
    Ok(JanusHash {
        block_hash: BufferSlice::copy_from(env, janus.block_hash)?,
        sha256t: BufferSlice::copy_from(env, janus.sha256t)?,
        verus: BufferSlice::copy_from(env, janus.verus)?,
        below_c: janus.below_c,
        exponent: janus.steps.j.exponent(),
        mantissa: janus.steps.j.mantissa(),
        value: BufferSlice::copy_from(env, janus.comparison_value())?,
        number: janus.number(),
    })
}

/// The consensus block check (Janus7/Janus8, §1.1-§1.2, §3.1): Y >= c and
/// J < τ, τ decoded from `targetV2` (the uint32 of header bytes 32..36 read
/// big-endian; it need not be the header's own). Exact CustomFloat comparison.
#[napi]
pub fn check_target(
    header: BufferSlice,
    target_v2: f64,
    implementation: Option<String>,
) -> Result<bool> {
    let imp = resolve(implementation)?;
    let target = TargetV2(uint32_arg(target_v2, "targetV2")?);
    Ok(Janus::of_header(&header_arg(&header)?, imp).valid(target))
}

/// One CustomFloat: value = (negative ? -1 : 1) · mantissa / 2^32 · 2^exponent.
#[napi(object)]
pub struct CustomFloatValue {
    pub exponent: i32,
    /// 0 or in [2^31, 2^32)
    pub mantissa: u32,
    pub negative: bool,
}

impl From<CustomFloat> for CustomFloatValue {
    fn from(f: CustomFloat) -> Self {
        CustomFloatValue {
            exponent: f.exponent(),
            mantissa: f.mantissa(),
            negative: !f.positive(),
        }
    }
}

/// The CustomFloat steps of J (§6-G).
#[napi(object)]
pub struct CustomFloatSteps {
    /// frac(sha256t)
    pub y: CustomFloatValue,
    /// frac(verus)
    pub x: CustomFloatValue,
    /// log2(Y)
    pub log2_y: CustomFloatValue,
    /// 0.7 · log2(Y)
    pub scaled_log: CustomFloatValue,
    /// Y^0.7
    pub pow_y: CustomFloatValue,
    /// X · Y^0.7
    pub j: CustomFloatValue,
}

/// The intermediate CustomFloat values of one header's J, for tests (§6-G).
#[napi]
pub fn custom_float_steps(
    header: BufferSlice,
    implementation: Option<String>,
) -> Result<CustomFloatSteps> {
    let imp = resolve(implementation)?;
    let Steps {
        y,
        x,
        log2_y,
        scaled_log,
        pow_y,
        j,
    } = Janus::of_header(&header_arg(&header)?, imp).steps;
    Ok(CustomFloatSteps {
        y: y.into(),
        x: x.into(),
        log2_y: log2_y.into(),
        scaled_log: scaled_log.into(),
        pow_y: pow_y.into(),
        j: j.into(),
    })
}

/// What `scan` walks.
#[napi(object)]
pub struct ScanOptions {
    /// 80 bytes; copied before `scan` returns (the caller may reuse the buffer)
    pub header: Buffer,
    /// first nonce, an integer in [0, 2^32)
    pub start_nonce: f64,
    /// nonces to try, an integer with startNonce + count <= 2^32
    pub count: f64,
    /// 32 bytes, a 256-bit big-endian integer T: hits have value <= T
    pub target: Buffer,
    /// native threads, 1..=256
    pub threads: f64,
    /// "auto" (default), "portable" or "aes-ni"
    pub implementation: Option<String>,
}

/// A nonce that meets the scan's target.
#[napi(object)]
pub struct ScanHit {
    /// uint32 = header bytes 76..80 read big-endian (the stratum nonce hex)
    pub nonce: u32,
    /// floor(J·2^256) + 1, 32 bytes big-endian (<= the target)
    pub value: Buffer,
    /// SHA-256d of the header with this nonce, 32 bytes
    pub block_hash: Buffer,
}

/// What a scan did.
#[napi(object)]
pub struct ScanResult {
    /// at most 4096 hits, ascending nonce
    pub hits: Vec<ScanHit>,
    /// nonces tried (= count)
    pub hashes: f64,
    /// hits past the 4096 cap that were not returned (0 unless the target is absurdly easy)
    pub dropped: f64,
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
                    value: hit.value.to_vec().into(),
                    block_hash: hit.block_hash.to_vec().into(),
                })
                .collect(),
            hashes: output.hashes as f64,
            dropped: output.dropped as f64,
        })
    }
}

/// Walks `count` nonces from `startNonce` for one header off the event loop
/// and resolves with every nonce whose Janushash comparison value is <=
/// `target` (so J·2^256 < target, and Y >= c). Each nonce goes big-endian
/// into bytes 76..80 of a private copy of the header. The VerusHash key of
/// bytes 0..64 is built once per call and shared by the threads.
///
/// At most 4096 hits come back (the lowest nonces); `dropped` counts the rest.
/// Throws (synchronously) with a message naming the bad value.
#[napi]
pub fn scan(options: ScanOptions) -> Result<AsyncTask<ScanTask>> {
    let imp = resolve(options.implementation)?;
    let job = ScanJob::new(
        &options.header,
        options.start_nonce,
        options.count,
        &options.target,
        options.threads,
        imp,
    )
    .map_err(invalid)?;
    Ok(AsyncTask::new(ScanTask { job }))
}
