import {
  LodeError,
  type CoinJob,
  type CoinNode,
  type CoinPlugin,
  type CoinShareRejection,
  type CoinTemplate,
  type JobContext,
  type LodeLogger,
  type PowResult,
  type ShareSubmission,
  type WarthogWork,
} from '@lode/plugin-api';
import { uint32Hex } from '../encoding/hex';
import { createWarthogHasher, type WarthogHasher, type WarthogHasherImplementation } from '../hasher/warthog-hasher';
import { buildWarthogHeader } from '../header/build-warthog-header';
import { parseWarthogHeader } from '../header/parse-warthog-header';
import { WARTHOG_HEADER_BYTES } from '../header/serialize-warthog-header';
import { WARTHOG_EXTRANONCE_BYTES } from '../merkle/warthog-merkle-root';
import { WarthogNode } from '../node/warthog-node';
import { parseWarthogTemplateRaw } from '../node/warthog-template-raw';
import type { WarthogAppendRequest } from '../rpc/warthog-append-request';
import { WARTHOG_DIFF1_TARGET } from '../target-v2/warthog-diff1-target';
import { isWarthogJob, warthogWorkOf, type WarthogJob } from './warthog-job';
import { parseWarthogPluginConfig, warthogPluginConfigSchema, type WarthogPluginConfig } from './warthog-plugin-config';

/** Options of WarthogCoinPlugin. */
export interface WarthogCoinPluginOptions {
  /** the VerusHash code path of the hasher ('auto' by default; tests force 'portable') */
  implementation?: WarthogHasherImplementation;
  /** the pool's clock, ms since the Unix epoch (Date.now by default; tests fix it) */
  clock?: () => number;
}

/** The comparison value of a header with Y < c: no share and no block at any target. */
const NEVER = 2n ** 256n;
const UINT32_MAX = 0xffffffff;

/**
 * Warthog (`wart`): Janushash proof of work, Warthog stratum (`warthog`
 * dialect: 7-parameter notify with a merkle prefix), the node's HTTP API.
 *
 * - Jobs come from `/chain/mine/<payoutAddress>` (WarthogNode); the job's
 *   WarthogWork is the template header's prevHash, target (nbits), version
 *   and ntime plus the node's merkle prefix, and the job keeps the template
 *   body for the block.
 * - A share's header is prevHash ‖ nbits ‖ SHA-256(merklePrefix ‖
 *   extranonce1 ‖ extranonce2) ‖ version ‖ ntime ‖ nonce (big-endian
 *   integers; the 10 extranonce bytes are the body's extranonce area).
 * - The hash compared with targets is Janushash's value floor(J · 2^256) + 1
 *   (hashValue; 2^256 when Y < c, so such a header never passes): a share at
 *   difficulty D needs value <= 2^256 / D (diff1Target = 2^256, no 2^32
 *   factor), a block value <= τ · 2^256 (the job's network target from
 *   targetV2ToBigint), which is exactly the node's J < τ. The block id is
 *   sha256d of the header (hashShare's `blockHash`).
 * - A block goes to `/chain/append` as `{height, header, body}` with
 *   body[0..10] = extranonce1 ‖ extranonce2.
 *
 * The addon loads on first use of the hasher (hashShare, hasher.*), so the
 * plugin constructs without it.
 *
 * @see facts/warthog.md §1-§4, §7, §8; specs/004_8dfd75be62003ef5.txt
 */
export class WarthogCoinPlugin implements CoinPlugin {
  readonly id = 'wart';
  readonly name = 'Warthog';
  readonly algorithm = 'janushash';
  readonly dialects: readonly string[] = ['warthog'];
  /** difficulty D = target 2^256 / D (τ = 1/D, facts/warthog.md §3.1) */
  readonly diff1Target: bigint = WARTHOG_DIFF1_TARGET;
  readonly configSchema: object = warthogPluginConfigSchema;
  /** Janushash on the native addon; `hash` gives the comparison value (see createWarthogHasher) */
  readonly hasher: WarthogHasher;

  private readonly clock: () => number;
  private readonly configs = new WeakMap<object, WarthogPluginConfig>();

  constructor(options: WarthogCoinPluginOptions = {}) {
    this.hasher = createWarthogHasher(options.implementation === undefined ? {} : { implementation: options.implementation });
    this.clock = options.clock ?? Date.now;
  }

  /**
   * A WarthogNode for the config's `node` section, paying `payoutAddress`.
   *
   * @throws LodeError('config') for a malformed section
   */
  createNode(config: Record<string, unknown>, logger: LodeLogger): CoinNode {
    const parsed = this.configOf(config);
    return new WarthogNode(parsed.node, parsed.payoutAddress, logger.child({ coin: this.id }));
  }

