import type { NotifyParams } from '@lode/dialect-bitcoin';
import { targetFromDifficulty } from '@lode/mining';
import type { CoinJob, CoinPlugin, ShareSubmission } from '@lode/plugin-api';
import { LodeError } from '@lode/stratum-core';
import { Extranonce2Counter } from './extranonce2-counter';
import { VersionBitsCounter } from './version-bits-counter';

/** Nonces in one header's range: the nonce is a uint32. */
export const NONCE_RANGE = 2 ** 32;

/**
 * A job given as the coin's own CoinJob (a dialect other than Stratum v1's
 * notify, e.g. Warthog's 7-parameter notify), with its clean flag. The
 * header's version and ntime come from the work.
 */
export interface CoinJobSource {
  job: CoinJob;
  cleanJobs: boolean;
}

/** The extranonce a job is mined with: extranonce1 from the pool, the size of ours. */
export interface ExtranonceAssignment {
  /** raw bytes, as hex-decoded from the subscribe result or `mining.set_extranonce` */
  extranonce1: Buffer;
  /** bytes of extranonce2 the pool expects in `mining.submit` */
  extranonce2Size: number;
  /**
   * the first extranonce2 value, 0 <= start < 2^(8 * extranonce2Size)
   * (default 0). A miner whose pool may send the same work again under a
   * new job id (Warthog: a refresh of an unchanged template) starts each
   * job at a random value, so it does not find the same shares twice.
   */
  extranonce2Start?: bigint;
}

/** One range of nonces over one header, ready for `hasher.scan`. */
export interface ScanChunk {
  /** the 80-byte header (a copy; the scan may overwrite its nonce field) */
  header: Buffer;
  /** first nonce, uint32 */
  startNonce: number;
  /** nonces to try; startNonce + count <= 2^32 */
  count: number;
  /** the extranonce2 the header was built with (submitted with every hit of this chunk) */
  extranonce2: Buffer;
  /** the header's block version (nVersion, uint32): the job's, or rolled within `versionMask` */
  version: number;
  /** BIP 310 version bits the header was built with (uint32 inside `versionMask`); undefined when not rolling */
  versionBits?: number;
  /** the version mask the header was built with; undefined when not rolling */
  versionMask?: number;
}

/**
 * One `mining.notify` job as the miner scans it: the job bound to its own
 * share target and to the extranonce in effect when it arrived (DESIGN.md
 * "Difficulty belongs to the job"), walked as header after header, in chunks
 * of the caller's size. ntime stays the job's (no ntime rolling).
 *
 * Search order:
 * - without a version mask: for each extranonce2 (a big-endian counter from
 *   0), the whole 2^32 nonce range;
 * - with a negotiated mask M (BIP 310 version rolling): for each extranonce2,
 *   for each version bits value v over the subsets of M (VersionBitsCounter:
 *   first non-zero value first, 0 last), the whole 2^32 nonce range of the
 *   header whose nVersion is `(job_version & ~M) | (v & M)`. Rolling so gives
 *   2^(bits in M) * 2^32 hashes per extranonce2 (2^48 for 1fffe000) and builds
 *   a new coinbase (and merkle root) that much less often.
 *
 * A new mask (`mining.set_version_mask`, setVersionMask) applies at once: the
 * current header is abandoned and the next chunk starts the next extranonce2
 * with the new mask's first value, so no (extranonce2, version) pair is
 * scanned twice.
 *
 * @see specs/002_b8c80480aecfabab.txt (BIP 310) "version-rolling"
 */
