import { LodeError } from '@lode/stratum-core';
import { ReplaySubject, Subject } from 'rxjs';
import type { UpstreamJob, UpstreamLink, UpstreamShare, UpstreamVerdict } from '../core/upstream-link';

/** What a {@link FakeLink} starts with. */
export interface FakeLinkOptions {
  name?: string;
  dialect?: UpstreamLink['dialect'];
  extranonce1?: Buffer;
  extranonce2Size?: number;
  versionMask?: number;
  /** the answer to every submit (default accepted) */
  verdict?: UpstreamVerdict;
}

/**
 * An in-memory {@link UpstreamLink} for unit specs: jobs, masks and
 * extranonce changes are pushed by the spec; submits are recorded and
 * answered with `verdict`.
 */
export class FakeLink implements UpstreamLink {
  readonly name: string;
  readonly dialect: UpstreamLink['dialect'];
  readonly submits: UpstreamShare[] = [];
  readonly authorized: string[] = [];
  verdict: UpstreamVerdict;
  closedWith: string | undefined;
  versionMask: number | undefined;
  private en1: Buffer;
  private en2: number;
  private readonly jobsSubject = new ReplaySubject<UpstreamJob>(1);
  private readonly maskSubject = new Subject<number>();
  private readonly extranonceSubject = new Subject<{ extranonce1: Buffer; extranonce2Size: number }>();
  private readonly closedSubject = new ReplaySubject<string>(1);
  readonly jobs$ = this.jobsSubject.asObservable();
  readonly versionMask$ = this.maskSubject.asObservable();
  readonly extranonce$ = this.extranonceSubject.asObservable();
  readonly closed$ = this.closedSubject.asObservable();

  constructor(options: FakeLinkOptions = {}) {
    this.name = options.name ?? 'fake';
    this.dialect = options.dialect ?? 'bitcoin';
    this.en1 = options.extranonce1 ?? Buffer.from('a0000001', 'hex');
    this.en2 = options.extranonce2Size ?? 8;
    this.versionMask = options.versionMask;
    this.verdict = options.verdict ?? { accepted: true };
  }

  get extranonce1(): Buffer {
    return Buffer.from(this.en1);
  }

  get extranonce2Size(): number {
    return this.en2;
  }

  /** emits a job (replayed to later subscribers) */
  job(job: UpstreamJob): void {
    this.jobsSubject.next(job);
  }

  /** the upstream's set_extranonce */
  setExtranonce(extranonce1: Buffer, extranonce2Size: number): void {
    this.en1 = Buffer.from(extranonce1);
    this.en2 = extranonce2Size;
    this.extranonceSubject.next({ extranonce1: Buffer.from(extranonce1), extranonce2Size });
  }

  /** the upstream's set_version_mask */
  setVersionMask(mask: number): void {
    this.versionMask = mask;
    this.maskSubject.next(mask);
  }

  async submit(share: UpstreamShare): Promise<UpstreamVerdict> {
    if (this.closedWith !== undefined) throw new LodeError('connection', `fake link closed: ${this.closedWith}`);
    this.submits.push(share);
    return this.verdict;
  }

  async authorizeWorker(workerName: string): Promise<boolean> {
    this.authorized.push(workerName);
    return true;
  }

  close(reason: string): void {
    if (this.closedWith !== undefined) return;
    this.closedWith = reason;
    this.closedSubject.next(reason);
    this.closedSubject.complete();
  }
}

/** A Stratum v1 upstream job with hand-picked fields. */
export function bitcoinUpstreamJob(jobId: string, overrides: Partial<UpstreamJob> = {}, prevhash = '11'.repeat(32)): UpstreamJob {
  return {
    jobId,
    work: {
      dialect: 'bitcoin',
      prevhash,
      coinb1: '01000000',
      coinb2: 'ffffffff',
      merkleBranches: [],
      version: 0x20000000,
      nbits: 0x1d00ffff,
      ntime: 1_700_000_000,
    },
    clean: true,
    // difficulty 1 of bitcoin: 0xffff * 2^208
    target: 0xffffn << 208n,
    ...overrides,
  };
}
