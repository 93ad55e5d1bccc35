import { readFile } from 'node:fs/promises';
import { LodeError, type LodeLogger } from '@lode/plugin-api';
import type { BitcoinBlockTemplate } from './block-template';

/** Where and how to reach bitcoind's JSON-RPC server. */
export interface BitcoindRpcOptions {
  /** e.g. "http://127.0.0.1:8332" (mainnet), 18332 (testnet3), 18443 (regtest); credentials in the URL are accepted */
  url: string;
  /** rpcuser / rpcauth user */
  user?: string;
  password?: string;
  /** bitcoind's `.cookie` file (`__cookie__:<secret>`); re-read when bitcoind answers 401 (it rotates on restart) */
  cookieFile?: string;
  /** default time limit per call, ms (30000) */
  timeoutMs?: number;
}

/** Per-call options. */
export interface RpcCallOptions {
  /** time limit of this call, ms (defaults to the client's timeoutMs) */
  timeoutMs?: number;
  /** aborts the call (BitcoinNode.stop ends in-flight long polls with it) */
  signal?: AbortSignal;
}

/** getblocktemplate's template_request (BIP 22/23, BIP 9 rules). */
export interface BlockTemplateRequest {
  /** rules the client supports; bitcoind requires "segwit" */
  rules: string[];
  /** BIP 22 long polling: waits until the template identified by this id is stale */
  longpollid?: string;
  capabilities?: string[];
}

interface HttpAnswer {
  status: number;
  ok: boolean;
  text: string;
}

interface RpcResponse {
  result?: unknown;
  error?: { code?: number; message?: string } | null;
}

/**
 * A JSON-RPC 1.0 client for bitcoind over HTTP (global fetch), with basic
 * auth from user/password, credentials in the URL, or the cookie file.
 *
 * Errors are surfaced, never swallowed, as LodeError('node'):
 * - an RPC error: "bitcoind getblocktemplate failed: -10 Bitcoin Core is in
 *   initial sync", with `code` = bitcoind's error code;
 * - HTTP 401: a message naming the credentials source to check;
 * - a transport failure: "bitcoind at http://… unreachable: ECONNREFUSED";
 * - a timeout or an abort through `signal`.
 *
 * @see Bitcoin Core doc/JSON-RPC-interface.md; BIP 22 (getblocktemplate)
 */
export class BitcoindRpcClient {
  /** the URL without credentials, for messages and logs */
  readonly url: string;
  private readonly endpoint: string;
  private readonly timeoutMs: number;
  private authorization?: string;
  private nextId = 0;

  constructor(
    private readonly options: BitcoindRpcOptions,
    private readonly logger: LodeLogger,
  ) {
    let parsed: URL;
    try {
      parsed = new URL(options.url);
    } catch (cause) {
      throw new LodeError('config', `node.url "${options.url}" is not a URL`, { cause });
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new LodeError('config', `node.url "${options.url}" must be http:// or https://`);
    }
    // fetch refuses URLs with credentials, so they move to the header
    const urlUser = decodeURIComponent(parsed.username);
    const urlPassword = decodeURIComponent(parsed.password);
    parsed.username = '';
    parsed.password = '';
    this.endpoint = parsed.toString();
    this.url = this.endpoint.replace(/\/$/, '');
    this.timeoutMs = options.timeoutMs ?? 30_000;
    const user = options.user ?? (urlUser || undefined);
    const password = options.password ?? (urlPassword || undefined);
    if (user !== undefined || password !== undefined) {
      this.authorization = basic(user ?? '', password ?? '');
    }
  }

