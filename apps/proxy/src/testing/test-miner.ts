import { BitcoinClientSession } from '@lode/dialect-bitcoin';
import type { ClientJob, ReconnectRequest } from '@lode/dialect-bitcoin';
import { hashToBigInt, targetFromDifficulty } from '@lode/mining';
import type { CoinJob, CoinPlugin } from '@lode/plugin-api';
import { classicCodec, connectStratum, LodeError, RpcPeer } from '@lode/stratum-core';

/** How a {@link TestMiner} connects. */
export interface TestMinerOptions {
  plugin: CoinPlugin;
  /** worker name */
  user: string;
  /** negotiate BIP 310 version rolling (asks mask ffffffff) and roll bit 13 on every other scan */
  versionRolling?: boolean;
  /** send mining.extranonce.subscribe (the proxy then moves it with set_extranonce) */
  extranonceSubscribe?: boolean;
}

/** One share the miner found and submitted, with the proxy's answer. */
export interface MinedShare {
  jobId: string;
  /** the miner's extranonce1 and extranonce2 as used, hex */
  extranonce1: string;
  extranonce2: string;
  ntime: number;
  nonce: number;
  versionBits?: number;
  /** the header hash read as a number (what a target compares with) */
  hashValue: bigint;
  accepted: boolean;
  /** the proxy's error when refused */
  error?: string;
}

/**
 * A real Stratum v1 miner for the proxy's specs: BitcoinClientSession over
 * connectStratum, scanning headers of the job it holds with the coin's
 * native hasher (plugin.hasher.scan) at the job's own difficulty, and
 * submitting every hit.
 */
export class TestMiner {
  readonly jobs: ClientJob[] = [];
  readonly reconnects: ReconnectRequest[] = [];
  readonly extranonceUpdates: { extranonce1: string; extranonce2Size: number }[] = [];
  readonly versionMasks: number[] = [];
  private en2Counter = 0;
  private closedReason: string | undefined;
  private waiters: Array<() => void> = [];

  private constructor(
    readonly client: BitcoinClientSession,
    private readonly options: TestMinerOptions,
  ) {
    client.jobs$.subscribe((job) => {
      this.jobs.push(job);
      this.wake();
    });
    client.reconnect$.subscribe((r) => {
      this.reconnects.push(r);
      this.wake();
    });
    client.extranonce$.subscribe((u) => {
      this.extranonceUpdates.push({ extranonce1: u.extranonce1.toString('hex'), extranonce2Size: u.extranonce2Size });
      this.wake();
    });
    client.versionMask$.subscribe((mask) => this.versionMasks.push(mask));
    client.closed$.subscribe((info) => {
      this.closedReason = info.reason;
      this.wake();
    });
  }

  /** Connects, (configures,) subscribes, (extranonce-subscribes,) authorizes. */
  static async connect(url: string, options: TestMinerOptions): Promise<TestMiner> {
    const conn = await connectStratum(url, { connectTimeoutMs: 5000 });
    const client = new BitcoinClientSession(new RpcPeer(conn, classicCodec), { userAgent: 'lode-test-miner/1', optionalAnswerTimeoutMs: 5000 });
    const miner = new TestMiner(client, options);
    if (options.versionRolling === true) await client.configure({ versionRolling: { mask: 0xffffffff } });
    await client.subscribe();
    if (options.extranonceSubscribe === true && !(await client.extranonceSubscribe())) {
      throw new Error('the proxy refused mining.extranonce.subscribe');
    }
    if (!(await client.authorize(options.user, 'x'))) throw new Error(`worker ${options.user} refused`);
    return miner;
  }

  /** the extranonce1 in force, hex */
  get extranonce1(): string {
    return this.subscription.extranonce1.toString('hex');
  }

  get extranonce2Size(): number {
    return this.subscription.extranonce2Size;
  }

  /** the reason the connection closed, undefined while open */
  get closed(): string | undefined {
    return this.closedReason;
  }

  /** the newest job */
  get job(): ClientJob {
    const job = this.jobs.at(-1);
    if (job === undefined) throw new Error('no job yet');
    return job;
  }

  /** Resolves once `predicate` holds (checked on every job, reconnect, extranonce or close). */
  async until(predicate: () => boolean, what: string): Promise<void> {
    while (!predicate()) {
      if (this.closedReason !== undefined && !predicate()) throw new Error(`miner closed (${this.closedReason}) while waiting for ${what}`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /**
   * Scans fresh extranonce2 values of the newest job until `count` shares
   * at its difficulty are found (or `stop` says enough), submitting each.
   *
   * @param stop checked after each share; true ends the search early
   */
  async mine(count: number, stop: (shares: MinedShare[]) => boolean = () => false): Promise<MinedShare[]> {
    const { plugin } = this.options;
    const found: MinedShare[] = [];
    for (let round = 0; round < 4096 && found.length < count; round++) {
      const job = this.job;
      const target = targetFromDifficulty(job.difficulty, plugin.diff1Target);
      const extranonce1 = this.subscription.extranonce1;
      const extranonce2 = Buffer.alloc(this.extranonce2Size);
      const bytes = Math.min(4, extranonce2.length);
      if (bytes > 0) extranonce2.writeUIntBE(++this.en2Counter % 2 ** (8 * bytes), extranonce2.length - bytes, bytes);
      const mask = this.client.versionMask;
      const versionBits = mask !== undefined && (mask & 0x2000) !== 0 && round % 2 === 1 ? 0x2000 : undefined;
      const coinJob = { id: job.params.jobId, coin: plugin.id, height: 0, prevHash: '', networkTarget: 0n, ntimeMin: 0, ntimeMax: 0, work: { dialect: 'bitcoin', ...job.params }, createdAt: 0 } as unknown as CoinJob;
      const share = {
        jobId: job.params.jobId,
        extranonce1,
        extranonce2,
        ntime: job.params.ntime,
        nonce: 0,
        ...(versionBits === undefined ? {} : { versionBits, versionMask: mask }),
      };
      const header = plugin.buildHeader(coinJob, share);
      const scan = await plugin.hasher.scan({ header, startNonce: 0, count: 1 << 16, target, threads: 1 });
      for (const hit of scan.hits) {
        const mined: MinedShare = {
          jobId: job.params.jobId,
          extranonce1: extranonce1.toString('hex'),
          extranonce2: extranonce2.toString('hex'),
          ntime: job.params.ntime,
          nonce: hit.nonce,
          ...(versionBits === undefined ? {} : { versionBits }),
          hashValue: hashToBigInt(hit.hash),
          accepted: false,
        };
        try {
          await this.client.submit({
            workerName: this.options.user,
            jobId: mined.jobId,
            extranonce2,
            ntime: mined.ntime,
            nonce: mined.nonce,
            ...(versionBits === undefined ? {} : { versionBits }),
          });
          mined.accepted = true;
        } catch (error) {
          if (!LodeError.is(error, 'share')) throw error;
          mined.error = error.message;
        }
        found.push(mined);
        if (found.length >= count || stop(found)) return found;
      }
    }
    return found;
  }

  close(): void {
    this.client.close('test miner done');
  }

  private get subscription(): { extranonce1: Buffer; extranonce2Size: number } {
    const sub = this.client.subscription;
    if (sub === undefined) throw new Error('not subscribed');
    return sub;
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}
