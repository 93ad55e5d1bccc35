import { LodeError } from '@lode/stratum-core';
import { isHexBytes, parseUint32Hex, preview, uint32ToHex } from './hex';

/*
 * Typed shapes of the Stratum v1 messages and their wire form.
 *
 * Stratum v1 has no formal specification; the de-facto one is what cgminer
 * (ckolivas/cgminer util.c: parse_notify, initiate_stratum, parse_reconnect),
 * cpuminer (pooler/cpuminer util.c: stratum_subscribe, stratum_notify) and
 * ckpool (src/stratifier.c) read and write. Byte orders and field encodings
 * are in facts/bitcoin-stratum.md; what each miner sends and tolerates is in
 * facts/field-notes.md §1.9. Every decoder here throws LodeError('protocol')
 * with a message naming the field and the rule; none of them trusts its input.
 */

/** The method names this dialect speaks, as they appear on the wire. */
export const BitcoinMethods = {
  /** miner -> pool request, params [userAgent?, sessionId?] */
  SUBSCRIBE: 'mining.subscribe',
  /** miner -> pool request, params [workerName, password] */
  AUTHORIZE: 'mining.authorize',
  /** miner -> pool request, params [workerName, jobId, extranonce2, ntime, nonce, versionBits?] */
  SUBMIT: 'mining.submit',
  /** miner -> pool request, no params; asks for mining.set_extranonce (NiceHash convention) */
  EXTRANONCE_SUBSCRIBE: 'mining.extranonce.subscribe',
  /** miner -> pool request, params [difficulty] */
  SUGGEST_DIFFICULTY: 'mining.suggest_difficulty',
  /** either direction, request, no params; answered "pong" */
  PING: 'mining.ping',
  /** pool -> miner notification, params [difficulty] */
  SET_DIFFICULTY: 'mining.set_difficulty',
  /** pool -> miner notification, 9 params (see NotifyParams) */
  NOTIFY: 'mining.notify',
  /** pool -> miner notification, params [extranonce1 hex, extranonce2Size] */
  SET_EXTRANONCE: 'mining.set_extranonce',
  /** pool -> miner notification, params [host?, port?, waitSeconds?] */
  RECONNECT: 'client.reconnect',
  /** pool -> miner notification, params [text] */
  SHOW_MESSAGE: 'client.show_message',
  /** pool -> miner request, no params; answered with the miner's user agent */
  GET_VERSION: 'client.get_version',
  /** miner -> pool request, params [extensionCodes, extensionParams] (BIP 310; specs/002_b8c80480aecfabab.txt) */
  CONFIGURE: 'mining.configure',
  /** pool -> miner notification, params [mask as 8 hex digits] (BIP 310 version-rolling; valid at once) */
  SET_VERSION_MASK: 'mining.set_version_mask',
} as const;

/** Largest extranonce size accepted in either direction, in bytes (real pools use 2 to 8). */
export const MAX_EXTRANONCE_BYTES = 32;

/**
 * `mining.notify` parameters: one job.
 *
 * Wire: `[jobId, prevhash, coinb1, coinb2, merkleBranches, version, nbits, ntime, cleanJobs]`
 * with version/nbits/ntime as 8 hex digits (big-endian, as printed).
 *
 * @see facts/bitcoin-stratum.md "Byte orders" rules 2 to 5
 */
export interface NotifyParams {
  /** the pool's job id, opaque to the miner and echoed in mining.submit */
  jobId: string;
  /** previous block hash, 64 hex digits in stratum form: each 4-byte word of the header bytes byte-swapped (rule 3) */
  prevhash: string;
  /** coinbase part before extranonce1, raw bytes as hex */
  coinb1: string;
  /** coinbase part after extranonce2, raw bytes as hex */
  coinb2: string;
  /** merkle branch hashes, each 64 hex digits of raw bytes, applied in order (rule 5) */
  merkleBranches: string[];
  /** block version as a uint32 */
  version: number;
  /** compact network target as a uint32 (e.g. 0x1d00ffff) */
  nbits: number;
  /** block time as a uint32, seconds since the Unix epoch */
  ntime: number;
  /** true when work on earlier jobs should be abandoned (a new block) */
  cleanJobs: boolean;
}

/**
 * `mining.subscribe` request parameters: `[userAgent?, sessionId?]`. Some
 * miners add a host and a port after these; they are ignored.
 *
 * @see field-notes.md §1.2 "Session resume" (param 1 is the old session id), §1.9
 */
export interface SubscribeRequest {
  /** the miner's software and version, e.g. "cpuminer/2.5.1" */
  userAgent?: string;
  /** the session id of an earlier subscription the miner asks to resume */
  sessionId?: string;
}

