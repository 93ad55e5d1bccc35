import type { Observable } from 'rxjs';
import type { LodeLogger } from '@lode/stratum-core';

/**
 * The version of this contract. A plugin declares the version it was written
 * against in its package.json (`"lode": { "apiVersion": 1 }`); the loader
 * refuses a plugin whose major differs.
 */
export const LODE_PLUGIN_API_VERSION = 1;

/**
 * The marker a coin plugin's package.json carries under `"lode"`.
 *
 * @example "lode": { "kind": "coin-plugin", "apiVersion": 1, "coins": ["btc"] }
 */
export interface CoinPluginManifest {
  kind: 'coin-plugin';
  /** the plugin API version it implements; must equal LODE_PLUGIN_API_VERSION */
  apiVersion: number;
  /** coin ids it contributes (lower case, e.g. "btc") */
  coins: string[];
}

/**
 * A block template as the coin's node hands it out, reduced to what the pool
 * engine needs to schedule jobs. `raw` keeps the node's own object for the
 * plugin's job builder.
 */
export interface CoinTemplate {
  /** height of the block this template builds */
  height: number;
  /** the previous block's hash, display hex (as the node's RPC prints it) */
  prevHash: string;
  /** the network target a header hash must not exceed to be a block */
  networkTarget: bigint;
  /** the node's own template object (e.g. bitcoind's getblocktemplate result) */
  raw: unknown;
  /**
   * set by a job bus shared by several pool instances: the id every instance
   * gives the job built from this template (absent: the engine numbers jobs itself)
   */
  jobId?: string;
  /** set by a job bus: true when this template starts work on a new previous block */
  clean?: boolean;
}

/** What the pool passes when it turns a template into a job. */
export interface JobContext {
  /** the job id the dialect will send (unique within this pool instance) */
  jobId: string;
  /** extranonce1 size in bytes, as handed to sessions at subscribe */
  extranonce1Size: number;
  /** extranonce2 size in bytes, as told to miners at subscribe */
  extranonce2Size: number;
}

/**
 * Stratum v1 work (the fields of `mining.notify`), in the wire's string forms
 * where the wire has them (`facts/bitcoin-stratum.md`, "Byte orders").
 */
export interface StratumV1Work {
  dialect: 'bitcoin';
  /** previous block hash in notify form: header bytes with each 4-byte word swapped, 64 hex */
  prevhash: string;
  /** coinbase up to the extranonce1 placeholder, hex */
  coinb1: string;
  /** coinbase after extranonce2, hex */
  coinb2: string;
  /** merkle branch, raw bytes as hashed, hex each, bottom level first */
  merkleBranches: string[];
  /** block version as uint32 */
  version: number;
  /** compact network target as uint32 */
  nbits: number;
  /** template time, uint32 seconds */
  ntime: number;
}

/**
 * Ethash-family work (EthereumStratum/2.0.0 `mining.set` + `mining.notify`,
 * specs/003_fafafa51dc5fa36a.txt; facts/ethash.md §1.3, §2).
 */
export interface EthashWork {
  dialect: 'ethstratum';
  /** the 32-byte seal hash from the node's eth_getWork[0], 64 lower-case hex, no 0x */
  headerHash: string;
  /** the epoch's seed hash, 64 lower-case hex, no 0x (keccak256 applied seedEpoch times to 32 zero bytes) */
  seedHash: string;
  /**
   * the epoch number that sizes the cache and dataset: block / 30000 for
   * ethash, block / 60000 from the ECIP-1099 fork block on for etchash
   * (this is what `mining.set` sends as `epoch`)
   */
  epoch: number;
  /** the number of keccak256 iterations that give seedHash (= epoch for ethash, 2 * epoch for etchash) */
  seedEpoch: number;
  /** "ethash" or "etchash" (`mining.set` `algo`) */
  algo: 'ethash' | 'etchash';
}

