import type {
  CoinJob,
  CoinNode,
  CoinPlugin,
  CoinShareRejection,
  CoinTemplate,
  EpochHasher,
  JobContext,
  NativeHasher,
  PowResult,
  ShareSubmission,
} from '@lode/plugin-api';
import { LodeError } from '@lode/stratum-core';
import type { ProxyDialectName } from './subdivision';
import type { UpstreamJob } from './upstream-link';

/** How far a bitcoin share's ntime may lag the work's ntime, seconds (ckpool checks wb.ntime + 7000 ahead; bitcoind's median-time rule lies far behind). */
export const BITCOIN_NTIME_PAST_SECONDS = 600;
/** How far ahead of the proxy's clock a bitcoin share's ntime may be, seconds (bitcoind's MAX_FUTURE_BLOCK_TIME). */
export const BITCOIN_NTIME_FUTURE_SECONDS = 7200;
/** How far ahead of the proxy's clock a warthog share's ntime may be, seconds (the node refuses blocks further ahead, coin-warthog checkShare). */
export const WARTHOG_NTIME_FUTURE_SECONDS = 600;

/** What a {@link ProxyCoinPlugin} is built from: the real coin and the upstream subscription it serves. */
export interface ProxyCoinPluginOptions {
  /** the coin's own plugin, found by discovery (hashing, headers, display) */
  real: CoinPlugin;
  /** the upstream's dialect */
  dialect: ProxyDialectName;
  /** the extranonce1 the upstream gave the subscription, raw bytes */
  upstreamExtranonce1: Buffer;
  /** the upstream's extranonce2 size, bytes */
  upstreamExtranonce2Size: number;
  /** bytes of the upstream extranonce2 lent to each miner as a suffix of its extranonce1 (subdivision.ts) */
  suffixBytes: number;
  /** the version mask the upstream allows now (BIP 310), read on every share; undefined = none */
  upstreamVersionMask?: () => number | undefined;
  /** the worker a share of this extranonce1 is forwarded for (credentials: passthrough); undefined = the link's user */
  workerOf?: (extranonce1: Buffer) => string | undefined;
  /** clock, ms since epoch (default Date.now) */
  now?: () => number;
}

/** What {@link ProxyCoinPlugin.buildBlock} writes and UpstreamNode.submitBlock reads (JSON). */
export interface ForwardedShareJson {
  jobId: string;
  /** the upstream extranonce2: the miner's suffix, then the miner's extranonce2, hex */
  extranonce2: string;
  /** uint32 */
  ntime: number;
  /** uint32 */
  nonce: number;
  /** BIP 310 version bits, uint32 */
  versionBits?: number;
  /** the worker to credit upstream (passthrough) */
  workerName?: string;
}

/**
 * The coin plugin of one upstream subscription's PoolEngine: the real
 * coin's proof of work, with jobs, share rules and "blocks" of the proxy.
 *
 * - `createJob` turns an UpstreamNode template (whose `raw` is the
 *   {@link UpstreamJob}) into a CoinJob with the upstream's id and work and
 *   `networkTarget` = the upstream share target bound to that job, so the
 *   engine's block candidates are exactly the upstream-worthy shares.
 * - `checkShare` does the generic checks itself (the real plugin's needs
 *   template data the proxy does not have): extranonce2 size of the
 *   subscription; ntime in [work ntime - 600, now + 7200] for bitcoin, in
 *   [work ntime, now + 600] for warthog; version bits inside the session's
 *   mask and the upstream's.
 * - `buildBlock` maps the share back into the upstream's extranonce space:
 *   {@link ForwardedShareJson} with extranonce2 = suffix ‖ miner
 *   extranonce2, where the suffix is the share's extranonce1 after the
 *   upstream extranonce1.
 * - `extranonceSizes` = upstream extranonce1 + suffix, upstream extranonce2 - suffix.
 * - hashing, headers and display delegate to the real plugin.
 *
 * @see apps/proxy design "ProxyCoinPlugin"; DESIGN.md "Difficulty belongs to the job"
 */