/**
 * `mining.subscribe` result.
 *
 * Wire: `[[["mining.set_difficulty", sessionId], ["mining.notify", sessionId]], extranonce1 hex, extranonce2Size]`.
 *
 * @see cpuminer util.c stratum_subscribe (reads result[1] and result[2], the session id from the notify subscription)
 */
export interface SubscribeResult {
  /** the connection's extranonce1, raw bytes */
  extranonce1: Buffer;
  /** how many bytes of extranonce2 the miner rolls */
  extranonce2Size: number;
  /** the id a miner may send back in a later subscribe to resume this session */
  sessionId: string;
}

/** `mining.authorize` request parameters: `[workerName, password]`. */
export interface AuthorizeRequest {
  workerName: string;
  /** may be empty; many miners send "x" */
  password: string;
}

/**
 * `mining.submit` request parameters, decoded.
 *
 * Wire: `[workerName, jobId, extranonce2 hex, ntime 8-hex, nonce 8-hex, versionBits 8-hex?]`.
 *
 * @see facts/bitcoin-stratum.md rules 4, 6 and 7 (BIP 310 version_bits)
 */
export interface SubmitRequest {
  workerName: string;
  jobId: string;
  /** raw extranonce2 bytes, exactly the subscribed extranonce2Size */
  extranonce2: Buffer;
  /** block time as a uint32 */
  ntime: number;
  /** header nonce as a uint32 */
  nonce: number;
  /** BIP 310 version bits (6th parameter) as a uint32; absent on a 5-parameter submit */
  versionBits?: number;
  /**
   * Server side only: the version mask (uint32) in effect when the share
   * arrived, which `versionBits` was checked against (`versionBits & ~versionMask == 0`).
   * Present exactly when `versionBits` is. The header's version is
   * `(jobVersion & ~versionMask) | (versionBits & versionMask)` (BIP 310,
   * facts/bitcoin-stratum.md rule 7). Ignored by `encodeSubmitParams`.
   */
  versionMask?: number;
}

/** `client.reconnect` parameters: where to reconnect and how long to wait first. */
export interface ReconnectRequest {
  /** host to connect to; absent means the same host */
  host?: string;
  /** TCP port; absent means the same port */
  port?: number;
  /** seconds to wait before reconnecting */
  waitSeconds: number;
}

/** `mining.set_extranonce` parameters: the extranonce for jobs that follow. */
export interface ExtranonceUpdate {
  extranonce1: Buffer;
  extranonce2Size: number;
}

function protocolError(message: string): LodeError {
  return new LodeError('protocol', message);
}

function requireUint32Hex(value: unknown, field: string): number {
  const parsed = parseUint32Hex(value);
  if (parsed === undefined) throw protocolError(`${field} '${preview(value)}' is not 8 hex digits`);
  return parsed;
}

function requireHash(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length !== 64 || !isHexBytes(value)) {
    throw protocolError(`${field} '${preview(value)}' is not 64 hex digits`);
  }
  return value.toLowerCase();
}

function requireHexBytes(value: unknown, field: string): string {
  if (!isHexBytes(value)) throw protocolError(`${field} '${preview(value)}' is not hex bytes`);
  return value.toLowerCase();
}

function requireExtranonceSize(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_EXTRANONCE_BYTES) {
    throw protocolError(`${field} ${preview(value)} is not an integer from 0 to ${MAX_EXTRANONCE_BYTES}`);
  }
  return value;
}

function requireExtranonce1(value: unknown, field: string): Buffer {
  const hex = requireHexBytes(value, field);
  if (hex.length / 2 > MAX_EXTRANONCE_BYTES) {
    throw protocolError(`${field} is ${hex.length / 2} bytes, at most ${MAX_EXTRANONCE_BYTES} allowed`);
  }
  return Buffer.from(hex, 'hex');
}

/** Encoded params of frozen NotifyParams, by the params object (see encodeNotifyParams). */
const encodedNotify = new WeakMap<NotifyParams, unknown[]>();

/**
 * Encodes a job as `mining.notify` params (9 items).
 *
 * When `p` and its `merkleBranches` are frozen (`Object.freeze`: nothing in
 * them can change), the params are checked and encoded once and the same
 * frozen array is returned for every later call with that object: a pool
 * that hands one frozen object per job to all its sessions pays the hex
 * checks once per job, not once per session (docs/performance.md (c)).
 * Other objects are encoded afresh on each call.
 *
 * @returns the 9 params in wire order (frozen when `p` is)
 * @throws LodeError('protocol') if a field is out of shape (prevhash or a branch not 64 hex digits, a uint32 out of range)
 * @see facts/bitcoin-stratum.md rules 2 and 3
 */
