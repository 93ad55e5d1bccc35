import {
  LodeError,
  type CoinJob,
  type CoinNode,
  type CoinPlugin,
  type CoinShareRejection,
  type CoinTemplate,
  type EthashWork,
  type JobContext,
  type LodeLogger,
  type NativeHasher,
  type PowClaim,
  type PowResult,
  type SeedWork,
  type ShareSubmission,
} from '@lode/plugin-api';
import { ETHASH_DIFF1_TARGET } from '../boundary/ethash-diff1-target';
import { ethashRule, etchashRule, type EpochRule } from '../epoch/epoch-rule';
import { ETC_ECIP1099_BLOCK } from '../epoch/epoch-lengths';
import type { EthashAlgo } from '../epoch/ethash-algo';
import { EthashContexts } from '../epoch/ethash-contexts';
import { etchashEpoch } from '../epoch/etchash-epoch';
import { seedEpochOf } from '../epoch/seed-epoch-of';
import { parseEthTemplateRaw } from '../node/eth-template-raw';
import { EthereumNode } from '../node/ethereum-node';
import type { EthereumCoinProfile } from './ethereum-coin-profile';
import {
  etcPluginConfigSchema,
  ethPluginConfigSchema,
  parseEthereumPluginConfig,
  type EthereumPluginConfig,
} from './ethereum-plugin-config';

/** Bytes of the ethash nonce: extranonce1 ‖ extranonce2, big-endian (facts/ethash.md §1.2, §1.3). */
const NONCE_BYTES = 8;
/** Bytes of what buildHeader returns: header hash (32) ‖ nonce (8, big-endian). */
const HEADER_BYTES = 32 + NONCE_BYTES;
/** Bytes of the ethash mix digest, the seal (facts/ethash.md §2.6). */
const MIX_BYTES = 32;
const HASH_HEX = /^[0-9a-f]{64}$/;

/**
 * One Ethereum-family coin: "eth" (ethash, 30000-block epochs) or "etc"
 * (ETChash from the ECIP-1099 fork block on), speaking EthereumStratum/2.0.0
 * ("ethstratum"). The package binds one instance of each (ethereumPluginModule),
 * sharing one EthashContexts.
 *
 * - Jobs come from `eth_getWork` (EthereumNode); the job's EthashWork carries
 *   the header (seal) hash, seed hash, sizing epoch, seed epoch and algo, and
 *   createJob refuses work whose seed hash does not belong to the height under
 *   this coin's rule (a node of another chain, or a wrong ecip1099Block).
 * - A share's 64-bit nonce is extranonce1 ‖ extranonce2 read big-endian;
 *   buildHeader gives header hash ‖ nonce (40 bytes); hashShare runs
 *   hashimoto-light with the light cache of the job's (algo, epoch) on a
 *   worker thread and returns the final hash (compared big-endian, hashValue)
 *   with the mix digest as the seal; buildBlock gives the eth_submitWork
 *   parameters.
 * - A share that carries the miner's mix digest (EthProxy, plain stratum)
 *   reaches hashShare with a PowClaim: the 2-keccak quick check refuses it
 *   (`quick: true`) before any light hash when its would-be final is above
 *   the claim's target (facts/ethash.md §1.1, §2.7).
 * - workKey is the header hash: the duplicate key tells refreshed templates
 *   of one height apart.
 * - Difficulty d means boundary 2^256 / d (diff1Target = 2^256).
 *
 * The addon loads on first use of the hasher (createJob's seed check,
 * hashShare, epochHasher), so the plugin constructs without it.
 *
 * @see facts/ethash.md §1.3, §2, §5.3; specs/003_fafafa51dc5fa36a.txt (EIP-1571)
 */
export class EthereumCoinPlugin implements CoinPlugin {
  readonly id: string;
  readonly name: string;
  readonly algorithm: string;
  readonly dialects: readonly string[] = ['ethstratum'];
  /** difficulty d = boundary 2^256 / d (facts/ethash.md §2.6) */
  readonly diff1Target: bigint = ETHASH_DIFF1_TARGET;
  readonly configSchema: object;
  /**
   * Required by the contract, but ethash does not hash 80-byte headers over a
   * 32-bit nonce: `hash` and `scan` throw LodeError('plugin'); use hashShare
   * and epochHasher. `implementation` is the addon's.
   */
  readonly hasher: NativeHasher;
  /** the light caches and datasets (shared with the other Ethereum coin) */
  readonly epochHasher: EthashContexts;

  private readonly configs = new WeakMap<object, { config: EthereumPluginConfig; rule: EpochRule }>();