/**
 * Warthog stratum work (the 7-parameter `mining.notify`,
 * specs/004_8dfd75be62003ef5.txt; facts/warthog.md §2, §4.4, §7).
 * The header is prevHash ‖ target ‖ merkle root ‖ version ‖ ntime ‖ nonce,
 * every integer big-endian; merkle root = SHA-256(merklePrefix ‖
 * extranonce1 ‖ extranonce2), the two extranonces 10 bytes together.
 */
export interface WarthogWork {
  dialect: 'warthog';
  /** header bytes 0..31 in order (the previous block's sha256d, digest order), 64 hex */
  prevHash: string;
  /** 32 or 64 bytes, hex */
  merklePrefix: string;
  /** header version, uint32 (3 for Janushash v8 with VerusHash v2.2; 2 for v2.1) */
  version: number;
  /** the block target in TargetV2 form, uint32 as stored big-endian in header bytes 32..35 */
  nbits: number;
  /** the template's timestamp, uint32 Unix seconds */
  ntime: number;
}

/** The work a job carries, per dialect (narrow on `work.dialect`). */
export type DialectWork = StratumV1Work | EthashWork | WarthogWork;

/**
 * One job built from a template. Shared by every session; each session's
 * share target travels in its own job ledger, not here.
 */
export interface CoinJob {
  readonly id: string;
  readonly coin: string;
  readonly height: number;
  /** previous block hash, display hex */
  readonly prevHash: string;
  readonly networkTarget: bigint;
  /** earliest and latest ntime a share may carry (uint32 seconds), inclusive */
  readonly ntimeMin: number;
  readonly ntimeMax: number;
  readonly work: DialectWork;
  /** time the job was created, ms since epoch */
  readonly createdAt: number;
}

/**
 * A share as the dialect decoded it, in numbers and bytes.
 * `versionBits` is present only when the miner rolled the version (BIP 310).
 *
 * Ethash family: the 8-byte nonce is `extranonce1 ‖ extranonce2` read
 * big-endian (the session's `mining.set` extranonce, then the miner's nonce
 * suffix from `mining.submit`); `ntime` and `nonce` are 0 (the header has no
 * such fields).
 */
export interface ShareSubmission {
  jobId: string;
  extranonce1: Buffer;
  extranonce2: Buffer;
  /** uint32 seconds */
  ntime: number;
  /** uint32 */
  nonce: number;
  /** the 6th mining.submit parameter, uint32, when given */
  versionBits?: number;
  /** the version mask negotiated for the session, when any (BIP 310) */
  versionMask?: number;
  /**
   * the proof the miner sent beside its nonce, when its dialect carries one
   * (EthProxy `eth_submitWork` and plain ethash stratum: the 32-byte mix
   * digest, facts/ethash.md §1.1). The pool checks it cheaply first
   * (PowClaim) and refuses the share as 'bad-seal' when the seal it
   * computes differs.
   */
  seal?: Buffer;
}

/**
 * What {@link CoinPlugin.hashShare} gets when the miner sent a seal: enough
 * to refuse a bad share before the expensive hash.
 *
 * Ethash: `final = keccak256(keccak512(header ‖ nonce LE) ‖ mix)` costs two
 * keccaks (microseconds); only when it is <= `target` is the light hash
 * (milliseconds) computed to check the mix (facts/ethash.md §1.1, §5
 * "run the 2-keccak quick check with the miner's mix before the light hash").
 */
export interface PowClaim {
  /** the seal the miner sent (ShareSubmission.seal) */
  seal: Buffer;
  /**
   * the easiest target the share could count against: the larger of the
   * applied share target and the job's network target (a devnet's network
   * target may be easier than the share target, and a block is never thrown away)
   */
  target: bigint;
}

/** Why a coin refused a share before hashing it. */
export interface CoinShareRejection {
  reason: 'bad-extranonce2' | 'bad-ntime' | 'bad-version';
  /** names the value and the rule: "ntime 5f000000 is before the job's 5f5e1000" */
  message: string;
}

