import { ReplaySubject, type Observable } from 'rxjs';
import {
  LodeError,
  type BlockSubmitResult,
  type CoinNode,
  type CoinTemplate,
  type LodeLogger,
} from '@lode/plugin-api';
import { EthRpcClient, type EthRpcOptions } from '../rpc/eth-rpc-client';
import { toCoinTemplate } from './to-coin-template';

/** How EthereumNode talks to the node and how often. All durations in ms. */
export interface EthereumNodeOptions extends EthRpcOptions {
  /** eth_getWork poll period (500; open-ethereum-pool polls every 120 ms) */
  pollIntervalMs?: number;
  /** eth_getWork attempts start() makes before it gives up (3) */
  startAttempts?: number;
  /** first retry delay after a failure, doubled per failure (500) */
  retryDelayMs?: number;
  /** cap of the retry delay (5000) */
  maxRetryDelayMs?: number;
}

/** What EthereumCoinPlugin.buildBlock writes and submitBlock reads: the eth_submitWork parameters. */
const SUBMIT_PARAMS = /^0x[0-9a-f]{16}$|^0x[0-9a-f]{64}$/;

type State = 'idle' | 'starting' | 'running' | 'stopped';

/**
 * The Ethereum-family CoinNode: `eth_getWork` polled into templates,
 * `eth_submitWork` for blocks.
 *
 * After start(), `templates$` replays the current template to each new
 * subscriber and emits a new one whenever the node's header hash changes
 * (a new block, or new transactions in the pending one). The height is
 * eth_getWork[3] when the node sends it (geth, core-geth), else
 * `eth_blockNumber` + 1. See toCoinTemplate for `prevHash`.
 *
 * Node failures never end the stream: they are logged once per streak
 * (warn; later ones at debug) and retried with exponential backoff. stop()
 * aborts the call in flight, ends the timer and completes `templates$`. A
 * node is started once.
 *
 * @see facts/ethash.md §1.1, §5.1 (open-ethereum-pool), §5.3 (core-geth's remote sealer)
 */
export class EthereumNode implements CoinNode {
  readonly templates$: Observable<CoinTemplate>;
  private readonly subject = new ReplaySubject<CoinTemplate>(1);
  private readonly rpc: EthRpcClient;
  private readonly abort = new AbortController();
  private readonly wakers = new Set<() => void>();
  private state: State = 'idle';
  private loop?: Promise<void>;
  private lastHeaderHash?: string;

  private readonly pollIntervalMs: number;
  private readonly startAttempts: number;
  private readonly retryDelayMs: number;
  private readonly maxRetryDelayMs: number;

  /**
   * @param options the node's URL and the timings
   * @param logger receives failures and recoveries
   * @param rpc a client to use instead of one built from `options` (tests)
   * @throws LodeError('config') for a URL that is not http(s)
   */
  constructor(
    options: EthereumNodeOptions,
    private readonly logger: LodeLogger,
    rpc?: EthRpcClient,
  ) {
    this.rpc = rpc ?? new EthRpcClient(options);
    this.templates$ = this.subject.asObservable();
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.startAttempts = Math.max(1, options.startAttempts ?? 3);
    this.retryDelayMs = options.retryDelayMs ?? 500;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 5000;
  }

  /** the node's URL, without credentials */
  get url(): string {
    return this.rpc.url;
  }

  /**
   * Fetches the first work (emitted on templates$), then polls.
   *
   * @throws the last LodeError('node') when `startAttempts` calls all failed
   *   (unreachable, "no mining work available yet" while syncing, ...); the
   *   node is then stopped
   * @throws LodeError('node') when called twice
   */
  async start(): Promise<void> {
    if (this.state !== 'idle') {
      throw new LodeError('node', `EthereumNode for ${this.rpc.url} is ${this.state}; a node starts once`);
    }
    this.state = 'starting';
    let lastError: unknown;
    let started = false;
    for (let attempt = 1; attempt <= this.startAttempts && this.state === 'starting'; attempt++) {
      try {
        await this.refresh();
        started = true;
        break;
      } catch (error) {
        lastError = error;
        this.logger.debug({ attempt, err: messageOf(error) }, 'eth_getWork failed during start');
        if (attempt < this.startAttempts) await this.sleep(this.backoff(attempt));
      }
    }
    if (this.state !== 'starting') {
      throw new LodeError('node', `EthereumNode for ${this.rpc.url} was stopped while starting`);
    }
    if (!started) {
      await this.stop();
      throw lastError;
    }
    this.state = 'running';
    this.loop = this.pollLoop();
  }

