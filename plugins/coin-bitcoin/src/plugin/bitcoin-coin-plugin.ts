import { injectable } from 'inversify';
import { BITCOIN_DIFF1_TARGET } from '@lode/mining';
import {
  LodeError,
  type CoinJob,
  type CoinNode,
  type CoinPlugin,
  type CoinShareRejection,
  type CoinTemplate,
  type JobContext,
  type LodeLogger,
  type NativeHasher,
  type ShareSubmission,
  type StratumV1Work,
} from '@lode/plugin-api';
import { buildCoinbase } from '../coinbase/build-coinbase';
import { payoutScript } from '../coinbase/payout-script';
import { withCoinbaseWitness } from '../coinbase/with-coinbase-witness';
import { serializeBlock } from '../block/serialize-block';
import { decodeHex, uint32Hex } from '../encoding/hex';
import { sha256d } from '../hash/sha256d';
import { buildHeader } from '../header/build-header';
import { displayHash } from '../header/display-hash';
import { stratumToPrevhashBytes, prevhashToStratum } from '../header/prevhash';
import { rolledVersion } from '../header/rolled-version';
import { merkleBranches } from '../merkle/merkle-branches';
import { merkleRootFromBranches } from '../merkle/merkle-root-from-branches';
import { BitcoinNode } from '../node/bitcoin-node';
import { parseBlockTemplate, templateTxid } from '../rpc/block-template';
import { createBitcoinHasher, type BitcoinHasher } from '../native-hasher';
import { asBitcoinJob, isBitcoinJob, type BitcoinJob } from './bitcoin-job';
import { bitcoinPluginConfigSchema, parseBitcoinPluginConfig, type BitcoinPluginConfig } from './bitcoin-plugin-config';

/** A job's work decoded once, so a share costs only its own bytes and hashes. */
interface DecodedWork {
  coinb1: Buffer;
  coinb2: Buffer;
  branches: Buffer[];
  /** `branches` concatenated (32 bytes each), as the addon's merkleRootInto takes them */
  branchBytes: Buffer;
  prevhash: Buffer;
  /**
   * coinb1 | extranonce1 | extranonce2 | coinb2 of a pool job, reused by
   * every share: only the extranonces are copied in, and the coinbase is
   * hashed before buildHeader returns. Made on the job's first share.
   */
  scratch?: Buffer;
}

/** BitcoinHasher.merkleRootInto: writes a share's merkle root into its header, in one native call. */
type MerkleRootInto = BitcoinHasher['merkleRootInto'];

/** Where the merkle root sits in an 80-byte header (after version and prevhash). */
const MERKLE_ROOT_OFFSET = 36;
/** Stands in for the root buildHeader writes, until the addon writes the real one over it. */
const ROOT_PLACEHOLDER = Buffer.alloc(32);

/**
 * The Bitcoin coin (id "btc", SHA-256d, Bitcoin Stratum v1 dialect).
 *
 * Jobs come from bitcoind getblocktemplate results (BitcoinNode): one
 * coinbase per job paying `payoutAddress`, cut around the extranonce
 * placeholder; shares are rebuilt into 80-byte headers for the native
 * hasher, and a share that meets the network target into a `submitblock` hex.
 * Byte orders follow facts/bitcoin-stratum.md; the layout of the coinbase
 * and block follows facts/bitcoin-blocks.md.
 *
 * The native hasher is loaded on first use of `hasher` or `buildHeader`, so
 * the plugin can be constructed (and everything else used) without the
 * addon; buildHeader then folds the merkle branch with node's crypto.
 */
@injectable()
export class BitcoinCoinPlugin implements CoinPlugin {
  readonly id = 'btc';
  readonly name = 'Bitcoin';
  readonly algorithm = 'sha256d';
  readonly dialects: readonly string[] = ['bitcoin'];
  /** Stratum difficulty 1 = 0xffff * 2^208 (facts/bitcoin-stratum.md, "Targets") */
  readonly diff1Target: bigint = BITCOIN_DIFF1_TARGET;
  readonly configSchema: object = bitcoinPluginConfigSchema;