  /**
   * Turns a WarthogNode template into a job: WarthogWork from the template
   * header (prevHash = bytes 0..31, nbits = 32..35, version = 68..71, ntime =
   * 72..75) and the node's merklePrefix; the body kept for buildBlock.
   *
   * The ntime window is [template ntime, pool clock + ntimeFutureSeconds
   * (600)]: MININGCORE's window, which approximates the node's timestamp rules
   * (facts/warthog.md §4.4): the template's own time already satisfies the
   * median-of-50 and retarget-time rules, so no earlier time is allowed, and
   * the node refuses a block more than 600 s ahead of its clock
   * (`TOLERANCEMINUTES`). JANUSMINER never rolls ntime.
   *
   * @throws LodeError('node') for a template that is not a Warthog one;
   *   LodeError('config') for a malformed section or extranonce sizes that do
   *   not add up to 10 bytes
   */
  createJob(template: CoinTemplate, context: JobContext, config: Record<string, unknown>): WarthogJob {
    const parsed = this.configOf(config);
    const raw = parseWarthogTemplateRaw(template.raw);
    const { extranonce1Size, extranonce2Size } = context;
    if (extranonce1Size + extranonce2Size !== WARTHOG_EXTRANONCE_BYTES) {
      throw new LodeError(
        'config',
        `extranonce1 (${extranonce1Size} bytes) + extranonce2 (${extranonce2Size} bytes) is ${extranonce1Size + extranonce2Size} bytes; Warthog's body has a ${WARTHOG_EXTRANONCE_BYTES}-byte extranonce area (use plugin.extranonceSizes)`,
      );
    }
    const header = parseWarthogHeader(Buffer.from(raw.header, 'hex'));
    const work: WarthogWork = {
      dialect: 'warthog',
      prevHash: header.prevHash,
      merklePrefix: raw.merklePrefix,
      version: header.version,
      nbits: header.nbits,
      ntime: header.ntime,
    };
    const now = this.clock();
    const latest = Math.min(UINT32_MAX, Math.floor(now / 1000) + parsed.ntimeFutureSeconds);
    return {
      id: context.jobId,
      coin: this.id,
      height: template.height,
      prevHash: template.prevHash,
      networkTarget: template.networkTarget,
      ntimeMin: header.ntime,
      ntimeMax: Math.max(header.ntime, latest),
      work,
      createdAt: now,
      warthog: { body: raw.body, extranonce1Size, extranonce2Size },
    };
  }

  /**
   * Coin rules checked before hashing: extranonce1 + extranonce2 = 10 bytes,
   * ntime within the job's window, no version bits (Warthog has no version
   * rolling).
   *
   * @returns the rejection, or undefined when the share may be hashed
   * @throws LodeError('plugin') for a job without Warthog work
   */
  checkShare(job: CoinJob, share: ShareSubmission): CoinShareRejection | undefined {
    warthogWorkOf(job);
    const { extranonce1, extranonce2 } = share;
    const total = extranonce1.length + extranonce2.length;
    if (total !== WARTHOG_EXTRANONCE_BYTES) {
      const expected = isWarthogJob(job) ? `; the job expects ${job.warthog.extranonce2Size} bytes of extranonce2` : '';
      return {
        reason: 'bad-extranonce2',
        message: `extranonce1 (${extranonce1.length} bytes) + extranonce2 (${extranonce2.length} bytes) is ${total} bytes, Warthog's merkle root takes exactly ${WARTHOG_EXTRANONCE_BYTES}${expected}`,
      };
    }
    if (share.ntime < job.ntimeMin) {
      return {
        reason: 'bad-ntime',
        message: `ntime ${uint32Hex(share.ntime)} is before the job's earliest ${uint32Hex(job.ntimeMin)} (the template's timestamp)`,
      };
    }
    if (share.ntime > job.ntimeMax) {
      return {
        reason: 'bad-ntime',
        message: `ntime ${uint32Hex(share.ntime)} is after the job's latest ${uint32Hex(job.ntimeMax)} (the pool's clock + at most 600 s: the node refuses blocks further ahead)`,
      };
    }
    if (share.versionBits !== undefined) {
      return {
        reason: 'bad-version',
        message: `version bits ${uint32Hex(share.versionBits)} were submitted, but Warthog has no version rolling (the header version is the job's ${uint32Hex(warthogWorkOf(job).version)})`,
      };
    }
    return undefined;
  }