/** The proof-of-work context of ethash-family work (CoinPlugin.workOfSeed). */
export interface SeedWork {
  algo: 'ethash' | 'etchash';
  /** the sizing epoch: cache and dataset sizes */
  epoch: number;
  /** keccak256 rounds over 32 zero bytes that give the seed hash (ethash: = epoch; etchash: 2 * epoch) */
  seedEpoch: number;
}

/**
 * A proof of work computed by {@link CoinPlugin.hashShare}: the hash in the
 * byte order {@link CoinPlugin.hashValue} reads, and the extra proof a block
 * needs besides the header (ethash: the 32-byte mix digest), when any.
 */
export interface PowResult {
  hash: Buffer;
  /** coin-specific proof that goes into the block (ethash: mix digest, 32 bytes) */
  seal?: Buffer;
  /**
   * the block id as explorers print it, when it is not what displayHash(hash)
   * gives (Warthog: the hash compared with targets is the Janushash number,
   * the block id is sha256d of the header)
   */
  blockHash?: string;
  /**
   * true when only the cheap check of a {@link PowClaim} was computed and its
   * hash is above the claim's target: the share is refused on that hash
   * ('low-difficulty') and `seal` is absent. Absent otherwise.
   */
  quick?: boolean;
}

/** The node's answer to a submitted block. */
export interface BlockSubmitResult {
  accepted: boolean;
  /** block hash, display hex */
  hash: string;
  /** the node's reason when refused (bitcoind: "high-hash", "bad-txnmrklroot", ...) */
  reason?: string;
}

/**
 * A coin's node: templates as a stream, blocks submitted as promises.
 * `templates$` emits the current template at once after start(), then every
 * new one (new previous block, or refreshed transactions).
 */
export interface CoinNode {
  readonly templates$: Observable<CoinTemplate>;
  start(): Promise<void>;
  stop(): Promise<void>;
  submitBlock(blockHex: string): Promise<BlockSubmitResult>;
}

/** A hit from a native scan. */
export interface ScanHit {
  /** uint32 nonce as it goes into the header (little-endian there) */
  nonce: number;
  /** the header's PoW hash, 32 bytes in hash order (read as a little-endian number) */
  hash: Buffer;
}

/** One range of nonces to walk for one header. */
export interface ScanRequest {
  /** the 80-byte header; its nonce field is overwritten */
  header: Buffer;
  /** first nonce, uint32 */
  startNonce: number;
  /** how many nonces to try (startNonce + count <= 2^32) */
  count: number;
  /** hits are hashes <= target */
  target: bigint;
  /** native threads to use, >= 1 */
  threads: number;
}

/** What a scan did. */
export interface ScanResult {
  hits: ScanHit[];
  /** hashes computed */
  hashes: number;
}

/** The native proof-of-work of a coin (napi-rs addon). */
export interface NativeHasher {
  /** which code path the CPU got, e.g. "sha-ni" or "portable" */
  readonly implementation: string;
  /** PoW hash of one header, 32 bytes in hash order */
  hash(header: Buffer): Buffer;
  /** walks a nonce range on native threads off the event loop */
  scan(request: ScanRequest): Promise<ScanResult>;
}

/**
 * The contract of one coin. A plugin package binds one or more of these to
 * COIN_PLUGIN in its ContainerModule (DESIGN.md "Plugins and discovery").
 */
export interface CoinPlugin {
  /** coin id, lower case ("btc") */
  readonly id: string;
  /** display name ("Bitcoin") */
  readonly name: string;
  /** PoW algorithm ("sha256d") */
  readonly algorithm: string;
  /** dialects this coin speaks ("bitcoin") */
  readonly dialects: readonly string[];
  /** difficulty-1 target of the coin's stratum difficulty */
  readonly diff1Target: bigint;
  /** the native hasher */
  readonly hasher: NativeHasher;
  /** JSON Schema (draft 2020-12 / ajv) of this coin's section in the pool config */
  readonly configSchema: object;

