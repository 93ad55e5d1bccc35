import { ReplaySubject, type Observable } from 'rxjs';
import { LodeError, type BlockSubmitResult, type CoinNode, type CoinTemplate, type LodeLogger } from '@lode/plugin-api';
import { parseWarthogAddress } from '../address/parse-warthog-address';
import { sha256d } from '../hash/sha256d';
import type { WarthogAppendRequest } from '../rpc/warthog-append-request';
import type { WarthogMiningState } from '../rpc/warthog-mining-state';
import { WarthogRpcClient, type WarthogRpcOptions } from '../rpc/warthog-rpc-client';
import { toCoinTemplate } from './to-coin-template';

/** How WarthogNode talks to the node and how often. All durations in ms. */
export interface WarthogNodeOptions extends WarthogRpcOptions {
  /** `/chain/head` poll period (500; blocks come every 20 s) */
  pollIntervalMs?: number;
  /** fetch `/chain/mine` at least this often for new transactions, even on the same head (10000) */
  refreshMs?: number;
  /** attempts start() makes before it gives up (3) */
  startAttempts?: number;
  /** first retry delay after a failure, doubled per failure (500) */
  retryDelayMs?: number;
  /** cap of the retry delay (5000) */
  maxRetryDelayMs?: number;
}

type State = 'idle' | 'starting' | 'running' | 'stopped';

const HEADER_HEX = /^[0-9a-f]{160}$/;
const EVEN_HEX = /^(?:[0-9a-f]{2})+$/;

/**
 * The Warthog CoinNode: `/chain/head` polled, `/chain/mine/<payoutAddress>`
 * fetched into templates, `/chain/append` for blocks.
 *
 * After start(), `templates$` replays the current template to each new
 * subscriber. Every `pollIntervalMs` the node's head is read; when its hash
 * changed, or `refreshMs` passed since the last fetch, `/chain/mine` is
 * fetched, and a template is emitted when it differs from the last one in
 * previous block, target, version, merkle prefix or body (a refresh that only
 * moved the timestamp emits nothing). See toCoinTemplate for its fields.
 *
 * While the node says `synced: false` nothing is emitted (logged at warn once
 * per streak, at info when it is synced again): mining on an unsynced node
 * wastes the work. Node failures never end the stream: they are logged once
 * per streak (warn; later ones at debug) and retried with exponential
 * backoff. stop() aborts the call in flight, ends the timer and completes
 * `templates$`. A node is started once.
 *
 * @see facts/warthog.md §4.1-§4.3
 */
export class WarthogNode implements CoinNode {
  readonly templates$: Observable<CoinTemplate>;
  /** the account the templates pay, lower-case hex */
  readonly payoutAddress: string;
  private readonly subject = new ReplaySubject<CoinTemplate>(1);
  private readonly rpc: WarthogRpcClient;
  private readonly abort = new AbortController();
  private readonly wakers = new Set<() => void>();
  private state: State = 'idle';
  private loop?: Promise<void>;
  private lastHeadHash?: string;
  private lastFetchAt = 0;
  private lastKey?: string;
  private forceFetch = false;
  private unsynced = false;

  private readonly pollIntervalMs: number;
  private readonly refreshMs: number;
  private readonly startAttempts: number;
  private readonly retryDelayMs: number;
  private readonly maxRetryDelayMs: number;

  /**
   * @param options the node's URL and the timings
   * @param payoutAddress the 48-hex account `/chain/mine` pays (the pool's)
   * @param logger receives failures, sync state and recoveries
   * @param rpc a client to use instead of one built from `options` (tests)
   * @throws LodeError('config') for a URL that is not http(s) or a malformed address
   */
  constructor(
    options: WarthogNodeOptions,
    payoutAddress: string,
    private readonly logger: LodeLogger,
    rpc?: WarthogRpcClient,
  ) {
    this.payoutAddress = parseWarthogAddress(payoutAddress, 'payoutAddress');
    this.rpc = rpc ?? new WarthogRpcClient(options);
    this.templates$ = this.subject.asObservable();
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.refreshMs = options.refreshMs ?? 10_000;
    this.startAttempts = Math.max(1, options.startAttempts ?? 3);
    this.retryDelayMs = options.retryDelayMs ?? 500;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 5000;
  }

  /** the node's URL, without credentials */
  get url(): string {
    return this.rpc.url;
  }