  /**
   * The 80-byte header a share describes (buildWarthogHeader): the share's
   * nonce (the stratum nonce hex read big-endian) goes big-endian into bytes
   * 76..79, so the header carries the submitted hex bytes in order. Works from
   * `job.work` alone, for a job a miner built from `mining.notify`.
   *
   * @throws LodeError('share') when the extranonces are not 10 bytes together
   *   (checkShare reports it first); LodeError('plugin') for a job without
   *   Warthog work; LodeError('protocol') for malformed work
   * @see facts/warthog.md §2, §4.4
   */
  buildHeader(job: CoinJob, share: ShareSubmission): Buffer {
    const work = warthogWorkOf(job);
    return buildWarthogHeader(work, share.extranonce1, share.extranonce2, share.ntime, share.nonce);
  }

  /**
   * Janushash of the share's header on the addon (synchronous, well under a
   * millisecond; wrapped in a Promise for the contract).
   *
   * @param header what buildHeader returned (80 bytes)
   * @returns `hash` = the 32-byte comparison value (read by hashValue),
   *   `blockHash` = sha256d of the header, 64 hex in digest order (the block id)
   * @throws LodeError('plugin') (rejects) for a header not 80 bytes, a job
   *   without Warthog work, or when the addon did not load
   * @see facts/warthog.md §1.1
   */
  async hashShare(job: CoinJob, header: Buffer): Promise<PowResult> {
    warthogWorkOf(job);
    const janus = this.hasher.janus(header);
    return { hash: janus.value, blockHash: janus.blockHash.toString('hex') };
  }

  /**
   * The comparison value read big-endian: floor(J · 2^256) + 1, or 2^256 for
   * the addon's all-ff "Y < c" value, so that such a header fails even the
   * target 2^256 - 1 that difficulty <= 1 clamps to.
   *
   * @param hash 32 bytes from hashShare or hasher.hash
   */
  hashValue(hash: Buffer): bigint {
    if (hash.length === 0) return 0n;
    const value = BigInt(`0x${hash.toString('hex')}`);
    return hash.length === 32 && value === NEVER - 1n ? NEVER : value;
  }

  /** The comparison value as lower-case hex (the block id is hashShare's `blockHash`). */
  displayHash(hash: Buffer): string {
    return hash.toString('hex');
  }

  /**
   * The `/chain/append` request as JSON, what WarthogNode.submitBlock takes:
   * `{"height", "header": 160 hex, "body": hex}`, the body being the
   * template's with body[0..10] = extranonce1 ‖ extranonce2.
   *
   * @param header what buildHeader returned for the share (80 bytes)
   * @throws LodeError('plugin') for a job createJob did not build (a miner's
   *   job has no body), a header not 80 bytes, or extranonces that are not 10
   *   bytes together
   * @see facts/warthog.md §4.3, §4.6, §6-H
   */
  buildBlock(job: CoinJob, share: ShareSubmission, header: Buffer): string {
    if (!isWarthogJob(job)) {
      throw new LodeError('plugin', `job ${job.id} (coin ${job.coin}) was not built by the wart plugin: it has no template body`);
    }
    if (header.length !== WARTHOG_HEADER_BYTES) {
      throw new LodeError('plugin', `a Warthog header is ${WARTHOG_HEADER_BYTES} bytes, got ${header.length}`);
    }
    const area = Buffer.concat([share.extranonce1, share.extranonce2]);
    if (area.length !== WARTHOG_EXTRANONCE_BYTES) {
      throw new LodeError('plugin', `extranonce1 + extranonce2 is ${area.length} bytes, the body's extranonce area is ${WARTHOG_EXTRANONCE_BYTES}`);
    }
    const block: WarthogAppendRequest = {
      height: job.height,
      header: header.toString('hex'),
      body: area.toString('hex') + job.warthog.body.slice(2 * WARTHOG_EXTRANONCE_BYTES),
    };
    return JSON.stringify(block);
  }

  /**
   * extranonce1 = `extranonce1Bytes` (default 4), extranonce2 = the rest of
   * the 10-byte extranonce area (default 6, as the node's own stratum).
   *
   * @throws LodeError('config') for a malformed section
   */
  extranonceSizes(config: Record<string, unknown>): { extranonce1Size: number; extranonce2Size: number } {
    const { extranonce1Bytes } = this.configOf(config);
    return { extranonce1Size: extranonce1Bytes, extranonce2Size: WARTHOG_EXTRANONCE_BYTES - extranonce1Bytes };
  }

  private configOf(config: Record<string, unknown>): WarthogPluginConfig {
    let parsed = this.configs.get(config);
    if (parsed === undefined) {
      parsed = parseWarthogPluginConfig(config);
      this.configs.set(config, parsed);
    }
    return parsed;
  }
}
