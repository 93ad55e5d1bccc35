import { ReplaySubject, type Observable } from 'rxjs';
import {
  LodeError,
  type BlockSubmitResult,
  type CoinNode,
  type CoinTemplate,
  type LodeLogger,
} from '@lode/plugin-api';
import { decodeHex } from '../encoding/hex';
import { sha256d } from '../hash/sha256d';
import { displayHash } from '../header/display-hash';
import { parseBlockTemplate, type BitcoinBlockTemplate } from '../rpc/block-template';
import { BitcoindRpcClient, type BitcoindRpcOptions } from '../rpc/bitcoind-rpc-client';
import { toCoinTemplate } from './to-coin-template';

/** How BitcoinNode talks to bitcoind and how often. All durations in ms. */
export interface BitcoinNodeOptions extends BitcoindRpcOptions {
  /** getblocktemplate poll period (1000; ckpool polls every 100 ms) */
  pollIntervalMs?: number;
  /** also run a BIP 22 long poll, so a new block arrives without waiting for the poll (true) */
  longpoll?: boolean;
  /** time limit of one long poll (600000); bitcoind answers within about a minute when transactions change */
  longpollTimeoutMs?: number;
  /** emit a template for the same previous block at most this often, so new transactions get in (30000, ckpool's update_interval) */
  refreshIntervalMs?: number;
  /** getblocktemplate attempts start() makes before it gives up (3) */
  startAttempts?: number;
  /** first retry delay after a failure, doubled per failure (500) */
  retryDelayMs?: number;
  /** cap of the retry delay (30000) */
  maxRetryDelayMs?: number;
}

type State = 'idle' | 'starting' | 'running' | 'stopped';

/**
 * The Bitcoin CoinNode: bitcoind templates as a stream, blocks submitted as
 * promises.
 *
 * After start(), `templates$` replays the current template to each new
 * subscriber and emits a new one when the previous block changes (found by
 * the poll every `pollIntervalMs` or at once by the long poll), or when
 * `refreshIntervalMs` has passed and bitcoind's `longpollid` says the
 * mempool changed. A template for a lower height than the last one emitted
 * (a slow poll overtaken by the long poll) is dropped.
 *
 * Node failures never end the stream: they are logged once per streak (warn;
 * later ones at debug) and retried with exponential backoff. stop() aborts
 * in-flight calls, waits for both loops and completes `templates$`. A node is
 * started once.
 */
export class BitcoinNode implements CoinNode {
  readonly templates$: Observable<CoinTemplate>;
  private readonly subject = new ReplaySubject<CoinTemplate>(1);
  private readonly rpc: BitcoindRpcClient;
  private readonly abort = new AbortController();
  private readonly wakers = new Set<() => void>();
  private state: State = 'idle';
  private loops: Promise<void>[] = [];
  private last?: { height: number; prevHash: string; longpollid?: string; at: number };
  private longpollId?: string;

  private readonly pollIntervalMs: number;
  private readonly longpoll: boolean;
  private readonly longpollTimeoutMs: number;
  private readonly refreshIntervalMs: number;
  private readonly startAttempts: number;
  private readonly retryDelayMs: number;
  private readonly maxRetryDelayMs: number;

  /**
   * @param options bitcoind address, credentials and timings
   * @param logger receives failures and recoveries
   * @param rpc a client to use instead of one built from `options` (tests)
   */
  constructor(
    options: BitcoinNodeOptions,
    private readonly logger: LodeLogger,
    rpc?: BitcoindRpcClient,
  ) {
    this.rpc = rpc ?? new BitcoindRpcClient(options, logger);
    this.templates$ = this.subject.asObservable();
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.longpoll = options.longpoll ?? true;
    this.longpollTimeoutMs = options.longpollTimeoutMs ?? 600_000;
    this.refreshIntervalMs = options.refreshIntervalMs ?? 30_000;
    this.startAttempts = Math.max(1, options.startAttempts ?? 3);
    this.retryDelayMs = options.retryDelayMs ?? 500;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 30_000;
  }