  /** creates the node client from the coin's config section (already validated) */
  createNode(config: Record<string, unknown>, logger: LodeLogger): CoinNode;
  /** turns a template into a job; pure and fast (no I/O) */
  createJob(template: CoinTemplate, context: JobContext, config: Record<string, unknown>): CoinJob;
  /** coin rules checked before hashing (extranonce2 size, ntime window, version mask) */
  checkShare(job: CoinJob, share: ShareSubmission): CoinShareRejection | undefined;
  /** the header a share describes, ready for hasher.hash */
  buildHeader(job: CoinJob, share: ShareSubmission): Buffer;
  /**
   * the full block for submission, given the share's header, as the coin's
   * CoinNode.submitBlock takes it (bitcoin: the block hex; ethash: the
   * eth_submitWork parameters as a JSON array string). `seal` is what
   * hashShare returned with the hash, when it did.
   */
  buildBlock(job: CoinJob, share: ShareSubmission, header: Buffer, seal?: Buffer): string;
  /** a header's hash as the explorers print it (display hex) */
  displayHash(hash: Buffer): string;

  /**
   * The coin's server mask for BIP 310 version rolling, read from its config
   * section (already validated against configSchema): the bits of the block
   * version a miner may roll, uint32. 0 = the coin does not allow version
   * rolling (the dialect then answers `"version-rolling": false`). Absent =
   * the coin has no version rolling (same as 0).
   *
   * The dialect replies `server_mask & miner_mask` to `mining.configure`,
   * further strips any bit set in a job's version, refuses version bits
   * outside the negotiated mask, and passes that mask with each share
   * (ShareSubmission.versionMask), so that checkShare and buildHeader apply
   * `(job_version & ~mask) | (version_bits & mask)`.
   *
   * Bitcoin: BIP 320 reserves 0x1fffe000 for general use (the default of
   * ckpool, Miningcore, public-pool); BIP 323 widens it to 0x1fffffe0. A coin
   * whose consensus or signalling uses bits in that range (DigiByte bit 23,
   * Litecoin Cash bits 16-23) must narrow it or return 0.
   *
   * @param config the coin's config section (validated, defaults applied or not)
   * @returns uint32 mask, 0 for none
   * @throws LodeError('config') for a malformed setting
   * @see specs/002_b8c80480aecfabab.txt "version-rolling"; BIP 320; BIP 323;
   *   facts/field-notes.md §3(b), §3(c)
   */
  versionRollingMask?(config: Record<string, unknown>): number;

  /**
   * An asynchronous proof of work for one share, used by the pool engine
   * instead of `hasher.hash(header)` when present: for PoWs that need a
   * per-job context and must run off the event loop (ethash: the light cache
   * of the job's epoch, hashimoto_light on a worker thread, ~5 ms).
   *
   * With a `claim` (the miner sent its seal, ShareSubmission.seal) the
   * plugin may first check the claimed seal cheaply: when that hash is above
   * `claim.target` it returns it with `quick: true` and no seal, and the
   * share is refused without the expensive hash. Otherwise it computes the
   * PoW as without a claim; the engine compares the seals ('bad-seal').
   *
   * @param job the share's job
   * @param header what buildHeader returned for the share
   * @param claim the miner's seal and the easiest target that matters, when it sent one
   * @returns the hash (read with hashValue) and the seal a block needs
   * @throws LodeError('plugin') when the PoW cannot be computed
   */
  hashShare?(job: CoinJob, header: Buffer, claim?: PowClaim): Promise<PowResult>;

  /**
   * What tells this job's work apart from other jobs of the same height, for
   * the duplicate key (ShareValidator): ethash: the header hash (a refreshed
   * template at the same height is other work, and a miner may try the same
   * nonce on it). Absent: nothing (the key is extranonce1, extranonce2,
   * ntime, nonce and version bits, which for Bitcoin already name the header).
   */
  workKey?(job: CoinJob): string;

  /**
   * The number a PoW hash is compared with targets as. Absent: the hash read
   * as a little-endian 256-bit number (Bitcoin's hash order). Ethash: the
   * final hash read big-endian (facts/ethash.md §2.6, §4.8).
   */
  hashValue?(hash: Buffer): bigint;

