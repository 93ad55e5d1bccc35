import type { NotifyParams } from '@lode/dialect-bitcoin';
import { targetFromDifficulty } from '@lode/mining';
import type { CoinJob, CoinPlugin, ShareSubmission } from '@lode/plugin-api';
import { Extranonce2Counter } from './extranonce2-counter';

/** Nonces in one header's range: the nonce is a uint32. */
export const NONCE_RANGE = 2 ** 32;

/** The extranonce a job is mined with: extranonce1 from the pool, the size of ours. */
export interface ExtranonceAssignment {
  /** raw bytes, as hex-decoded from the subscribe result or `mining.set_extranonce` */
  extranonce1: Buffer;
  /** bytes of extranonce2 the pool expects in `mining.submit` */
  extranonce2Size: number;
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
}

/**
 * One `mining.notify` job as the miner scans it: the job bound to its own
 * share target and to the extranonce in effect when it arrived (DESIGN.md
 * "Difficulty belongs to the job"), walked as header after header: for each
 * extranonce2 (a big-endian counter from 0) the whole 2^32 nonce range, in
 * chunks of the caller's size. ntime stays the job's (no ntime rolling).
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
  private readonly counter: Extranonce2Counter;
  private extranonce2: Buffer = Buffer.alloc(0);
  private header: Buffer = Buffer.alloc(0);
  // Starts at the end of an (empty) range so that the first chunk builds the first header.
  private nextNonce = NONCE_RANGE;

  /**
   * @param coin the plugin that builds headers and knows the difficulty-1 target
   * @param params the notify's fields, as the Bitcoin client session decoded them
   * @param difficulty the share difficulty bound to this job
   * @param extranonce the extranonce in effect for this job
   * @throws LodeError('protocol') when the difficulty is not a finite number > 0 or the extranonce2 size is out of range
   */
  constructor(
    private readonly coin: CoinPlugin,
    params: NotifyParams,
    difficulty: number,
    extranonce: ExtranonceAssignment,
    createdAt = Date.now(),
  ) {
    this.jobId = params.jobId;
    this.difficulty = difficulty;
    this.ntime = params.ntime;
    this.clean = params.cleanJobs;
    this.extranonce1 = extranonce.extranonce1;
    this.target = targetFromDifficulty(difficulty, coin.diff1Target);
    this.counter = new Extranonce2Counter(extranonce.extranonce2Size);
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
    };
    this.nextNonce += count;
    return chunk;
  }

  /** The submission a hit of `chunk` makes, as the coin plugin reads it. */
  share(chunk: ScanChunk, nonce: number): ShareSubmission {
    return this.shareFor(chunk.extranonce2, nonce);
  }

  private shareFor(extranonce2: Buffer, nonce: number): ShareSubmission {
    return { jobId: this.jobId, extranonce1: this.extranonce1, extranonce2, ntime: this.ntime, nonce };
  }

  private startRange(): void {
    this.extranonce2 = this.counter.next();
    this.header = this.coin.buildHeader(this.job, this.shareFor(this.extranonce2, 0));
    this.nextNonce = 0;
  }
}