  /**
   * Fetches the first template (emitted on templates$), then starts polling.
   *
   * @throws the last LodeError('node') when `startAttempts` calls all failed
   *   (unreachable, 401, initial block download, ...); the node is then stopped
   * @throws LodeError('node') when called twice
   */
  async start(): Promise<void> {
    if (this.state !== 'idle') {
      throw new LodeError('node', `BitcoinNode for ${this.rpc.url} is ${this.state}; a node starts once`);
    }
    this.state = 'starting';
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.startAttempts && this.state === 'starting'; attempt++) {
      try {
        this.accept(await this.fetch(false));
        lastError = undefined;
        break;
      } catch (error) {
        lastError = error;
        this.logger.debug({ attempt, err: messageOf(error) }, 'bitcoind getblocktemplate failed during start');
        if (attempt < this.startAttempts) await this.sleep(this.backoff(attempt));
      }
    }
    if (this.state !== 'starting') {
      throw new LodeError('node', `BitcoinNode for ${this.rpc.url} was stopped while starting`);
    }
    if (lastError !== undefined || this.last === undefined) {
      await this.stop();
      throw lastError;
    }
    this.state = 'running';
    this.loops = [this.pollLoop()];
    if (this.longpoll) this.loops.push(this.longpollLoop());
  }

  /** Ends polling, aborts in-flight calls (long polls included), completes templates$. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.abort.abort();
    await Promise.allSettled(this.loops);
    this.loops = [];
    this.subject.complete();
  }

  /**
   * Submits a block with `submitblock`; its hash is sha256d of the first 80
   * bytes. An accepted block wakes the poll, so the next template follows at once.
   *
   * @param blockHex the serialized block (BitcoinCoinPlugin.buildBlock)
   * @returns accepted, or refused with bitcoind's reason (an RPC error such as
   *   "-22 Block decode failed" is a refusal too)
   * @throws LodeError('node') when bitcoind could not be reached (the block
   *   may be worth resubmitting), LodeError('share') for hex shorter than a header
   */
  async submitBlock(blockHex: string): Promise<BlockSubmitResult> {
    const hash = displayHash(sha256d(decodeHex(blockHex.slice(0, 160), 'block header', 80, 'share')));
    let reason: string | null;
    try {
      reason = await this.rpc.submitBlock(blockHex);
    } catch (error) {
      if (LodeError.is(error, 'node') && error.code !== undefined) {
        return { accepted: false, hash, reason: error.message };
      }
      throw error;
    }
    if (reason === null) {
      this.logger.debug({ hash }, 'bitcoind accepted the block');
      this.wake();
      return { accepted: true, hash };
    }
    this.logger.debug({ hash, reason }, 'bitcoind refused the block');
    return { accepted: false, hash, reason };
  }

  private async pollLoop(): Promise<void> {
    let failures = 0;
    while (this.state === 'running') {
      await this.sleep(failures > 0 ? this.backoff(failures) : this.pollIntervalMs, true);
      if (this.state !== 'running') break;
      try {
        const template = await this.fetch(false);
        failures = this.recovered('poll', failures);
        this.accept(template);
      } catch (error) {
        if (this.state !== 'running') break;
        failures = this.failed('poll', error, failures);
      }
    }
  }

  private async longpollLoop(): Promise<void> {
    let failures = 0;
    while (this.state === 'running') {
      const sent = this.longpollId;
      if (sent === undefined) {
        // the node gave no longpollid (yet): the poll loop carries on alone
        await this.sleep(this.pollIntervalMs);
        continue;
      }
      try {
        const template = await this.fetch(true);
        failures = this.recovered('longpoll', failures);
        this.accept(template);
        // a node that answers a long poll at once with the same id would make this loop spin
        if (template.longpollid === undefined || template.longpollid === sent) await this.sleep(this.pollIntervalMs);
      } catch (error) {
        if (this.state !== 'running') break;
        failures = this.failed('longpoll', error, failures);
        await this.sleep(this.backoff(failures));
      }
    }
  }

  private async fetch(longpoll: boolean): Promise<BitcoinBlockTemplate> {
    const signal = this.abort.signal;
    const raw = longpoll
      ? await this.rpc.getBlockTemplate(
          { rules: ['segwit'], longpollid: this.longpollId },
          { signal, timeoutMs: this.longpollTimeoutMs },
        )
      : await this.rpc.getBlockTemplate({ rules: ['segwit'] }, { signal });
    return parseBlockTemplate(raw);
  }

  private accept(template: BitcoinBlockTemplate): void {
    if (template.longpollid !== undefined) this.longpollId = template.longpollid;
    const now = Date.now();
    const last = this.last;
    if (last !== undefined) {
      if (template.height < last.height) return;
      const newTip = template.previousblockhash.toLowerCase() !== last.prevHash;
      if (!newTip) {
        if (now - last.at < this.refreshIntervalMs) return;
        // bitcoind's longpollid changes with the mempool: the same id means nothing new to mine
        if (template.longpollid !== undefined && template.longpollid === last.longpollid) return;
      }
    }
    const coinTemplate = toCoinTemplate(template);
    this.last = { height: template.height, prevHash: coinTemplate.prevHash, longpollid: template.longpollid, at: now };
    this.subject.next(coinTemplate);
  }

  private failed(source: string, error: unknown, failures: number): number {
    if (failures === 0) {
      this.logger.warn(
        { source, url: this.rpc.url, err: messageOf(error) },
        'bitcoind getblocktemplate failed; retrying with backoff (further failures in this streak are logged at debug)',
      );
    } else {
      this.logger.debug({ source, failures: failures + 1, err: messageOf(error) }, 'bitcoind getblocktemplate failed again');
    }
    return failures + 1;
  }

  private recovered(source: string, failures: number): number {
    if (failures > 0) this.logger.info({ source, failures }, 'bitcoind answers getblocktemplate again');
    return 0;
  }

  private backoff(failures: number): number {
    return Math.min(this.maxRetryDelayMs, this.retryDelayMs * 2 ** Math.min(failures - 1, 20));
  }

  /** Waits `ms`, or less when stopped (or woken, when `wakeable`). */
  private sleep(ms: number, wakeable = false): Promise<void> {
    const signal = this.abort.signal;
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done);
      if (wakeable) this.wakers.add(done);
    });
  }

  private wake(): void {
    for (const waker of [...this.wakers]) waker();
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