  private nativeHasher?: NativeHasher;
  /** undefined until buildHeader first asks; null: no addon (fold in TypeScript) */
  private nativeMerkle?: MerkleRootInto | null;
  private readonly configs = new WeakMap<object, { config: BitcoinPluginConfig; payout: Buffer }>();
  private readonly decoded = new WeakMap<CoinJob, DecodedWork>();

  /** The native SHA-256d hasher (napi-rs addon), loaded on first access. */
  get hasher(): NativeHasher {
    this.nativeHasher ??= createBitcoinHasher();
    return this.nativeHasher;
  }

  /**
   * A BitcoinNode for the config's `node` section.
   *
   * @throws LodeError('config') for a malformed section or a payout address
   *   that is not a `network` address (checked here, so a pool fails at start)
   */
  createNode(config: Record<string, unknown>, logger: LodeLogger): CoinNode {
    const { config: parsed } = this.configOf(config);
    return new BitcoinNode(parsed.node, logger.child({ coin: this.id }));
  }

  /**
   * Turns a template into a job: coinbase cut for the context's extranonce
   * sizes, merkle branch from the template's txids (not wtxids), prevhash in
   * notify form, version / nbits / ntime (curtime) as numbers. Shares may
   * carry ntime in [mintime (or curtime), curtime + ntimeFutureSeconds].
   *
   * @throws LodeError('node') for a malformed template; LodeError('config')
   *   for a bad payout address or a scriptSig over 100 bytes
   */
  createJob(template: CoinTemplate, context: JobContext, config: Record<string, unknown>): BitcoinJob {
    const { config: parsed, payout } = this.configOf(config);
    const tpl = parseBlockTemplate(template.raw);
    const { coinb1, coinb2 } = buildCoinbase({
      template: tpl,
      payoutScript: payout,
      tag: Buffer.from(parsed.coinbaseTag, 'utf8'),
      extranonce1Size: context.extranonce1Size,
      extranonce2Size: context.extranonce2Size,
    });
    // the merkle tree hashes txids in internal byte order: display hex reversed
    const branches = merkleBranches(tpl.transactions.map((tx) => Buffer.from(templateTxid(tx), 'hex').reverse()));
    const work: StratumV1Work = {
      dialect: 'bitcoin',
      prevhash: prevhashToStratum(tpl.previousblockhash),
      coinb1: coinb1.toString('hex'),
      coinb2: coinb2.toString('hex'),
      merkleBranches: branches.map((b) => b.toString('hex')),
      version: tpl.version >>> 0,
      nbits: parseInt(tpl.bits, 16),
      ntime: tpl.curtime,
    };
    const job: BitcoinJob = {
      id: context.jobId,
      coin: this.id,
      height: tpl.height,
      prevHash: template.prevHash,
      networkTarget: template.networkTarget,
      ntimeMin: tpl.mintime ?? tpl.curtime,
      ntimeMax: tpl.curtime + parsed.ntimeFutureSeconds,
      work,
      createdAt: Date.now(),
      bitcoin: {
        extranonce1Size: context.extranonce1Size,
        extranonce2Size: context.extranonce2Size,
        transactions: tpl.transactions.map((tx) => tx.data),
        witness: tpl.default_witness_commitment !== undefined,
      },
    };
    this.decoded.set(job, {
      coinb1,
      coinb2,
      branches,
      branchBytes: Buffer.concat(branches),
      prevhash: stratumToPrevhashBytes(work.prevhash),
    });
    return job;
  }

  /**
   * Coin rules checked before hashing: extranonce2 size, the ntime window,
   * and version bits inside the session's negotiated mask (BIP 310).
   *
   * @returns the rejection, or undefined when the share may be hashed
   * @throws LodeError('plugin') for a job of another coin
   */
  checkShare(job: CoinJob, share: ShareSubmission): CoinShareRejection | undefined {
    const { bitcoin } = asBitcoinJob(job);
    if (share.extranonce2.length !== bitcoin.extranonce2Size) {
      return {
        reason: 'bad-extranonce2',
        message: `extranonce2 is ${share.extranonce2.length} bytes, the job expects ${bitcoin.extranonce2Size}`,
      };
    }
    if (share.ntime < job.ntimeMin) {
      return {
        reason: 'bad-ntime',
        message: `ntime ${uint32Hex(share.ntime)} is before the job's earliest ${uint32Hex(job.ntimeMin)} (the template's mintime)`,
      };
    }
    if (share.ntime > job.ntimeMax) {
      return {
        reason: 'bad-ntime',
        message: `ntime ${uint32Hex(share.ntime)} is after the job's latest ${uint32Hex(job.ntimeMax)} (the template's curtime + ${job.ntimeMax - v1Work(job).ntime} s)`,
      };
    }
    if (share.versionBits !== undefined && share.versionMask !== undefined && (share.versionBits & ~share.versionMask) !== 0) {
      return {
        reason: 'bad-version',
        message: `version bits ${uint32Hex(share.versionBits)} fall outside the negotiated mask ${uint32Hex(share.versionMask)}`,
      };
    }
    return undefined;
  }