export class ScanWork {
  /** the job as the coin plugin reads it (`work.dialect === 'bitcoin'`) */
  readonly job: CoinJob;
  /** the share target a hash must not exceed, from the job's difficulty */
  readonly target: bigint;
  readonly jobId: string;
  /** share difficulty the pool bound to this job */
  readonly difficulty: number;
  /** uint32 seconds, submitted with every hit */
  readonly ntime: number;
  readonly clean: boolean;
  readonly extranonce1: Buffer;
  /** the job's block version from `mining.notify`, uint32 (before rolling) */
  readonly jobVersion: number;
  private readonly counter: Extranonce2Counter;
  private extranonce2: Buffer = Buffer.alloc(0);
  private header: Buffer = Buffer.alloc(0);
  private version = 0;
  private versionBits: number | undefined;
  private mask: number | undefined;
  private versionCounter: VersionBitsCounter | undefined;
  /** headers still to build on the current extranonce2 (one per version bits value) */
  private versionsLeft = 0;
  private started = false;
  // Starts at the end of an (empty) range so that the first chunk builds the first header.
  private nextNonce = NONCE_RANGE;

  /**
   * @param coin the plugin that builds headers and knows the difficulty-1 target
   * @param params the notify's fields, as the Bitcoin client session decoded them, or a
   *   CoinJob the miner built from another dialect's notify (its work must carry
   *   `version` and `ntime`: bitcoin or warthog work)
   * @param difficulty the share difficulty bound to this job
   * @param extranonce the extranonce in effect for this job
   * @param createdAt ms since the Unix epoch, when the job arrived
   * @param versionMask the connection's negotiated BIP 310 version mask (uint32); undefined = no rolling
   * @throws LodeError('protocol') when the difficulty is not a finite number > 0, the extranonce2 size is
   *   out of range or the mask is not a uint32
   */
  constructor(
    private readonly coin: CoinPlugin,
    params: NotifyParams | CoinJobSource,
    difficulty: number,
    extranonce: ExtranonceAssignment,
    createdAt = Date.now(),
    versionMask?: number,
  ) {
    this.difficulty = difficulty;
    this.clean = params.cleanJobs;
    this.extranonce1 = extranonce.extranonce1;
    this.target = targetFromDifficulty(difficulty, coin.diff1Target);
    this.counter = new Extranonce2Counter(extranonce.extranonce2Size, extranonce.extranonce2Start ?? 0n);
    if ('job' in params) {
      const { work } = params.job;
      if (work.dialect === 'ethstratum') {
        throw new LodeError('protocol', `job ${params.job.id} carries ethash work, which has no 80-byte header to scan`);
      }
      this.jobId = params.job.id;
      this.ntime = work.ntime;
      this.jobVersion = work.version >>> 0;
      this.job = params.job;
      this.setVersionMask(versionMask);
      return;
    }
    this.jobId = params.jobId;
    this.ntime = params.ntime;
    this.jobVersion = params.version >>> 0;
    // Only the work fields matter to the header; height, prevHash and the network target are the pool's business.
    const job: CoinJob = {
      id: params.jobId,
      coin: coin.id,
      height: 0,
      prevHash: '',
      networkTarget: 0n,
      ntimeMin: params.ntime,
      ntimeMax: params.ntime,
      createdAt,
      work: {
        dialect: 'bitcoin',
        prevhash: params.prevhash,
        coinb1: params.coinb1,
        coinb2: params.coinb2,
        merkleBranches: params.merkleBranches,
        version: params.version,
        nbits: params.nbits,
        ntime: params.ntime,
      },
    };
    this.job = job;
    this.setVersionMask(versionMask);
  }

  /** The BIP 310 version mask headers are rolled within; undefined when not rolling. */
  get versionMask(): number | undefined {
    return this.mask;
  }

  /**
   * Rolls within a new version mask from the next chunk on (BIP 310:
   * `mining.set_version_mask` is valid immediately). The current header is
   * abandoned; the next one takes the next extranonce2 and the new mask's
   * first value. The same mask again changes nothing.
   *
   * @param mask uint32; undefined stops rolling
   * @returns whether the mask changed
   * @throws LodeError('protocol') when the mask is not a uint32
   */
  setVersionMask(mask: number | undefined): boolean {
    if (mask === this.mask) return false;
    this.versionCounter = mask === undefined ? undefined : new VersionBitsCounter(mask);
    this.mask = mask;
    this.versionsLeft = 0;
    if (this.started) this.nextNonce = NONCE_RANGE;
    return true;
  }