export class ProxyCoinPlugin implements CoinPlugin {
  readonly id: string;
  readonly name: string;
  readonly algorithm: string;
  readonly dialects: readonly string[];
  readonly diff1Target: bigint;
  /** the proxy's engines take no coin section */
  readonly configSchema: object = {};
  readonly hashShare?: (job: CoinJob, header: Buffer) => Promise<PowResult>;
  readonly hashValue?: (hash: Buffer) => bigint;
  readonly epochHasher?: EpochHasher;
  /** extranonce1 size of the miners, bytes (upstream extranonce1 + suffix) */
  readonly minerExtranonce1Size: number;
  /** extranonce2 size of the miners, bytes (upstream extranonce2 - suffix) */
  readonly minerExtranonce2Size: number;

  private readonly real: CoinPlugin;
  private readonly options: ProxyCoinPluginOptions;
  private readonly now: () => number;

  /**
   * @throws LodeError('config') when the suffix is not an integer in
   *   0..upstreamExtranonce2Size
   */
  constructor(options: ProxyCoinPluginOptions) {
    const { real, suffixBytes, upstreamExtranonce2Size, upstreamExtranonce1 } = options;
    if (!Number.isInteger(suffixBytes) || suffixBytes < 0 || suffixBytes > upstreamExtranonce2Size) {
      throw new LodeError(
        'config',
        `extranonce suffix of ${String(suffixBytes)} bytes does not fit the upstream's extranonce2 of ${upstreamExtranonce2Size} bytes`,
      );
    }
    this.real = real;
    this.options = { ...options, upstreamExtranonce1: Buffer.from(upstreamExtranonce1) };
    this.now = options.now ?? Date.now;
    this.id = real.id;
    this.name = real.name;
    this.algorithm = real.algorithm;
    this.dialects = real.dialects;
    this.diff1Target = real.diff1Target;
    this.minerExtranonce1Size = upstreamExtranonce1.length + suffixBytes;
    this.minerExtranonce2Size = upstreamExtranonce2Size - suffixBytes;
    if (real.hashShare !== undefined) this.hashShare = (job, header) => (real.hashShare as NonNullable<CoinPlugin['hashShare']>).call(real, job, header);
    if (real.hashValue !== undefined) this.hashValue = (hash) => (real.hashValue as NonNullable<CoinPlugin['hashValue']>).call(real, hash);
    if (real.epochHasher !== undefined) this.epochHasher = real.epochHasher;
  }

  /** the real coin's native hasher */
  get hasher(): NativeHasher {
    return this.real.hasher;
  }

  /** the upstream extranonce1 every miner's extranonce1 starts with (a copy) */
  get upstreamExtranonce1(): Buffer {
    return Buffer.from(this.options.upstreamExtranonce1);
  }

  /** bytes of the per-miner suffix */
  get suffixBytes(): number {
    return this.options.suffixBytes;
  }

  /** @throws LodeError('plugin') always: a subscription's node is its UpstreamNode */
  createNode(): CoinNode {
    throw new LodeError('plugin', `the proxy's ${this.id} engine takes its jobs from an upstream link, not from a node`);
  }

  /**
   * The job of one upstream job: its id (the engine's context id, which is
   * the template's jobId = the upstream's), work and target.
   *
   * @param template an UpstreamNode template; `raw` is the UpstreamJob
   * @throws LodeError('plugin') when `raw` is not an UpstreamJob of this subscription's dialect
   */
  createJob(template: CoinTemplate, context: JobContext): CoinJob {
    const job = template.raw as Partial<UpstreamJob> | undefined;
    if (job === undefined || job === null || typeof job !== 'object' || job.work === undefined || typeof job.target !== 'bigint') {
      throw new LodeError('plugin', `template ${context.jobId} carries no upstream job`);
    }
    const { work } = job;
    if (work.dialect !== this.options.dialect) {
      throw new LodeError('plugin', `upstream job ${context.jobId} carries ${String(work.dialect)} work, this subscription speaks ${this.options.dialect}`);
    }
    let ntimeMin = 0;
    let ntimeMax = 0xffffffff;
    if (work.dialect === 'bitcoin') {
      ntimeMin = Math.max(0, work.ntime - BITCOIN_NTIME_PAST_SECONDS);
      ntimeMax = Math.max(work.ntime, this.nowSeconds()) + BITCOIN_NTIME_FUTURE_SECONDS;
    } else if (work.dialect === 'warthog') {
      ntimeMin = work.ntime;
      ntimeMax = Math.max(work.ntime, this.nowSeconds()) + WARTHOG_NTIME_FUTURE_SECONDS;
    }
    return {
      id: context.jobId,
      coin: this.id,
      height: template.height,
      prevHash: template.prevHash,
      networkTarget: job.target,
      ntimeMin,
      ntimeMax,
      work,
      createdAt: this.now(),
    };
  }