  /**
   * The 80-byte header a share describes: coinbase = coinb1 | extranonce1 |
   * extranonce2 | coinb2, merkle root = its sha256d folded through the
   * branch, version rolled within the share's mask (BIP 310), the share's
   * ntime and nonce. The root is computed in one call to the native addon
   * (sha256d of the coinbase folded through the job's branches, concatenated
   * once per job); without the addon, with node's crypto (same bytes).
   *
   * @returns 80 raw bytes for hasher.hash
   * Works from `job.work` alone for a job a miner built from `mining.notify`.
   *
   * @throws LodeError('share') when extranonce1 or extranonce2 do not have the
   *   sizes a pool job was built for (checkShare reports the extranonce2 case
   *   first); LodeError('plugin') for a job without Stratum v1 work
   * @see facts/bitcoin-stratum.md rules 1-7
   */
  buildHeader(job: CoinJob, share: ShareSubmission): Buffer {
    if (job.work.dialect !== 'bitcoin') {
      throw new LodeError('plugin', `job ${job.id} (coin ${job.coin}) carries ${String(job.work.dialect)} work, not Stratum v1`);
    }
    const work = this.decodedWork(job);
    // A miner builds its jobs from mining.notify alone (no template data): its
    // extranonce sizes are the ones the pool gave at subscribe, so there is
    // nothing further to check here.
    const coinbase = isBitcoinJob(job)
      ? this.coinbaseScratch(job, work, share)
      : Buffer.concat([work.coinb1, share.extranonce1, share.extranonce2, work.coinb2]);
    const merkleRootInto = this.merkleRootInto();
    const header = buildHeader({
      version: rolledVersion(job.work.version, share.versionBits, share.versionMask),
      prevhashBytes: work.prevhash,
      merkleRoot: merkleRootInto === null ? merkleRootFromBranches(sha256d(coinbase), work.branches) : ROOT_PLACEHOLDER,
      ntime: share.ntime,
      nbits: job.work.nbits,
      nonce: share.nonce,
    });
    merkleRootInto?.(coinbase, work.branchBytes, header, MERKLE_ROOT_OFFSET);
    return header;
  }

  /**
   * The block for `submitblock`: the share's header, the coinbase (with its
   * witness reserved value when the job has a witness commitment), then the
   * template's transactions.
   *
   * @param header the header buildHeader returned for this share
   * @returns the block, hex
   * @throws as buildHeader
   */
  buildBlock(job: CoinJob, share: ShareSubmission, header: Buffer): string {
    const btc = asBitcoinJob(job);
    const coinbase = this.coinbaseOf(btc, this.decodedWork(btc), share);
    return serializeBlock(header, btc.bitcoin.witness ? withCoinbaseWitness(coinbase) : coinbase, btc.bitcoin.transactions);
  }

  /**
   * The server mask for BIP 310 version rolling from the config's
   * `versionRollingMask`: "bip320" = 0x1fffe000 (the default), "bip323" =
   * 0x1fffffe0, "off" = 0, or 8 hex digits with bits 29-31 clear. checkShare
   * and buildHeader apply whatever mask the dialect negotiated below it.
   *
   * @returns uint32 mask, 0 when version rolling is off
   * @throws LodeError('config') for a malformed section (as createNode)
   * @see BIP 320, BIP 323; facts/field-notes.md §3(b), §3(c)
   */
  versionRollingMask(config: Record<string, unknown>): number {
    return this.configOf(config).config.versionRollingMask;
  }