export function encodeNotifyParams(p: NotifyParams): unknown[] {
  if (!Object.isFrozen(p) || !Object.isFrozen(p.merkleBranches)) return encodeNotifyParamsOnce(p);
  let params = encodedNotify.get(p);
  if (params === undefined) {
    params = encodeNotifyParamsOnce(p);
    Object.freeze(params[4]);
    Object.freeze(params);
    encodedNotify.set(p, params);
  }
  return params;
}

function encodeNotifyParamsOnce(p: NotifyParams): unknown[] {
  return [
    p.jobId,
    requireHash(p.prevhash, 'prevhash'),
    requireHexBytes(p.coinb1, 'coinb1'),
    requireHexBytes(p.coinb2, 'coinb2'),
    p.merkleBranches.map((b, i) => requireHash(b, `merkle branch ${i}`)),
    uint32ToHex(p.version),
    uint32ToHex(p.nbits),
    uint32ToHex(p.ntime),
    p.cleanJobs,
  ];
}

/**
 * Decodes `mining.notify` params. Items after the ninth are ignored (some
 * altcoin pools append fields). Hex comes back lower case.
 *
 * @throws LodeError('protocol') naming the first field that is out of shape,
 *   e.g. "mining.notify takes 9 parameters, got 8", "nbits '1d00ff' is not 8 hex digits"
 */
export function decodeNotifyParams(params: unknown[]): NotifyParams {
  if (params.length < 9) throw protocolError(`mining.notify takes 9 parameters, got ${params.length}`);
  const [jobId, prevhash, coinb1, coinb2, branches, version, nbits, ntime, clean] = params;
  if (typeof jobId !== 'string' || jobId.length === 0) {
    throw protocolError(`job id '${preview(jobId)}' is not a non-empty string`);
  }
  if (!Array.isArray(branches)) throw protocolError(`merkle branches ${preview(branches)} is not an array`);
  if (typeof clean !== 'boolean') throw protocolError(`clean_jobs ${preview(clean)} is not a boolean`);
  return {
    jobId,
    prevhash: requireHash(prevhash, 'prevhash'),
    coinb1: requireHexBytes(coinb1, 'coinb1'),
    coinb2: requireHexBytes(coinb2, 'coinb2'),
    merkleBranches: branches.map((b: unknown, i) => requireHash(b, `merkle branch ${i}`)),
    version: requireUint32Hex(version, 'version'),
    nbits: requireUint32Hex(nbits, 'nbits'),
    ntime: requireUint32Hex(ntime, 'ntime'),
    cleanJobs: clean,
  };
}

/**
 * Encodes a subscribe result as cpuminer and cgminer read it: both
 * subscriptions carry the session id.
 *
 * @throws LodeError('protocol') if extranonce2Size is not an integer in [0, 32] or extranonce1 is over 32 bytes
 */
export function encodeSubscribeResult(r: SubscribeResult): unknown[] {
  requireExtranonceSize(r.extranonce2Size, 'extranonce2 size');
  if (r.extranonce1.length > MAX_EXTRANONCE_BYTES) {
    throw protocolError(`extranonce1 is ${r.extranonce1.length} bytes, at most ${MAX_EXTRANONCE_BYTES} allowed`);
  }
  return [
    [
      [BitcoinMethods.SET_DIFFICULTY, r.sessionId],
      [BitcoinMethods.NOTIFY, r.sessionId],
    ],
    r.extranonce1.toString('hex'),
    r.extranonce2Size,
  ];
}

/**
 * Decodes a subscribe result. Accepts the subscriptions as a list of pairs
 * or as one bare pair (both are seen in the wild); the session id is the
 * `mining.notify` subscription's id, else the first one's, else "".
 *
 * @throws LodeError('protocol') if the result is not `[subscriptions, extranonce1 hex, extranonce2Size]`
 */
export function decodeSubscribeResult(result: unknown): SubscribeResult {
  if (!Array.isArray(result) || result.length < 3) {
    throw protocolError(`mining.subscribe result ${preview(result)} is not [subscriptions, extranonce1, extranonce2_size]`);
  }
  const [subscriptions, en1, en2Size] = result;
  return {
    extranonce1: requireExtranonce1(en1, 'extranonce1'),
    extranonce2Size: requireExtranonceSize(en2Size, 'extranonce2_size'),
    sessionId: sessionIdOf(subscriptions),
  };
}

function sessionIdOf(subscriptions: unknown): string {
  if (!Array.isArray(subscriptions)) return '';
  const pairs: unknown[] = typeof subscriptions[0] === 'string' ? [subscriptions] : subscriptions;
  let first: string | undefined;
  for (const pair of pairs) {
    if (!Array.isArray(pair) || typeof pair[1] !== 'string') continue;
    if (pair[0] === BitcoinMethods.NOTIFY) return pair[1];
    first ??= pair[1];
  }
  return first ?? '';
}