  /**
   * The proxy's rules before hashing: extranonce2 of the miners' size,
   * ntime inside the window (the upper bound follows the clock), version
   * bits inside the session's mask and the upstream's current one.
   *
   * @returns the rejection, or undefined when the share may be hashed
   */
  checkShare(job: CoinJob, share: ShareSubmission): CoinShareRejection | undefined {
    if (share.extranonce2.length !== this.minerExtranonce2Size) {
      return {
        reason: 'bad-extranonce2',
        message: `extranonce2 is ${share.extranonce2.length} bytes, this subscription expects ${this.minerExtranonce2Size}`,
      };
    }
    const { work } = job;
    if (work.dialect === 'bitcoin' || work.dialect === 'warthog') {
      const future = work.dialect === 'bitcoin' ? BITCOIN_NTIME_FUTURE_SECONDS : WARTHOG_NTIME_FUTURE_SECONDS;
      const latest = Math.max(job.ntimeMax, this.nowSeconds() + future);
      if (share.ntime < job.ntimeMin) {
        return { reason: 'bad-ntime', message: `ntime ${hex32(share.ntime)} is before the job's earliest ${hex32(job.ntimeMin)}` };
      }
      if (share.ntime > latest) {
        return { reason: 'bad-ntime', message: `ntime ${hex32(share.ntime)} is after the latest ${hex32(latest)} (the proxy's clock + ${future} s)` };
      }
    }
    if (share.versionBits !== undefined) {
      if (share.versionMask !== undefined && (share.versionBits & ~share.versionMask) !== 0) {
        return {
          reason: 'bad-version',
          message: `version bits ${hex32(share.versionBits)} fall outside the negotiated mask ${hex32(share.versionMask)}`,
        };
      }
      const upstream = this.options.upstreamVersionMask?.();
      if (upstream !== undefined && (share.versionBits & ~upstream) !== 0) {
        return {
          reason: 'bad-version',
          message: `version bits ${hex32(share.versionBits)} fall outside the upstream's mask ${hex32(upstream)}`,
        };
      }
    }
    return undefined;
  }

  /** the real plugin's header (it works from the job's work alone) */
  buildHeader(job: CoinJob, share: ShareSubmission): Buffer {
    return this.real.buildHeader(job, share);
  }

  /**
   * The share as the upstream must receive it, JSON ({@link ForwardedShareJson}).
   *
   * @throws LodeError('share') when the share's extranonce1 is not the
   *   upstream extranonce1 followed by a suffix of this subscription
   */
  buildBlock(job: CoinJob, share: ShareSubmission, _header?: Buffer, _seal?: Buffer): string {
    const prefix = this.options.upstreamExtranonce1;
    const en1 = share.extranonce1;
    if (en1.length !== this.minerExtranonce1Size || !en1.subarray(0, prefix.length).equals(prefix)) {
      throw new LodeError(
        'share',
        `extranonce1 ${en1.toString('hex')} is not the upstream's ${prefix.toString('hex')} followed by a ${this.options.suffixBytes}-byte suffix`,
      );
    }
    const suffix = en1.subarray(prefix.length);
    const out: ForwardedShareJson = {
      jobId: job.id,
      extranonce2: Buffer.concat([suffix, share.extranonce2]).toString('hex'),
      ntime: share.ntime,
      nonce: share.nonce,
    };
    if (share.versionBits !== undefined) out.versionBits = share.versionBits;
    const worker = this.options.workerOf?.(en1);
    if (worker !== undefined) out.workerName = worker;
    return JSON.stringify(out);
  }

  displayHash(hash: Buffer): string {
    return this.real.displayHash(hash);
  }

  /** the miners' sizes: upstream extranonce1 + suffix, upstream extranonce2 - suffix */
  extranonceSizes(): { extranonce1Size: number; extranonce2Size: number } {
    return { extranonce1Size: this.minerExtranonce1Size, extranonce2Size: this.minerExtranonce2Size };
  }

  private nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }
}

function hex32(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}