  /** Ends polling, aborts the call in flight, completes templates$. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.abort.abort();
    await this.loop;
    this.loop = undefined;
    this.subject.complete();
  }

  /**
   * Submits a solution with `eth_submitWork`. An accepted one wakes the poll,
   * so the next template follows at once.
   *
   * @param block what EthereumCoinPlugin.buildBlock returned: the JSON array
   *   ["0x" + nonce (16 hex), "0x" + header hash (64), "0x" + mix digest (64)]
   * @returns `hash` = the header (seal) hash, 64 hex (eth_getWork has no block
   *   hash); refused with "node answered false (stale or invalid work)" when the
   *   node says false, or with the node's message for a JSON-RPC error
   * @throws LodeError('plugin') for a malformed parameter array;
   *   LodeError('node') when the node could not be reached or answered nonsense
   *   (the solution may be worth resubmitting)
   * @see facts/ethash.md §5.3: the node takes work up to 7 blocks old
   */
  async submitBlock(block: string): Promise<BlockSubmitResult> {
    const [nonce, headerHash, mix] = parseSubmitParams(block);
    const hash = headerHash.toString('hex');
    let accepted: boolean;
    try {
      accepted = await this.rpc.submitWork(nonce, headerHash, mix);
    } catch (error) {
      if (LodeError.is(error, 'node') && error.code !== undefined) {
        return { accepted: false, hash, reason: error.message };
      }
      throw error;
    }
    if (!accepted) {
      this.logger.debug({ hash }, 'the node refused the block');
      return { accepted: false, hash, reason: 'node answered false (stale or invalid work)' };
    }
    this.logger.debug({ hash }, 'the node accepted the block');
    this.wake();
    return { accepted: true, hash };
  }

  /**
   * Reports a hashrate with `eth_submitHashrate` (EthRpcClient.submitHashrate).
   *
   * @param hashrate H/s, in [0, 2^64)
   * @param id the reporter's 32-byte id
   */
  submitHashrate(hashrate: bigint, id: Buffer): Promise<boolean> {
    return this.rpc.submitHashrate(hashrate, id, { signal: this.abort.signal });
  }

  private async pollLoop(): Promise<void> {
    let failures = 0;
    while (this.state === 'running') {
      await this.sleep(failures > 0 ? this.backoff(failures) : this.pollIntervalMs, true);
      if (this.state !== 'running') break;
      try {
        await this.refresh();
        if (failures > 0) this.logger.info({ url: this.rpc.url, failures }, 'the eth node answers eth_getWork again');
        failures = 0;
      } catch (error) {
        if (this.state !== 'running') break;
        if (failures === 0) {
          this.logger.warn(
            { url: this.rpc.url, err: messageOf(error) },
            'eth_getWork failed; retrying with backoff (further failures in this streak are logged at debug)',
          );
        } else {
          this.logger.debug({ failures: failures + 1, err: messageOf(error) }, 'eth_getWork failed again');
        }
        failures++;
      }
    }
  }

  /** One poll: eth_getWork, and a template on templates$ when the header hash is new. */
  private async refresh(): Promise<void> {
    const signal = this.abort.signal;
    const work = await this.rpc.getWork({ signal });
    if (work.headerHash === this.lastHeaderHash) return;
    // a node that sends 3 elements: the work is for the block after its head
    const height = work.height ?? (await this.rpc.blockNumber({ signal })) + 1;
    if (this.state === 'stopped') return;
    this.lastHeaderHash = work.headerHash;
    this.subject.next(toCoinTemplate(work, height));
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

/** Reads the eth_submitWork parameter array buildBlock wrote. */
function parseSubmitParams(block: string): [bigint, Buffer, Buffer] {
  let params: unknown;
  try {
    params = JSON.parse(block);
  } catch (cause) {
    throw new LodeError('plugin', `the block to submit is not JSON: ${block.slice(0, 80)}`, { cause });
  }
  if (
    !Array.isArray(params) ||
    params.length !== 3 ||
    !params.every((p) => typeof p === 'string' && SUBMIT_PARAMS.test(p)) ||
    (params[0] as string).length !== 18 ||
    (params[1] as string).length !== 66 ||
    (params[2] as string).length !== 66
  ) {
    throw new LodeError(
      'plugin',
      `the block to submit must be ["0x" + 16 hex nonce, "0x" + 64 hex header hash, "0x" + 64 hex mix digest] (lower case), got ${block.slice(0, 200)}`,
    );
  }
  const [nonce, header, mix] = params as [string, string, string];
  return [BigInt(nonce), Buffer.from(header.slice(2), 'hex'), Buffer.from(mix.slice(2), 'hex')];
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
