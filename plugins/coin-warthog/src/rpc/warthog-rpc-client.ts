import { LodeError } from '@lode/plugin-api';
import { parseWarthogAddress } from '../address/parse-warthog-address';
import type { WarthogAppendRequest } from './warthog-append-request';
import type { WarthogChainHead } from './warthog-chain-head';
import type { WarthogMiningState } from './warthog-mining-state';

/** Where and how to reach a Warthog node's HTTP API. */
export interface WarthogRpcOptions {
  /** e.g. "http://127.0.0.1:3000" (the private RPC port: /chain/append is not on the public one); credentials in the URL go as basic auth */
  url: string;
  /** time limit per call, ms (5000) */
  timeoutMs?: number;
}

/** Per-call options. */
export interface WarthogRpcCallOptions {
  /** time limit of this call, ms (defaults to the client's timeoutMs) */
  timeoutMs?: number;
  /** aborts the call (WarthogNode.stop ends in-flight polls with it) */
  signal?: AbortSignal;
}

const HASH_HEX = /^[0-9a-fA-F]{64}$/;
const HEADER_HEX = /^[0-9a-fA-F]{160}$/;
const EVEN_HEX = /^(?:[0-9a-fA-F]{2})+$/;
/** A body holds at least the 10-byte extranonce area (§4.4) and at most 35000 bytes (§4.3). */
const MIN_BODY_BYTES = 10;
const MAX_BODY_BYTES = 35000;

/**
 * A client for the mining endpoints of a Warthog node's HTTP/JSON API (global
 * fetch). Every answer is an envelope: `{"code": 0, "data": ...}` on success,
 * `{"code": <non-zero>, "error": "<message>"}` on failure.
 *
 * Every failure is a LodeError('node') naming the method and path and the
 * node's URL:
 * - the node's error envelope, with `code` = the envelope's code and `data`
 *   = the envelope ("warthog node at http://127.0.0.1:3000 refused POST
 *   /chain/append: code 12 header is stale");
 * - an HTTP status other than 2xx without an envelope;
 * - no answer within `timeoutMs` (5000), an abort, or a transport failure (ECONNREFUSED);
 * - a body that is not an envelope, or data of the wrong shape.
 *
 * @see facts/warthog.md §4.1 (transport, envelope), §4.2 (/chain/mine, /chain/head), §4.3 (/chain/append)
 */
export class WarthogRpcClient {
  /** the URL without credentials or trailing slash, for messages and logs */
  readonly url: string;
  private readonly timeoutMs: number;
  private readonly authorization?: string;

  /** @throws LodeError('config') for a URL that is not http(s) */
  constructor(options: WarthogRpcOptions) {
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
    if (parsed.username !== '' || parsed.password !== '') {
      const credentials = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
      this.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
      parsed.username = '';
      parsed.password = '';
    }
    parsed.search = '';
    parsed.hash = '';
    this.url = parsed.toString().replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 5000;
  }

  /**
   * `GET /chain/mine/:account`: the block template paying `address`.
   *
   * @param address the 48-hex account that gets the reward (checked: 20 bytes + SHA-256 checksum)
   * @returns the template; `synced` false means the node is still syncing
   * @throws LodeError('config') for a malformed address; LodeError('node') as
   *   described on the class, or for data without a 160-hex header, a body of
   *   10..35000 bytes, a 32- or 64-byte merklePrefix, an integer height, a
   *   boolean `synced` and a numeric difficulty
   */
  async mine(address: string, options?: WarthogRpcCallOptions): Promise<WarthogMiningState> {
    const account = parseWarthogAddress(address, 'the mining address');
    const path = `/chain/mine/${account}`;
    const data = await this.request('GET', path, undefined, options);
    const malformed = this.malformed('GET', path, data);
    if (typeof data !== 'object' || data === null) throw malformed('expected an object');
    const d = data as Record<string, unknown>;
    const { header, body, merklePrefix, difficulty, height, synced } = d;
    if (typeof header !== 'string' || !HEADER_HEX.test(header)) throw malformed('header is not 160 hex digits');
    if (typeof body !== 'string' || !EVEN_HEX.test(body) || body.length < 2 * MIN_BODY_BYTES || body.length > 2 * MAX_BODY_BYTES) {
      throw malformed(`body is not hex of ${MIN_BODY_BYTES}..${MAX_BODY_BYTES} bytes`);
    }
    if (typeof merklePrefix !== 'string' || !EVEN_HEX.test(merklePrefix) || (merklePrefix.length !== 64 && merklePrefix.length !== 128)) {
      throw malformed('merklePrefix is not 32 or 64 bytes of hex');
    }
    if (typeof difficulty !== 'number' || !Number.isFinite(difficulty)) throw malformed('difficulty is not a number');
    if (!isHeight(height)) throw malformed('height is not an integer >= 0');
    if (typeof synced !== 'boolean') throw malformed('synced is not a boolean');
    const state: WarthogMiningState = {
      header: header.toLowerCase(),
      body: body.toLowerCase(),
      merklePrefix: merklePrefix.toLowerCase(),
      difficulty,
      height,
      synced,
    };
    if (typeof d['testnet'] === 'boolean') state.testnet = d['testnet'];
    if (typeof d['blockRewardE8'] === 'number') state.blockRewardE8 = d['blockRewardE8'];
    if (typeof d['totalTxFeeE8'] === 'number') state.totalTxFeeE8 = d['totalTxFeeE8'];
    return state;
  }