  /**
   * @param profile ETH_COIN or ETC_COIN
   * @param contexts the light caches to use (one per process, shared by both coins)
   */
  constructor(
    private readonly profile: EthereumCoinProfile,
    contexts: EthashContexts = new EthashContexts(),
  ) {
    this.id = profile.id;
    this.name = profile.name;
    this.algorithm = profile.algorithm;
    this.configSchema = profile.id === 'etc' ? etcPluginConfigSchema : ethPluginConfigSchema;
    this.epochHasher = contexts;
    this.hasher = headerlessHasher(contexts);
  }

  /**
   * An EthereumNode for the config's `node` section; the contexts log their
   * builds through `logger` from now on.
   *
   * @throws LodeError('config') for a malformed section
   */
  createNode(config: Record<string, unknown>, logger: LodeLogger): CoinNode {
    const { config: parsed } = this.configOf(config);
    this.epochHasher.useLogger(logger.child({ component: 'ethash' }));
    return new EthereumNode(parsed.node, logger.child({ coin: this.id }));
  }

  /**
   * Turns an EthereumNode template into a job with EthashWork, checks that
   * the node's seed hash is the one of the height under this coin's epoch
   * rule, and starts preparing the light caches of the job's epoch and the
   * next (EthashContexts.warm). The job has no ntime (ntimeMin = ntimeMax = 0).
   *
   * @throws LodeError('node') for a malformed template, or a seed hash that is
   *   not this coin's for the height (another chain or algorithm);
   *   LodeError('config') for a malformed section; LodeError('plugin') when the
   *   addon did not load
   */
  createJob(template: CoinTemplate, context: JobContext, config: Record<string, unknown>): CoinJob {
    const { config: parsed, rule } = this.configOf(config);
    const raw = parseEthTemplateRaw(template.raw);
    const height = template.height;
    const { algo, epoch, seedEpoch } = rule.at(height);
    const expected = this.epochHasher.seedHash(algo, epoch).toString('hex');
    if (raw.seedHash !== expected) {
      const fork = parsed.ecip1099Block !== undefined ? ` with ECIP-1099 at block ${parsed.ecip1099Block}` : '';
      throw new LodeError(
        'node',
        `the node's seed hash ${raw.seedHash} for block ${height} is not ${this.name}'s: block ${height} is ${algo} epoch ${epoch}` +
          ` with seed keccak256^${seedEpoch}(0) = ${expected}. The node mines another chain or algorithm than coin "${this.id}"${fork} expects;` +
          ` check the node URL, the coin${this.id === 'etc' ? ' and etc.ecip1099Block (ETC 11700000, Mordor 2520000)' : ''}`,
      );
    }
    const work: EthashWork = { dialect: 'ethstratum', headerHash: raw.headerHash, seedHash: raw.seedHash, epoch, seedEpoch, algo };
    this.epochHasher.warm(algo, epoch);
    return {
      id: context.jobId,
      coin: this.id,
      height,
      prevHash: template.prevHash,
      networkTarget: template.networkTarget,
      ntimeMin: 0,
      ntimeMax: 0,
      work,
      createdAt: Date.now(),
    };
  }

  /**
   * The share's nonce must be 8 bytes: extranonce1 (the session's) plus
   * extranonce2 (the miner's nonce suffix).
   *
   * @returns 'bad-extranonce2' naming both sizes, or undefined
   * @throws LodeError('plugin') for a job without EthashWork
   */
  checkShare(job: CoinJob, share: ShareSubmission): CoinShareRejection | undefined {
    ethashWorkOf(job);
    const total = share.extranonce1.length + share.extranonce2.length;
    if (total !== NONCE_BYTES) {
      return {
        reason: 'bad-extranonce2',
        message: `the nonce is ${total} bytes (extranonce ${share.extranonce1.length} + miner nonce ${share.extranonce2.length}), expected ${NONCE_BYTES}`,
      };
    }
    return undefined;
  }

  /**
   * header hash (32 bytes) ‖ nonce (8 bytes, big-endian: extranonce1 ‖ extranonce2).
   *
   * @returns 40 bytes for hashShare
   * @throws LodeError('share') when the nonce is not 8 bytes (checkShare
   *   reports it first); LodeError('plugin') for a job without EthashWork
   */
  buildHeader(job: CoinJob, share: ShareSubmission): Buffer {
    const work = ethashWorkOf(job);
    const total = share.extranonce1.length + share.extranonce2.length;
    if (total !== NONCE_BYTES) {
      throw new LodeError('share', `the nonce is ${total} bytes (extranonce ${share.extranonce1.length} + miner nonce ${share.extranonce2.length}), expected ${NONCE_BYTES}`);
    }
    return Buffer.concat([Buffer.from(work.headerHash, 'hex'), share.extranonce1, share.extranonce2], HEADER_BYTES);
  }