  /**
   * The extranonce layout of this coin's sessions, from its config section,
   * overriding the pool's engine defaults. Ethash: extranonce1 (the
   * `mining.set` extranonce, at most 6 bytes by EIP-1571) plus extranonce2
   * (the miner's nonce suffix) make the 8-byte nonce.
   *
   * @returns sizes in bytes
   */
  extranonceSizes?(config: Record<string, unknown>): { extranonce1Size: number; extranonce2Size: number };

  /**
   * The epoch-based proof of work miners scan with (ethash family); absent
   * for coins whose NativeHasher scans headers directly.
   */
  readonly epochHasher?: EpochHasher;

  /**
   * Ethash family: what work that names only its seed hash is to be hashed
   * with. EthereumStratum/1.0.0, EthProxy and plain stratum jobs carry the
   * seed hash, not the epoch (facts/ethash.md §1.6), and an ETChash seed is
   * that of ethash epoch 2e (ECIP-1099, §0 (3), §2.8), so the seed alone is
   * ambiguous: the pool's `algo` flag settles it when sent ("etchash": epoch
   * = seed epoch / 2), else the coin's own rule (an ETChash chain: seed
   * epochs from its fork's on are ETChash epochs, earlier ones ethash).
   *
   * @param seedHash 32 bytes
   * @param algo the job's `algo` flag, when the pool sent one
   * @returns the algorithm, sizing epoch (what EpochHasher.prepare and scan
   *   take) and seed epoch; undefined when the seed is no epoch's, or is
   *   flagged "etchash" with an odd seed epoch
   * @throws LodeError('plugin') when seedHash is not 32 bytes or the native addon is missing
   */
  workOfSeed?(seedHash: Buffer, algo?: 'ethash' | 'etchash'): SeedWork | undefined;
}

/** A hit from an {@link EpochHasher} scan. */
export interface EpochScanHit {
  /** the full 64-bit nonce (as the wire's big-endian hex reads) */
  nonce: bigint;
  /** mix digest, 32 bytes */
  mix: Buffer;
  /** final hash, 32 bytes, compared big-endian with the target */
  final: Buffer;
}

/** One range of 64-bit nonces to walk for one header hash with an epoch's context. */
export interface EpochScanRequest {
  /** ethash or etchash (decides the seed of the epoch) */
  algo: 'ethash' | 'etchash';
  /** the sizing epoch (EthashWork.epoch) */
  epoch: number;
  /** the 32-byte seal hash */
  headerHash: Buffer;
  /** first nonce */
  startNonce: bigint;
  /** nonces to try (startNonce + count <= 2^64) */
  count: number;
  /** hits are final hashes <= target (read big-endian) */
  target: bigint;
  /** native threads, >= 1 */
  threads: number;
}

/** What an {@link EpochHasher} scan did. */
export interface EpochScanResult {
  hits: EpochScanHit[];
  /** hashes computed */
  hashes: number;
}

/**
 * A PoW whose context depends on an epoch (ethash, ETChash): a light cache
 * (tens of MB, seconds to build) or a full dataset (GBs, minutes). Context
 * builds run off the event loop; prepared contexts are cached until released.
 */
export interface EpochHasher {
  /** which code path runs ("portable", ...) */
  readonly implementation: string;
  /**
   * Builds (or returns the cached) context of an epoch.
   *
   * @param options.full a full dataset for fast scanning (default: light cache only)
   * @param options.threads threads for the dataset build (default: all cores)
   * @param options.onProgress called with 0..1 as the build advances
   * @throws LodeError('plugin') when the native build fails
   */
  prepare(
    algo: 'ethash' | 'etchash',
    epoch: number,
    options?: { full?: boolean; threads?: number; onProgress?: (fraction: number) => void },
  ): Promise<void>;
  /** scans a nonce range with the prepared context (full dataset when prepared, else light) */
  scan(request: EpochScanRequest): Promise<EpochScanResult>;
  /** frees the contexts of every epoch but the ones given */
  retain(keep: readonly { algo: 'ethash' | 'etchash'; epoch: number }[]): void;
}
