import type {
  BlockSubmitResult,
  CoinJob,
  CoinNode,
  CoinPlugin,
  CoinShareRejection,
  CoinTemplate,
  JobContext,
  NativeHasher,
  ScanResult,
  ShareSubmission,
} from '@lode/plugin-api';
import { silentLogger } from '@lode/stratum-core';
import type { LodeLogger } from '@lode/stratum-core';
import { Subject } from 'rxjs';

/**
 * Test scaffolding: a tiny deterministic coin whose hash is chosen by the
 * nonce, so that difficulty outcomes are exact.
 *
 * diff1Target = 2^224. The fake hasher reads the nonce N from header bytes
 * 76..80 and returns floor(2^224 / N) (little-endian), 2^256 - 1 for N = 0.
 * Since targetFromDifficulty(D) = floor(2^224 / D), a share with nonce N
 * meets difficulty D exactly when N >= D (integers): nonce N "is" a share of
 * difficulty N.
 */
export const FAKE_DIFF1 = 1n << 224n;

/** The network target of a template whose network difficulty is `difficulty` (integer). */
export function fakeNetworkTarget(difficulty: number): bigint {
  return FAKE_DIFF1 / BigInt(difficulty);
}

/** A template of the fake coin. `time` is the template's ntime (uint32 seconds). */
export function fakeTemplate(height: number, prevHash: string, networkDifficulty = 1_000_000, time = 1_700_000_000): CoinTemplate {
  return { height, prevHash, networkTarget: fakeNetworkTarget(networkDifficulty), raw: { time } };
}

/** The hash value the fake hasher gives nonce `n`. */
export function fakeHashValue(nonce: number): bigint {
  return nonce === 0 ? (1n << 256n) - 1n : FAKE_DIFF1 / BigInt(nonce);
}

class FakeHasher implements NativeHasher {
  readonly implementation = 'fake';
  calls = 0;

  hash(header: Buffer): Buffer {
    this.calls++;
    const value = fakeHashValue(header.readUInt32LE(76));
    const out = Buffer.alloc(32);
    let rest = value;
    for (let i = 0; i < 32; i++) {
      out[i] = Number(rest & 0xffn);
      rest >>= 8n;
    }
    return out;
  }

  async scan(): Promise<ScanResult> {
    return { hits: [], hashes: 0 };
  }
}

/** The fake coin plugin; counts its calls. */
export class FakeCoinPlugin implements CoinPlugin {
  readonly id = 'fake';
  readonly name = 'Fake';
  readonly algorithm = 'nonce-chosen';
  readonly dialects = ['bitcoin'] as const;
  readonly diff1Target = FAKE_DIFF1;
  readonly hasher = new FakeHasher();
  readonly configSchema = {};
  readonly builtBlocks: { jobId: string; nonce: number }[] = [];
  /** every share checkShare was asked about, in order */
  readonly checkedShares: ShareSubmission[] = [];
  /** every share buildHeader was asked to build, in order */
  readonly builtHeaders: ShareSubmission[] = [];
  /** set to make createJob throw */
  failCreateJob = false;
  /** set by a test to exercise the asynchronous PoW path (CoinPlugin.hashShare) */
  hashShare?: CoinPlugin['hashShare'];
  /** set by a test together with hashShare (CoinPlugin.hashValue) */
  hashValue?: CoinPlugin['hashValue'];

  createNode(_config: Record<string, unknown>, _logger: LodeLogger): CoinNode {
    return new FakeNode();
  }

  createJob(template: CoinTemplate, context: JobContext): CoinJob {
    if (this.failCreateJob) throw new Error('fake createJob failure');
    const time = (template.raw as { time: number }).time;
    return {
      id: context.jobId,
      coin: this.id,
      height: template.height,
      prevHash: template.prevHash,
      networkTarget: template.networkTarget,
      ntimeMin: time,
      ntimeMax: time + 7200,
      work: {
        dialect: 'bitcoin',
        prevhash: template.prevHash,
        coinb1: '',
        coinb2: '',
        merkleBranches: [],
        version: 0x20000000,
        nbits: 0x1d00ffff,
        ntime: time,
      },
      createdAt: 0,
    };
  }

  checkShare(job: CoinJob, share: ShareSubmission): CoinShareRejection | undefined {
    this.checkedShares.push(share);
    if (share.extranonce2.length !== 4) {
      return { reason: 'bad-extranonce2', message: `extranonce2 is ${share.extranonce2.length} bytes, the job expects 4` };
    }
    if (share.ntime < job.ntimeMin || share.ntime > job.ntimeMax) {
      return { reason: 'bad-ntime', message: `ntime ${share.ntime} is outside [${job.ntimeMin}, ${job.ntimeMax}]` };
    }
    if (share.versionBits !== undefined && (share.versionBits & ~(share.versionMask ?? 0)) !== 0) {
      return { reason: 'bad-version', message: `version bits ${share.versionBits.toString(16)} outside the mask` };
    }
    return undefined;
  }

  buildHeader(job: CoinJob, share: ShareSubmission): Buffer {
    this.builtHeaders.push(share);
    const header = Buffer.alloc(80);
    const version = job.work.dialect === 'bitcoin' ? job.work.version : 0;
    header.writeUInt32LE((version | (share.versionBits ?? 0)) >>> 0, 0);
    header.writeUInt32LE(share.ntime, 68);
    header.writeUInt32LE(share.nonce >>> 0, 76);
    return header;
  }

  buildBlock(job: CoinJob, share: ShareSubmission, header: Buffer, _seal?: Buffer): string {
    this.builtBlocks.push({ jobId: job.id, nonce: share.nonce });
    return `${header.toString('hex')}00`;
  }

  displayHash(hash: Buffer): string {
    return Buffer.from(hash).reverse().toString('hex');
  }
}

/** A deferred promise, settled by the test. */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

/** Makes a {@link Deferred}. */
export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A fake node driven by a Subject: the test pushes templates. */
export class FakeNode implements CoinNode {
  readonly templatesSubject = new Subject<CoinTemplate>();
  readonly templates$ = this.templatesSubject.asObservable();
  readonly submitted: string[] = [];
  started = 0;
  stopped = 0;
  /** the answer submitBlock gives; a test may replace it with a deferred promise */
  nextSubmit: () => Promise<BlockSubmitResult> = async () => ({ accepted: true, hash: '' });

  constructor(private readonly logger: LodeLogger = silentLogger) {}

  async start(): Promise<void> {
    this.started++;
    this.logger.debug({}, 'fake node started');
  }

  async stop(): Promise<void> {
    this.stopped++;
  }

  push(template: CoinTemplate): void {
    this.templatesSubject.next(template);
  }

  submitBlock(blockHex: string): Promise<BlockSubmitResult> {
    this.submitted.push(blockHex);
    return this.nextSubmit();
  }
}

/** Resolves after every pending immediate and microtask (an ordering point, not a timer). */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