  /**
   * hashimoto-light of the share with the light cache of the job's (algo,
   * epoch), awaited when still building, on a worker thread (~5 ms).
   *
   * With a `claim` (EthProxy and plain stratum send the miner's mix digest)
   * the cheap check runs first: quick = keccak256(keccak512(header hash ‖
   * nonce LE) ‖ claimed mix), two keccaks on the event loop. When quick read
   * big-endian is above `claim.target` the result is `{ hash: quick, quick:
   * true }` at once, without the light cache (not even waiting for the
   * epoch's cache to be built); otherwise the light hash is computed as
   * without a claim (the engine compares its mix with the claimed one,
   * 'bad-seal'). A true mix gives quick = the final hash.
   *
   * @param header what buildHeader returned (40 bytes)
   * @param claim the miner's mix digest (`seal`, 32 bytes) and the easiest
   *   target that matters (a 256-bit boundary, not a difficulty)
   * @returns `hash` = the final hash (32 bytes, read big-endian by hashValue),
   *   `seal` = the mix digest (32 bytes) for buildBlock; or, refused by the
   *   quick check, `hash` = quick (32 bytes) and `quick: true`, no seal
   * @throws LodeError('plugin') (rejects) for a header not 40 bytes, a job
   *   without EthashWork, a claimed seal not 32 bytes (the dialect checks
   *   lengths: this is a dialect bug), a target that is not a bigint >= 0,
   *   or when the light cache cannot be built
   * @see facts/ethash.md §1.1, §2.6, §2.7 (check order of chfast verify_against_boundary)
   */
  async hashShare(job: CoinJob, header: Buffer, claim?: PowClaim): Promise<PowResult> {
    const work = ethashWorkOf(job);
    if (header.length !== HEADER_BYTES) {
      throw new LodeError('plugin', `an ethash share header is ${HEADER_BYTES} bytes (header hash + nonce), got ${header.length}`);
    }
    const headerHash = header.subarray(0, 32);
    const nonce = header.readBigUInt64BE(32);
    if (claim !== undefined) {
      const { seal, target } = claim;
      if (!Buffer.isBuffer(seal) || seal.length !== MIX_BYTES) {
        throw new LodeError(
          'plugin',
          `the claimed ethash seal (mix digest) of a share on job ${job.id} is ${Buffer.isBuffer(seal) ? `${seal.length} bytes` : typeof seal}, expected ${MIX_BYTES}: the dialect must refuse a malformed mix digest before the share reaches the coin`,
        );
      }
      if (typeof target !== 'bigint' || target < 0n) {
        throw new LodeError('plugin', `the claim's target must be a bigint >= 0 (a 256-bit boundary), got ${String(target)}`);
      }
      const quick = this.epochHasher.quickFinal(headerHash, nonce, seal);
      if (this.hashValue(quick) > target) return { hash: quick, quick: true };
    }
    const { mix, final } = await this.epochHasher.hash(work.algo, work.epoch, headerHash, nonce);
    return { hash: final, seal: mix };
  }

  /**
   * The job's header (seal) hash, 64 lower-case hex: a refreshed template at
   * the same height is other work, so the same nonce on it is no duplicate.
   *
   * @throws LodeError('plugin') for a job without EthashWork
   * @see facts/ethash.md §5.1 (open-ethereum-pool keys duplicates by nonce:header:mix)
   */
  workKey(job: CoinJob): string {
    return ethashWorkOf(job).headerHash;
  }

  /**
   * What a job that names only its seed hash is hashed with (ES1, EthProxy,
   * plain stratum): the seed epoch s from the native chain walk, then
   * - `algo` "etchash": ETChash epoch s / 2 (undefined for an odd s);
   * - `algo` "ethash": ethash epoch s;
   * - no flag: this coin's rule: eth reads ethash epoch s; etc reads ETChash
   *   epoch s / 2 when s is even and at least the seed epoch of the default
   *   ECIP-1099 block (11,700,000: seed epoch 390), else ethash epoch s (the
   *   chain's blocks before the fork). A chain with another fork block
   *   (Mordor, a devnet) needs the pool's flag, which Lode pools send.
   *
   * @throws LodeError('plugin') when seedHash is not 32 bytes, or without the addon
   * @see facts/ethash.md §0 (3), §1.6, §2.8
   */
  workOfSeed(seedHash: Buffer, algo?: EthashAlgo): SeedWork | undefined {
    const seedEpoch = this.epochHasher.seedEpochOfSeed(seedHash);
    if (seedEpoch === undefined) return undefined;
    const forkSeedEpoch = seedEpochOf('etchash', etchashEpoch(ETC_ECIP1099_BLOCK, ETC_ECIP1099_BLOCK));
    const chosen: EthashAlgo =
      algo ?? (this.profile.algorithm === 'etchash' && seedEpoch >= forkSeedEpoch && seedEpoch % 2 === 0 ? 'etchash' : 'ethash');
    if (chosen === 'ethash') return { algo: 'ethash', epoch: seedEpoch, seedEpoch };
    return seedEpoch % 2 === 0 ? { algo: 'etchash', epoch: seedEpoch / 2, seedEpoch } : undefined;
  }

