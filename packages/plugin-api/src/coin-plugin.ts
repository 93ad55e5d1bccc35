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

/** The work a job carries, per dialect. Later dialects add members here. */
export type DialectWork = StratumV1Work;

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
}

/** Why a coin refused a share before hashing it. */
export interface CoinShareRejection {
  reason: 'bad-extranonce2' | 'bad-ntime' | 'bad-version';
  /** names the value and the rule: "ntime 5f000000 is before the job's 5f5e1000" */
  message: string;
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
  /** the full block for submission, hex, given the share's header */
  buildBlock(job: CoinJob, share: ShareSubmission, header: Buffer): string;
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
}