  /**
   * Reads the head and the first template (emitted on templates$), then polls.
   *
   * @throws the last LodeError('node') when `startAttempts` tries all failed
   *   (unreachable, an error envelope, or a node that is not synced: "the
   *   warthog node at ... is not synced"); the node is then stopped
   * @throws LodeError('node') when called twice
   */
  async start(): Promise<void> {
    if (this.state !== 'idle') {
      throw new LodeError('node', `WarthogNode for ${this.rpc.url} is ${this.state}; a node starts once`);
    }
    this.state = 'starting';
    let lastError: unknown;
    let started = false;
    for (let attempt = 1; attempt <= this.startAttempts && this.state === 'starting'; attempt++) {
      try {
        await this.refresh(true);
        if (this.lastKey === undefined) throw this.notSynced();
        started = true;
        break;
      } catch (error) {
        lastError = error;
        this.logger.debug({ attempt, err: messageOf(error) }, 'the warthog node gave no template during start');
        if (attempt < this.startAttempts) await this.sleep(this.backoff(attempt));
      }
    }
    if (this.state !== 'starting') {
      throw new LodeError('node', `WarthogNode for ${this.rpc.url} was stopped while starting`);
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
   * Submits a block with `POST /chain/append`. An accepted one wakes the poll,
   * so the next template follows at once.
   *
   * @param block what WarthogCoinPlugin.buildBlock returned: the JSON
   *   `{"height", "header" (160 hex), "body" (hex)}`
   * @returns `hash` = the block id, sha256d of the header, 64 hex in digest
   *   order; refused with the node's message and code when it answers an error
   *   envelope (stale, bad PoW, ...)
   * @throws LodeError('plugin') for a block buildBlock cannot have written;
   *   LodeError('node') when the node could not be reached or answered
   *   nonsense (the block may be worth resubmitting)
   * @see facts/warthog.md §4.3
   */
  async submitBlock(block: string): Promise<BlockSubmitResult> {
    const request = parseAppendRequest(block);
    const hash = sha256d(Buffer.from(request.header, 'hex')).toString('hex');
    try {
      await this.rpc.append(request);
    } catch (error) {
      if (LodeError.is(error, 'node') && error.code !== undefined) {
        const envelope = error.data as { error?: unknown } | undefined;
        const said = typeof envelope?.error === 'string' ? envelope.error : error.message;
        this.logger.debug({ hash, height: request.height, code: error.code, reason: said }, 'the warthog node refused the block');
        return { accepted: false, hash, reason: `${said} (code ${error.code})` };
      }
      throw error;
    }
    this.logger.debug({ hash, height: request.height }, 'the warthog node accepted the block');
    this.forceFetch = true;
    this.wake();
    return { accepted: true, hash };
  }

  private async pollLoop(): Promise<void> {
    let failures = 0;
    while (this.state === 'running') {
      await this.sleep(failures > 0 ? this.backoff(failures) : this.pollIntervalMs, true);
      if (this.state !== 'running') break;
      try {
        await this.refresh(false);
        if (failures > 0) this.logger.info({ url: this.rpc.url, failures }, 'the warthog node answers again');
        failures = 0;
      } catch (error) {
        if (this.state !== 'running') break;
        if (failures === 0) {
          this.logger.warn(
            { url: this.rpc.url, err: messageOf(error) },
            'polling the warthog node failed; retrying with backoff (further failures in this streak are logged at debug)',
          );
        } else {
          this.logger.debug({ failures: failures + 1, err: messageOf(error) }, 'polling the warthog node failed again');
        }
        failures++;
      }
    }
  }

  /** One poll: the head, and /chain/mine when the head moved, a refresh is due, or `force`. */
  private async refresh(force: boolean): Promise<void> {
    const signal = this.abort.signal;
    const head = await this.rpc.head({ signal });
    const due = force || this.forceFetch || head.hash !== this.lastHeadHash || Date.now() - this.lastFetchAt >= this.refreshMs;
    if (!due || this.stopped) return;
    this.forceFetch = false;
    const state = await this.rpc.mine(this.payoutAddress, { signal });
    if (this.stopped) return;
    this.lastFetchAt = Date.now();
    if (!state.synced || !head.synced) {
      // the head stays unrecorded, so the next poll asks again
      this.lastHeadHash = undefined;
      if (!this.unsynced) {
        this.unsynced = true;
        this.logger.warn({ url: this.rpc.url, height: state.height }, 'the warthog node is not synced; no new templates until it is');
      }
      return;
    }
    if (this.unsynced) {
      this.unsynced = false;
      this.logger.info({ url: this.rpc.url, height: state.height }, 'the warthog node is synced again');
    }
    this.lastHeadHash = head.hash;
    const key = templateKey(state);
    if (key === this.lastKey) return;
    const template = toCoinTemplate(state);
    this.lastKey = key;
    this.subject.next(template);
  }

  /** Read through a getter: a check after an await must not be narrowed by one before it. */
  private get stopped(): boolean {
    return this.state === 'stopped';
  }

  private notSynced(): LodeError {
    return new LodeError('node', `the warthog node at ${this.rpc.url} is not synced; Lode mines only on a synced node (wait for it, or check its peers)`);
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

/** What makes two templates different work: all but the timestamp (and the merkle root, which follows from the body). */
function templateKey(state: WarthogMiningState): string {
  const { header } = state;
  return [header.slice(0, 72), header.slice(136, 144), state.merklePrefix, state.body, state.height].join('|');
}

/** Reads the /chain/append request buildBlock wrote. */
function parseAppendRequest(block: string): WarthogAppendRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(block);
  } catch (cause) {
    throw new LodeError('plugin', `the block to submit is not JSON: ${block.slice(0, 80)}`, { cause });
  }
  const { height, header, body } = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  if (
    typeof height !== 'number' ||
    !Number.isInteger(height) ||
    height < 0 ||
    height > 0xffffffff ||
    typeof header !== 'string' ||
    !HEADER_HEX.test(header) ||
    typeof body !== 'string' ||
    !EVEN_HEX.test(body)
  ) {
    throw new LodeError(
      'plugin',
      `the block to submit must be {"height": uint32, "header": 160 lower-case hex, "body": lower-case hex}, got ${block.slice(0, 200)}`,
    );
  }
  return { height, header, body };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