  /** The final hash read big-endian (facts/ethash.md §2.6, §4.8). */
  hashValue(hash: Buffer): bigint {
    return hash.length === 0 ? 0n : BigInt(`0x${hash.toString('hex')}`);
  }

  /** The final hash as lower-case hex, as is (ethash hashes are not reversed). */
  displayHash(hash: Buffer): string {
    return hash.toString('hex');
  }

  /**
   * The eth_submitWork parameters as a JSON array string:
   * `["0x" + nonce (16 hex), "0x" + header hash (64), "0x" + mix digest (64)]`,
   * what EthereumNode.submitBlock takes.
   *
   * @param header what buildHeader returned (40 bytes)
   * @param seal the mix digest hashShare returned
   * @throws LodeError('plugin') without a 32-byte seal, for a header not 40
   *   bytes, or a job without EthashWork
   * @see facts/ethash.md §1.1, §5.3
   */
  buildBlock(job: CoinJob, _share: ShareSubmission, header: Buffer, seal?: Buffer): string {
    const work = ethashWorkOf(job);
    if (seal === undefined || seal.length !== 32) {
      throw new LodeError(
        'plugin',
        `an ethash block needs the 32-byte mix digest hashShare returned as its seal, got ${seal === undefined ? 'none' : `${seal.length} bytes`}`,
      );
    }
    if (header.length !== HEADER_BYTES) {
      throw new LodeError('plugin', `an ethash share header is ${HEADER_BYTES} bytes (header hash + nonce), got ${header.length}`);
    }
    return JSON.stringify([`0x${header.subarray(32).toString('hex')}`, `0x${work.headerHash}`, `0x${seal.toString('hex')}`]);
  }

  /**
   * extranonce1 = `extranonceBytes` (default 2, at most 6 by EIP-1571),
   * extranonce2 = the rest of the 8-byte nonce.
   *
   * @throws LodeError('config') for a malformed section
   */
  extranonceSizes(config: Record<string, unknown>): { extranonce1Size: number; extranonce2Size: number } {
    const { extranonceBytes } = this.configOf(config).config;
    return { extranonce1Size: extranonceBytes, extranonce2Size: NONCE_BYTES - extranonceBytes };
  }

  private configOf(config: Record<string, unknown>): { config: EthereumPluginConfig; rule: EpochRule } {
    let entry = this.configs.get(config);
    if (entry === undefined) {
      const parsed = parseEthereumPluginConfig(config, this.profile.id);
      const rule = this.profile.algorithm === 'etchash' ? etchashRule(parsed.ecip1099Block) : ethashRule;
      entry = { config: parsed, rule };
      this.configs.set(config, entry);
    }
    return entry;
  }
}

/** The job's EthashWork, checked. */
function ethashWorkOf(job: CoinJob): EthashWork {
  const work = job.work;
  if (work.dialect !== 'ethstratum') {
    throw new LodeError('plugin', `job ${job.id} (coin ${job.coin}) carries ${String(work.dialect)} work, not EthashWork`);
  }
  if (!HASH_HEX.test(work.headerHash)) {
    throw new LodeError('plugin', `job ${job.id} has header hash ${JSON.stringify(work.headerHash)}, expected 64 lower-case hex digits`);
  }
  return work;
}

/** The contract's NativeHasher for a PoW that cannot hash a bare header. */
function headerlessHasher(contexts: EthashContexts): NativeHasher {
  const refuse = (what: string): LodeError =>
    new LodeError(
      'plugin',
      `ethash has no ${what}: a hash needs the epoch's light cache or dataset and a 64-bit nonce;` +
        ' use plugin.hashShare(job, header) for shares and plugin.epochHasher.scan() for mining',
    );
  return {
    get implementation(): string {
      return contexts.implementation;
    },
    hash(): Buffer {
      throw refuse('header hash(header)');
    },
    scan(): Promise<never> {
      return Promise.reject(refuse('header scan(request)'));
    },
  };
}