  /** A hash in hash order as explorers print it: bytes reversed, hex. */
  displayHash(hash: Buffer): string {
    return displayHash(hash);
  }

  /**
   * The addon's merkleRootInto, looked up on buildHeader's first call; null
   * when the addon does not load (or the hasher is not the addon's).
   */
  private merkleRootInto(): MerkleRootInto | null {
    if (this.nativeMerkle === undefined) {
      let hasher: Partial<BitcoinHasher> | undefined;
      try {
        hasher = this.hasher as Partial<BitcoinHasher>;
      } catch {
        // no addon: buildHeader folds with node's crypto; `hasher` keeps throwing the load error
        hasher = undefined;
      }
      this.nativeMerkle = typeof hasher?.merkleRootInto === 'function' ? hasher.merkleRootInto : null;
    }
    return this.nativeMerkle;
  }

  /**
   * As coinbaseOf, but the bytes go into the job's scratch coinbase (made on
   * its first share): valid until the next call, so only for hashing at once.
   */
  private coinbaseScratch(job: BitcoinJob, work: DecodedWork, share: ShareSubmission): Buffer {
    this.checkExtranonces(job, share);
    const { coinb1, coinb2 } = work;
    const at = coinb1.length;
    const size1 = share.extranonce1.length;
    const size2 = share.extranonce2.length;
    let scratch = work.scratch;
    if (scratch === undefined || scratch.length !== at + size1 + size2 + coinb2.length) {
      scratch = Buffer.alloc(at + size1 + size2 + coinb2.length);
      coinb1.copy(scratch, 0);
      coinb2.copy(scratch, at + size1 + size2);
      work.scratch = scratch;
    }
    share.extranonce1.copy(scratch, at);
    share.extranonce2.copy(scratch, at + size1);
    return scratch;
  }

  private coinbaseOf(job: BitcoinJob, work: DecodedWork, share: ShareSubmission): Buffer {
    this.checkExtranonces(job, share);
    return Buffer.concat([work.coinb1, share.extranonce1, share.extranonce2, work.coinb2]);
  }

  /** LodeError('share') when the extranonces do not have the sizes the job was built for. */
  private checkExtranonces(job: BitcoinJob, share: ShareSubmission): void {
    if (share.extranonce1.length !== job.bitcoin.extranonce1Size) {
      throw new LodeError(
        'share',
        `extranonce1 is ${share.extranonce1.length} bytes, job ${job.id} was built for ${job.bitcoin.extranonce1Size}`,
      );
    }
    if (share.extranonce2.length !== job.bitcoin.extranonce2Size) {
      throw new LodeError(
        'share',
        `extranonce2 is ${share.extranonce2.length} bytes, the job expects ${job.bitcoin.extranonce2Size}`,
      );
    }
  }

  private decodedWork(job: CoinJob): DecodedWork {
    let work = this.decoded.get(job);
    if (work === undefined) {
      // a job built elsewhere (another instance through the job bus, or by hand)
      const v1 = v1Work(job);
      const branches = v1.merkleBranches.map((b, i) => decodeHex(b, `merkle branch ${i}`, 32));
      work = {
        coinb1: decodeHex(v1.coinb1, 'coinb1'),
        coinb2: decodeHex(v1.coinb2, 'coinb2'),
        branches,
        branchBytes: Buffer.concat(branches),
        prevhash: stratumToPrevhashBytes(v1.prevhash),
      };
      this.decoded.set(job, work);
    }
    return work;
  }

  private configOf(config: Record<string, unknown>): { config: BitcoinPluginConfig; payout: Buffer } {
    let entry = this.configs.get(config);
    if (entry === undefined) {
      const parsed = parseBitcoinPluginConfig(config);
      entry = { config: parsed, payout: payoutScript(parsed.payoutAddress, parsed.network) };
      this.configs.set(config, entry);
    }
    return entry;
  }
}

/** The job's Stratum v1 work; LodeError('plugin') for another dialect's job. */
function v1Work(job: CoinJob): StratumV1Work {
  if (job.work.dialect !== 'bitcoin') {
    throw new LodeError('plugin', `job ${job.id} (coin ${job.coin}) carries ${String(job.work.dialect)} work, not Stratum v1`);
  }
  return job.work;
}