  /**
   * The next chunk: continues the current nonce range, or starts a new
   * extranonce2 (a new header) when the range is used up.
   *
   * @param size chooses the chunk's nonce count given the nonces left in the range (see chunkSize)
   */
  nextChunk(size: (remaining: number) => number): ScanChunk {
    if (this.nextNonce >= NONCE_RANGE) this.startRange();
    const remaining = NONCE_RANGE - this.nextNonce;
    const count = Math.max(1, Math.min(Math.floor(size(remaining)), remaining));
    const chunk: ScanChunk = {
      header: Buffer.from(this.header),
      startNonce: this.nextNonce,
      count,
      extranonce2: this.extranonce2,
      version: this.version,
    };
    if (this.versionBits !== undefined) {
      chunk.versionBits = this.versionBits;
      chunk.versionMask = this.mask;
    }
    this.nextNonce += count;
    return chunk;
  }

  /** The submission a hit of `chunk` makes, as the coin plugin reads it. */
  share(chunk: ScanChunk, nonce: number): ShareSubmission {
    return this.shareFor(chunk.extranonce2, nonce, chunk.versionBits, chunk.versionMask);
  }

  private shareFor(extranonce2: Buffer, nonce: number, versionBits?: number, versionMask?: number): ShareSubmission {
    const share: ShareSubmission = { jobId: this.jobId, extranonce1: this.extranonce1, extranonce2, ntime: this.ntime, nonce };
    if (versionBits !== undefined && versionMask !== undefined) {
      share.versionBits = versionBits;
      share.versionMask = versionMask;
    }
    return share;
  }

  private startRange(): void {
    if (this.versionsLeft === 0) {
      this.extranonce2 = this.counter.next();
      this.versionsLeft = this.versionCounter?.cycleLength ?? 1;
    }
    this.versionsLeft--;
    this.versionBits = this.versionCounter?.next();
    this.version = rolledVersion(this.jobVersion, this.versionBits, this.mask);
    this.header = this.coin.buildHeader(this.job, this.shareFor(this.extranonce2, 0, this.versionBits, this.mask));
    this.nextNonce = 0;
    this.started = true;
  }
}

/**
 * The block version a header has: the job's, or with version rolling
 * `(jobVersion & ~mask) | (versionBits & mask)`, uint32.
 *
 * @see specs/002_b8c80480aecfabab.txt (BIP 310) "Changes in request mining.submit"; facts/bitcoin-stratum.md rule 7
 */
export function rolledVersion(jobVersion: number, versionBits: number | undefined, mask: number | undefined): number {
  if (versionBits === undefined || mask === undefined) return jobVersion >>> 0;
  return ((jobVersion & ~mask) | (versionBits & mask)) >>> 0;
}

/**
 * The version bits a hit is submitted with under the connection's current
 * mask, or null when no submit can describe its header any more.
 *
 * The pool rebuilds nVersion as `(job_version & ~mask) | (bits & mask)` with
 * the mask in force when the submit arrives (BIP 310: set_version_mask
 * applies at once). A header found under an older mask is still submittable
 * when that formula gives its version back: bits = version & mask (for the
 * usual job version without bits in either mask, the bits it was rolled
 * with). When bits outside the new mask were rolled, it is not (the brief's
 * `bits & ~newMask != 0`), and the hit counts as stale.
 *
 * @param jobVersion the job's version from `mining.notify`, uint32
 * @param headerVersion the nVersion the hit's header was hashed with (ScanChunk.version)
 * @param mask the connection's current mask; undefined when version rolling was not negotiated
 * @returns bits for the 6th submit parameter (uint32), undefined for a 5-parameter submit, or null
 */
export function submitVersionBits(jobVersion: number, headerVersion: number, mask: number | undefined): number | undefined | null {
  if (mask === undefined) return headerVersion >>> 0 === jobVersion >>> 0 ? undefined : null;
  const bits = (headerVersion & mask) >>> 0;
  return rolledVersion(jobVersion, bits, mask) === headerVersion >>> 0 ? bits : null;
}