  /**
   * `GET /chain/head`: the node's head block.
   *
   * @throws LodeError('node') as described on the class, or for data without
   *   a 64-hex hash, an integer height and a boolean `synced`
   */
  async head(options?: WarthogRpcCallOptions): Promise<WarthogChainHead> {
    const path = '/chain/head';
    const data = await this.request('GET', path, undefined, options);
    const malformed = this.malformed('GET', path, data);
    if (typeof data !== 'object' || data === null) throw malformed('expected an object');
    const { hash, height, synced, difficulty } = data as Record<string, unknown>;
    if (typeof hash !== 'string' || !HASH_HEX.test(hash)) throw malformed('hash is not 64 hex digits');
    if (!isHeight(height)) throw malformed('height is not an integer >= 0');
    if (typeof synced !== 'boolean') throw malformed('synced is not a boolean');
    const head: WarthogChainHead = { hash: hash.toLowerCase(), height, synced };
    if (typeof difficulty === 'number') head.difficulty = difficulty;
    return head;
  }

  /**
   * `POST /chain/append {height, header, body}`: submits a solved block.
   * Resolves when the node accepted it (`{"code":0,"error":null}` or
   * `{"code":0,"data":null}`).
   *
   * @throws LodeError('plugin') for a request that is not a height, a
   *   160-hex header and a hex body of 10..35000 bytes; LodeError('node') as
   *   described on the class: a refusal (stale, bad PoW, ...) carries the
   *   envelope's non-zero `code` and the node's message
   */
  async append(block: WarthogAppendRequest, options?: WarthogRpcCallOptions): Promise<void> {
    const { height, header, body } = block;
    if (!isHeight(height) || height > 0xffffffff) throw new LodeError('plugin', `/chain/append: height must be a uint32, got ${String(height)}`);
    if (typeof header !== 'string' || !HEADER_HEX.test(header)) {
      throw new LodeError('plugin', `/chain/append: header must be 160 hex digits, got ${short(header)}`);
    }
    if (typeof body !== 'string' || !EVEN_HEX.test(body) || body.length < 2 * MIN_BODY_BYTES || body.length > 2 * MAX_BODY_BYTES) {
      throw new LodeError('plugin', `/chain/append: body must be hex of ${MIN_BODY_BYTES}..${MAX_BODY_BYTES} bytes, got ${short(body)}`);
    }
    await this.request('POST', '/chain/append', { height, header: header.toLowerCase(), body: body.toLowerCase() }, options);
  }

  /**
   * One call: the envelope's `data` on `code` 0.
   *
   * @param method 'GET' or 'POST'
   * @param path e.g. "/chain/head"
   * @param body sent as JSON (POST)
   * @returns the envelope's `data` (undefined when absent, as `/chain/append` answers)
   * @throws LodeError('node') as described on the class
   */
  async request(method: 'GET' | 'POST', path: string, body?: unknown, options: WarthogRpcCallOptions = {}): Promise<unknown> {
    const call = `${method} ${path}`;
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal !== undefined ? AbortSignal.any([timeout, options.signal]) : timeout;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.authorization !== undefined) headers['authorization'] = this.authorization;
    let status: number;
    let text: string;
    try {
      const response = await fetch(`${this.url}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal,
      });
      status = response.status;
      // read inside the try: the time limit and the abort cover the body too
      text = await response.text();
    } catch (cause) {
      if (options.signal?.aborted === true) {
        throw new LodeError('node', `${call} to the warthog node at ${this.url} was aborted`, { cause });
      }
      if (timeout.aborted) {
        throw new LodeError('node', `warthog node at ${this.url} did not answer ${call} within ${timeoutMs} ms`, { cause });
      }
      throw new LodeError('node', `warthog node at ${this.url} unreachable (${call}): ${transportReason(cause)}`, { cause });
    }
    let envelope: unknown;
    try {
      envelope = JSON.parse(text);
    } catch (cause) {
      throw new LodeError('node', `warthog node at ${this.url} answered ${call} with HTTP ${status} and no JSON envelope: ${short(text)}`, { cause });
    }
    if (typeof envelope !== 'object' || envelope === null || typeof (envelope as { code?: unknown }).code !== 'number') {
      const why = status < 200 || status > 299 ? `HTTP ${status}` : 'no {code, data|error} envelope';
      throw new LodeError('node', `warthog node at ${this.url} answered ${call} with ${why}: ${short(text)}`);
    }
    const { code, data, error } = envelope as { code: number; data?: unknown; error?: unknown };
    if (code !== 0) {
      const message = typeof error === 'string' ? error : JSON.stringify(error ?? null);
      throw new LodeError('node', `warthog node at ${this.url} refused ${call}: code ${code} ${message}`, { code, data: envelope });
    }
    if (status < 200 || status > 299) {
      throw new LodeError('node', `warthog node at ${this.url} answered ${call} with HTTP ${status}: ${short(text)}`);
    }
    return data;
  }

  private malformed(method: string, path: string, data: unknown): (why: string) => LodeError {
    return (why) => new LodeError('node', `warthog node at ${this.url} answered ${method} ${path} with malformed data (${why}): ${short(data)}`);
  }
}

function isHeight(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function short(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
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