  /**
   * Calls one RPC method.
   *
   * @returns the `result` member, unchecked
   * @throws LodeError('node') as described on the class
   */
  async call<T = unknown>(method: string, params: unknown[] = [], options: RpcCallOptions = {}): Promise<T> {
    if (this.authorization === undefined && this.options.cookieFile !== undefined) {
      await this.readCookie();
    }
    let response = await this.post(method, params, options);
    if (response.status === 401 && this.options.cookieFile !== undefined) {
      // bitcoind writes a new cookie every time it starts
      this.logger.debug({ cookieFile: this.options.cookieFile }, 'bitcoind answered 401, re-reading the cookie file');
      await this.readCookie();
      response = await this.post(method, params, options);
    }
    if (response.status === 401) {
      const source =
        this.options.cookieFile !== undefined
          ? `the cookie file ${this.options.cookieFile}`
          : this.authorization !== undefined
            ? 'node.user / node.password'
            : 'no credentials (set node.user / node.password or node.cookieFile)';
      throw new LodeError('node', `bitcoind at ${this.url} refused ${method} with HTTP 401 Unauthorized: check ${source}`);
    }
    const text = response.text;
    let body: RpcResponse;
    try {
      body = JSON.parse(text) as RpcResponse;
    } catch (cause) {
      throw new LodeError(
        'node',
        `bitcoind at ${this.url} answered ${method} with HTTP ${response.status} and no JSON-RPC body: ${text.slice(0, 120)}`,
        { cause },
      );
    }
    if (body.error !== undefined && body.error !== null) {
      const code = body.error.code;
      throw new LodeError('node', `bitcoind ${method} failed: ${code ?? '?'} ${body.error.message ?? ''}`.trimEnd(), {
        cause: body.error,
        code,
        data: body.error,
      });
    }
    if (!response.ok) {
      throw new LodeError('node', `bitcoind at ${this.url} answered ${method} with HTTP ${response.status}`);
    }
    return body.result as T;
  }

  /**
   * `getblocktemplate` (BIP 22). With `longpollid` the call waits until the
   * template changes: give it a long `timeoutMs` and an abort `signal`.
   */
  getBlockTemplate(request: BlockTemplateRequest = { rules: ['segwit'] }, options?: RpcCallOptions): Promise<BitcoinBlockTemplate> {
    return this.call<BitcoinBlockTemplate>('getblocktemplate', [request], options);
  }

  /**
   * `submitblock`.
   *
   * @param blockHex the serialized block
   * @returns null when bitcoind accepted the block, else its reason ("high-hash",
   *   "bad-txnmrklroot", "duplicate", "inconclusive", ...)
   */
  async submitBlock(blockHex: string, options?: RpcCallOptions): Promise<string | null> {
    const result = await this.call<string | null | undefined>('submitblock', [blockHex], options);
    return result ?? null;
  }

  /** `getblockchaininfo`: chain name, blocks, initialblockdownload, ... */
  getBlockchainInfo(options?: RpcCallOptions): Promise<Record<string, unknown>> {
    return this.call<Record<string, unknown>>('getblockchaininfo', [], options);
  }

  private async post(method: string, params: unknown[], options: RpcCallOptions): Promise<HttpAnswer> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal !== undefined ? AbortSignal.any([timeout, options.signal]) : timeout;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.authorization !== undefined) headers['authorization'] = this.authorization;
    try {
      const response = await fetch(this.endpoint, {
        method: 'POST',
        headers,
        body: JSON.stringify({ jsonrpc: '1.0', id: ++this.nextId, method, params }),
        signal,
      });
      // read inside the try: the time limit and the abort cover the body too
      return { status: response.status, ok: response.ok, text: await response.text() };
    } catch (cause) {
      if (options.signal?.aborted === true) {
        throw new LodeError('node', `bitcoind ${method} aborted`, { cause });
      }
      if (timeout.aborted) {
        throw new LodeError('node', `bitcoind at ${this.url} did not answer ${method} within ${timeoutMs} ms`, { cause });
      }
      throw new LodeError('node', `bitcoind at ${this.url} unreachable: ${transportReason(cause)}`, { cause });
    }
  }

  private async readCookie(): Promise<void> {
    const file = this.options.cookieFile as string;
    let text: string;
    try {
      text = (await readFile(file, 'utf8')).trim();
    } catch (cause) {
      throw new LodeError('node', `bitcoind cookie file ${file} cannot be read: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`, {
        cause,
      });
    }
    const colon = text.indexOf(':');
    if (colon < 0) {
      throw new LodeError('node', `bitcoind cookie file ${file} does not hold "user:password"`);
    }
    this.authorization = basic(text.slice(0, colon), text.slice(colon + 1));
  }
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** fetch wraps the socket error ("fetch failed", cause.code ECONNREFUSED); name the errno when there is one. */
function transportReason(error: unknown): string {
  let e: unknown = error;
  for (let depth = 0; depth < 4 && typeof e === 'object' && e !== null; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return error instanceof Error ? error.message : String(error);
}