/**
 * Decodes subscribe params leniently: a user agent or session id that is not
 * a string is ignored rather than refused, because a refused subscribe costs
 * the miner its whole connection. The user agent is cut to 256 characters.
 */
export function decodeSubscribeParams(params: unknown[]): SubscribeRequest {
  const [userAgent, sessionId] = params;
  const req: SubscribeRequest = {};
  if (typeof userAgent === 'string' && userAgent.length > 0) req.userAgent = userAgent.slice(0, 256);
  if (typeof sessionId === 'string' && sessionId.length > 0) req.sessionId = sessionId.slice(0, 256);
  return req;
}

/** Encodes subscribe params: `[userAgent]` or `[userAgent, sessionId]` (cgminer's resume form). */
export function encodeSubscribeParams(req: SubscribeRequest): unknown[] {
  const params: unknown[] = [req.userAgent ?? ''];
  if (req.sessionId !== undefined) params.push(req.sessionId);
  return params;
}

/**
 * Encodes submit params; the 6th (version bits) only when present.
 *
 * @throws LodeError('protocol') if ntime, nonce or versionBits is not a uint32
 */
export function encodeSubmitParams(req: SubmitRequest): unknown[] {
  const params: unknown[] = [
    req.workerName,
    req.jobId,
    req.extranonce2.toString('hex'),
    uint32ToHex(req.ntime),
    uint32ToHex(req.nonce),
  ];
  if (req.versionBits !== undefined) params.push(uint32ToHex(req.versionBits));
  return params;
}

const DECIMAL = /^\s*\+?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/**
 * Reads a difficulty as miners and pools send it: a JSON number (fractions
 * allowed and common: 0.001) or a decimal string ("0.5").
 *
 * @returns the difficulty, or undefined unless it is finite and > 0
 * @see field-notes.md §2 headline gap 7 (fractional difficulty end to end)
 */
export function parseDifficulty(value: unknown): number | undefined {
  let n: number | undefined;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && DECIMAL.test(value)) n = Number(value);
  return n !== undefined && Number.isFinite(n) && n > 0 ? n : undefined;
}

/**
 * Decodes `mining.set_difficulty` / `mining.suggest_difficulty` params `[difficulty]`.
 *
 * @throws LodeError('protocol') "<method> takes a positive difficulty, got '<value>'"
 */
export function decodeDifficultyParams(method: string, params: unknown[]): number {
  const d = parseDifficulty(params[0]);
  if (d === undefined) throw protocolError(`${method} takes a positive difficulty, got '${preview(params[0])}'`);
  return d;
}

/**
 * Encodes `client.reconnect` params. The port goes out as a decimal string:
 * cgminer (util.c parse_reconnect) reads both items with json_string_value
 * and ckpool sends strings; cpuminer accepts a string or a number.
 *
 * @returns `[]` (same host and port, now) or `[host|null, port|null, waitSeconds]`
 */
export function encodeReconnectParams(r: ReconnectRequest): unknown[] {
  if (r.host === undefined && r.port === undefined && r.waitSeconds === 0) return [];
  return [r.host ?? null, r.port === undefined ? null : String(r.port), r.waitSeconds];
}

/** Decodes `client.reconnect` params leniently: an unreadable item counts as absent. */
export function decodeReconnectParams(params: unknown[]): ReconnectRequest {
  const [host, port, wait] = params;
  const r: ReconnectRequest = { waitSeconds: 0 };
  if (typeof host === 'string' && host.length > 0) r.host = host;
  const p = typeof port === 'string' && /^\d{1,5}$/.test(port) ? Number(port) : port;
  if (typeof p === 'number' && Number.isInteger(p) && p > 0 && p < 65536) r.port = p;
  const w = typeof wait === 'string' && /^\d+$/.test(wait) ? Number(wait) : wait;
  if (typeof w === 'number' && Number.isFinite(w) && w > 0) r.waitSeconds = w;
  return r;
}

/** Encodes `mining.set_extranonce` params `[extranonce1 hex, extranonce2Size]`. */
export function encodeExtranonceParams(u: ExtranonceUpdate): unknown[] {
  requireExtranonceSize(u.extranonce2Size, 'extranonce2 size');
  return [u.extranonce1.toString('hex'), u.extranonce2Size];
}

/**
 * Decodes `mining.set_extranonce` params.
 *
 * @throws LodeError('protocol') if extranonce1 is not hex bytes or the size is not an integer in [0, 32]
 */
export function decodeExtranonceParams(params: unknown[]): ExtranonceUpdate {
  return {
    extranonce1: requireExtranonce1(params[0], 'extranonce1'),
    extranonce2Size: requireExtranonceSize(params[1], 'extranonce2_size'),
  };
}
