import { LodeError, StratumErrorCodes } from '@lode/stratum-core';
import { WarthogErrorCodes } from './errors';
import { isHexBytes, parseUint32Hex, preview, quote, show, uint32ToHex } from './hex';

/*
 * Typed shapes of the Warthog stratum messages and their wire form.
 *
 * Warthog stratum is Stratum v1 with its own subscribe result, a 7-parameter
 * notify, a 4-parameter submit and difficulty = 1/target (no 2^32). The
 * current form is the spec (specs/004_8dfd75be62003ef5.txt; DOCS, STRATUM-SPEC
 * after commit 389933f5, 2024-02-07) and what janusminer requires; the older
 * "shifupool" form (a JSON-number version, a 5-parameter submit with a leading
 * worker name) is still read (facts/warthog.md §7). Every decoder here throws
 * LodeError('protocol') with a message naming the field and the rule.
 */

/** The method names this dialect speaks, as they appear on the wire. */
export const WarthogMethods = {
  /** miner -> pool request, params [userAgent, suggestedSessionId?] */
  SUBSCRIBE: 'mining.subscribe',
  /** miner -> pool request, params [user ("address.worker"), password] */
  AUTHORIZE: 'mining.authorize',
  /** miner -> pool request, params [jobId, extranonce2, ntime, nonce] (or [worker, jobId, extranonce2, ntime, nonce]) */
  SUBMIT: 'mining.submit',
  /** miner -> pool request, no params; answered true (NiceHash convention, not part of the Warthog spec) */
  EXTRANONCE_SUBSCRIBE: 'mining.extranonce.subscribe',
  /** miner -> pool request or notification, params [difficulty] */
  SUGGEST_DIFFICULTY: 'mining.suggest_difficulty',
  /** pool -> miner notification, params [difficulty]; share target = 1/difficulty */
  SET_DIFFICULTY: 'mining.set_difficulty',
  /** pool -> miner notification, 7 params (see WarthogNotifyParams) */
  NOTIFY: 'mining.notify',
  /** pool -> miner notification, params [host?, port?, waitSeconds?] */
  RECONNECT: 'client.reconnect',
} as const;

/**
 * Bytes of extranonce1 + extranonce2 together: the block body's extranonce
 * area, hashed into the merkle root (facts/warthog.md §4.4, §8 rule 5).
 */
export const WARTHOG_EXTRANONCE_BYTES = 10;

/** Largest extranonce1 or extranonce2 size a client accepts from a pool, in bytes. */
export const MAX_EXTRANONCE_BYTES = 32;

/** Longest user agent, session id or worker name kept, in characters. */
export const MAX_NAME_LENGTH = 256;

/**
 * `mining.subscribe` request parameters: `[userAgent, suggestedSessionId?]`.
 *
 * @see specs/004_8dfd75be62003ef5.txt "Mining.subscribe"
 */
export interface WarthogSubscribeRequest {
  /** the miner's software and version, e.g. "janusminer/0.0.1" */
  userAgent?: string;
  /** the session id of an earlier subscription the miner asks to resume */
  sessionId?: string;
}

/**
 * `mining.subscribe` result.
 *
 * Wire (pool form): `[[["mining.notify", sessionId]], extranonce1 hex, extranonce2Size]`;
 * the node's solo stratum sends `[["mining.notify", ""], extranonce1 hex, 6]`
 * (a single pair, not a list of pairs). janusminer reads only items 1 and 2.
 *
 * @see facts/warthog.md §7 "subscribe reply"
 */
export interface WarthogSubscribeResult {
  /** the connection's extranonce1, raw bytes (hashed into the merkle root as sent) */
  extranonce1: Buffer;
  /** how many bytes of extranonce2 the miner rolls; extranonce1 + extranonce2 = 10 bytes */
  extranonce2Size: number;
  /** the id a miner may send back in a later subscribe to resume this session ("" from the node) */
  sessionId: string;
}

/** `mining.authorize` request parameters: `[user, password]`; the user is "address.worker" by convention. */
export interface WarthogAuthorizeRequest {
  workerName: string;
  /** may be empty; miners usually send "x" */
  password: string;
}

/**
 * `mining.notify` parameters: one job.
 *
 * Wire: `[jobId, prevHash, merklePrefix, version, nbits, ntime, clean]`, with
 * version, nbits and ntime as 8 hex digits: the header's 4 bytes in order,
 * i.e. the uint32 big-endian (`3` -> `"00000003"`). The older shifupool form
 * sent the version as a JSON number; both are read, only the hex form is
 * written (janusminer requires it).
 *
 * Header = prevHash(32) ‖ nbits(4) ‖ SHA256(merklePrefix ‖ extranonce1 ‖ extranonce2)(32)
 * ‖ version(4) ‖ ntime(4) ‖ nonce(4).
 *
 * @see specs/004_8dfd75be62003ef5.txt "Mining.notify"; facts/warthog.md §2, §4.4, §7
 */
export interface WarthogNotifyParams {
  /** the pool's job id, opaque to the miner and echoed in mining.submit */
  jobId: string;
  /** previous block hash, 64 hex digits: header bytes 0..32 in order (no reversal) */
  prevHash: string;
  /** 64 or 128 hex digits (32 or 64 bytes): what the merkle root hashes before the extranonces */
  merklePrefix: string;
  /** header version as a uint32 (3 today) */
  version: number;
  /** the block target as a uint32 (TargetV2, header bytes 32..36 read big-endian), e.g. 0x0ae7cde7 */
  nbits: number;
  /** header timestamp, uint32 Unix seconds */
  ntime: number;
  /** true when work on earlier jobs should be abandoned (a new block) */
  clean: boolean;
}

/**
 * A share as the miner sends it (client side).
 *
 * @see specs/004_8dfd75be62003ef5.txt "Mining.submit"; facts/warthog.md §2 "nonce hex string == header[76..80]"
 */
export interface WarthogShareSubmission {
  jobId: string;
  /** raw extranonce2 bytes, exactly the subscribed extranonce2Size */
  extranonce2: Buffer;
  /** header timestamp as a uint32 (janusminer submits the job's ntime unchanged) */
  ntime: number;
  /** header bytes 76..80 read big-endian as a uint32 */
  nonce: number;
}

/** A share as the server session hands it to the pool: the submission and the worker it is credited to. */
export interface WarthogSubmitRequest extends WarthogShareSubmission {
  /**
   * The worker: named in the 5-parameter form; in the 4-parameter form the
   * worker authorized last on the connection.
   */
  workerName: string;
}

/** `mining.submit` params split by form, still as strings (shape checked, fields not yet parsed). */
export interface WarthogSubmitParams {
  /** 'current': 4 params; 'legacy': 5 params with a leading worker name (shifupool) */
  form: 'current' | 'legacy';
  /** present in the legacy form */
  workerName?: string;
  jobId: string;
  extranonce2: string;
  ntime: string;
  nonce: string;
}

/** The parsed fields of a submit, or why one of them is refused (reply code 20). */
export type WarthogSubmitFields =
  | { ok: true; extranonce2: Buffer; ntime: number; nonce: number }
  | { ok: false; reason: 'bad-extranonce2' | 'bad-ntime' | 'bad-nonce'; message: string };

/** A fully decoded `mining.submit` (see {@link decodeSubmitParams}). */
export interface WarthogDecodedSubmit extends WarthogShareSubmission {
  form: 'current' | 'legacy';
  /** present in the legacy form */
  workerName?: string;
}

/** `client.reconnect` parameters: where to reconnect and how long to wait first. */
export interface WarthogReconnect {
  /** host to connect to; absent means the same host */
  host?: string;
  /** TCP port; absent means the same port */
  port?: number;
  /** seconds to wait before reconnecting */
  waitSeconds: number;
}

function protocolError(message: string, code?: number): LodeError {
  return new LodeError('protocol', message, code === undefined ? undefined : { code });
}

function requireHexDigits(value: unknown, field: string, digits: readonly number[]): string {
  if (!isHexBytes(value) || !digits.includes(value.length)) {
    const expected = digits.map((d) => `${d}`).join(' or ');
    throw protocolError(`${field} ${quote(value)} is not ${expected} hex digits`);
  }
  return value.toLowerCase();
}

function requireUint32Hex(value: unknown, field: string): number {
  const parsed = parseUint32Hex(value);
  if (parsed === undefined) throw protocolError(`${field} ${quote(value)} is not 8 hex digits`);
  return parsed;
}

function requireExtranonceSize(value: unknown, field: string, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw protocolError(`${field} ${show(value)} is not an integer from 0 to ${max}`);
  }
  return value;
}

/**
 * Encodes subscribe params: `[userAgent]` or `[userAgent, sessionId]`.
 *
 * @see specs/004_8dfd75be62003ef5.txt "Mining.subscribe"
 */
export function encodeSubscribeParams(req: WarthogSubscribeRequest): unknown[] {
  const params: unknown[] = [req.userAgent ?? ''];
  if (req.sessionId !== undefined) params.push(req.sessionId);
  return params;
}

/**
 * Decodes subscribe params leniently: a user agent or session id that is not
 * a non-empty string is ignored rather than refused (a refused subscribe
 * costs the miner its connection). Each is cut to 256 characters.
 */
export function decodeSubscribeParams(params: unknown[]): WarthogSubscribeRequest {
  const [userAgent, sessionId] = params;
  const req: WarthogSubscribeRequest = {};
  if (typeof userAgent === 'string' && userAgent.length > 0) req.userAgent = userAgent.slice(0, MAX_NAME_LENGTH);
  if (typeof sessionId === 'string' && sessionId.length > 0) req.sessionId = sessionId.slice(0, MAX_NAME_LENGTH);
  return req;
}

/**
 * Encodes a subscribe result in the pool form
 * `[[["mining.notify", sessionId]], extranonce1 hex, extranonce2Size]`.
 *
 * @throws LodeError('protocol') unless extranonce1 + extranonce2Size is
 *   exactly 10 bytes (the body's extranonce area, facts/warthog.md §4.4) and
 *   extranonce2Size an integer. Note: janusminer writes a 4-byte counter at
 *   `extranonce2Size - 4`, so sizes below 4 crash it (facts/warthog.md §7);
 *   4 + 6 is what the node and Miningcore use.
 */
export function encodeSubscribeResult(r: WarthogSubscribeResult): unknown[] {
  const size = requireExtranonceSize(r.extranonce2Size, 'extranonce2 size', WARTHOG_EXTRANONCE_BYTES);
  if (r.extranonce1.length + size !== WARTHOG_EXTRANONCE_BYTES) {
    const total = r.extranonce1.length + size;
    throw protocolError(
      `extranonce1 (${r.extranonce1.length} bytes) + extranonce2 size (${size}) is ${total} bytes, ` +
        `Warthog needs exactly ${WARTHOG_EXTRANONCE_BYTES}`,
    );
  }
  return [[[WarthogMethods.NOTIFY, r.sessionId]], r.extranonce1.toString('hex'), size];
}

/**
 * Decodes a subscribe result: the pool form (a list of pairs) and the node's
 * solo form (one bare pair) alike. The session id is the `mining.notify`
 * pair's id, else the first pair's, else "". The 10-byte rule is not
 * enforced here (the miner may still work for such a pool); check
 * `extranonce1.length + extranonce2Size` against {@link WARTHOG_EXTRANONCE_BYTES}.
 *
 * @throws LodeError('protocol') if the result is not `[subscriptions, extranonce1 hex, extranonce2Size]`
 *   with extranonce1 at most 32 bytes and the size an integer from 0 to 32
 */
export function decodeSubscribeResult(result: unknown): WarthogSubscribeResult {
  if (!Array.isArray(result) || result.length < 3) {
    throw protocolError(`mining.subscribe result ${preview(result)} is not [subscriptions, extranonce1, extranonce2_size]`);
  }
  const [subscriptions, en1, en2Size] = result;
  if (!isHexBytes(en1)) throw protocolError(`extranonce1 ${quote(en1)} is not hex bytes`);
  if (en1.length / 2 > MAX_EXTRANONCE_BYTES) {
    throw protocolError(`extranonce1 is ${en1.length / 2} bytes, at most ${MAX_EXTRANONCE_BYTES} allowed`);
  }
  return {
    extranonce1: Buffer.from(en1, 'hex'),
    extranonce2Size: requireExtranonceSize(en2Size, 'extranonce2_size', MAX_EXTRANONCE_BYTES),
    sessionId: sessionIdOf(subscriptions),
  };
}

function sessionIdOf(subscriptions: unknown): string {
  if (!Array.isArray(subscriptions)) return '';
  const pairs: unknown[] = typeof subscriptions[0] === 'string' ? [subscriptions] : subscriptions;
  let first: string | undefined;
  for (const pair of pairs) {
    if (!Array.isArray(pair) || typeof pair[1] !== 'string') continue;
    if (pair[0] === WarthogMethods.NOTIFY) return pair[1];
    first ??= pair[1];
  }
  return first ?? '';
}

/** Encodes authorize params `[user, password]`. */
export function encodeAuthorizeParams(req: WarthogAuthorizeRequest): unknown[] {
  return [req.workerName, req.password];
}

/**
 * Decodes authorize params `[user, password?]`. A missing or null password
 * reads as "", a numeric one as its decimal text.
 *
 * @throws LodeError('protocol') if the user is not a non-empty string of at
 *   most 256 characters, or the password is neither a string, a number nor null
 */
export function decodeAuthorizeParams(params: unknown[]): WarthogAuthorizeRequest {
  const [workerName, password] = params;
  if (typeof workerName !== 'string' || workerName.length === 0) {
    throw protocolError(`mining.authorize takes [user, password]; user ${show(workerName)} is not a non-empty string`);
  }
  if (workerName.length > MAX_NAME_LENGTH) {
    throw protocolError(`user is ${workerName.length} characters, at most ${MAX_NAME_LENGTH} allowed`);
  }
  if (password === undefined || password === null) return { workerName, password: '' };
  if (typeof password === 'string') return { workerName, password };
  if (typeof password === 'number') return { workerName, password: String(password) };
  throw protocolError(`password ${show(password)} is not a string`);
}

const DECIMAL = /^\s*\+?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/**
 * Reads a difficulty: a JSON number (fractions allowed) or a decimal string.
 * In Warthog the share target is 1/difficulty, with no 2^32 factor
 * (specs/004_8dfd75be62003ef5.txt "Mining.set_difficulty"; facts/warthog.md §3).
 *
 * @returns the difficulty, or undefined unless it is finite and > 0
 */
export function parseDifficulty(value: unknown): number | undefined {
  let n: number | undefined;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && DECIMAL.test(value)) n = Number(value);
  return n !== undefined && Number.isFinite(n) && n > 0 ? n : undefined;
}

/**
 * Encodes `mining.set_difficulty` params `[difficulty]`, the number as is (0.5 stays 0.5).
 *
 * @param difficulty share difficulty (target = 1/difficulty), finite and > 0
 * @throws LodeError('protocol') if difficulty is not finite and positive
 */
export function encodeDifficultyParams(difficulty: number): unknown[] {
  if (!Number.isFinite(difficulty) || difficulty <= 0) {
    throw protocolError(`difficulty ${difficulty} is not a finite number > 0`);
  }
  return [difficulty];
}

/**
 * Decodes `mining.set_difficulty` / `mining.suggest_difficulty` params `[difficulty]`.
 *
 * @throws LodeError('protocol') "<method> takes a positive difficulty, got '<value>'"
 */
export function decodeDifficultyParams(method: string, params: unknown[]): number {
  const d = parseDifficulty(params[0]);
  if (d === undefined) throw protocolError(`${method} takes a positive difficulty, got ${quote(params[0])}`);
  return d;
}

/**
 * Encodes a job as `mining.notify` params (7 items), version as 8 hex
 * digits (the current spec; janusminer parses it as 4 bytes and refuses a number).
 *
 * @throws LodeError('protocol') if a field is out of shape: job id empty,
 *   prevHash not 64 hex digits, merklePrefix not 64 or 128, a uint32 out of range
 * @see facts/warthog.md §7 "notify", §8 rule 8
 */
export function encodeNotifyParams(p: WarthogNotifyParams): unknown[] {
  if (typeof p.jobId !== 'string' || p.jobId.length === 0) throw protocolError('job id is empty');
  return [
    p.jobId,
    requireHexDigits(p.prevHash, 'prevHash', [64]),
    requireHexDigits(p.merklePrefix, 'merklePrefix', [64, 128]),
    uint32ToHex(p.version),
    uint32ToHex(p.nbits),
    uint32ToHex(p.ntime),
    p.clean,
  ];
}

/**
 * Decodes `mining.notify` params. The version is read as 8 hex digits (the
 * current form) or as a JSON integer (the shifupool form, `2`). Items after
 * the seventh are ignored. Hex comes back lower case.
 *
 * @throws LodeError('protocol') naming the first field out of shape, e.g.
 *   "mining.notify takes 7 parameters, got 6", "nbits '0ae7cd' is not 8 hex digits"
 * @see facts/warthog.md §7 "Historical variant"
 */
export function decodeNotifyParams(params: unknown[]): WarthogNotifyParams {
  if (params.length < 7) throw protocolError(`mining.notify takes 7 parameters, got ${params.length}`);
  const [jobId, prevHash, merklePrefix, version, nbits, ntime, clean] = params;
  if (typeof jobId !== 'string' || jobId.length === 0) {
    throw protocolError(`job id ${quote(jobId)} is not a non-empty string`);
  }
  if (typeof clean !== 'boolean') throw protocolError(`clean ${show(clean)} is not a boolean`);
  return {
    jobId,
    prevHash: requireHexDigits(prevHash, 'prevHash', [64]),
    merklePrefix: requireHexDigits(merklePrefix, 'merklePrefix', [64, 128]),
    version: readVersion(version),
    nbits: requireUint32Hex(nbits, 'nbits'),
    ntime: requireUint32Hex(ntime, 'ntime'),
    clean,
  };
}

function readVersion(value: unknown): number {
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 0 && value <= 0xffffffff) return value;
    throw protocolError(`version ${show(value)} is not a uint32`);
  }
  const parsed = parseUint32Hex(value);
  if (parsed === undefined) {
    throw protocolError(`version ${quote(value)} is neither 8 hex digits nor a JSON integer`);
  }
  return parsed;
}

/**
 * Encodes submit params: `[jobId, extranonce2, ntime, nonce]`, or with
 * `legacyWorkerName` the shifupool form `[worker, jobId, extranonce2, ntime, nonce]`.
 *
 * @throws LodeError('protocol') if ntime or nonce is not a uint32
 */
export function encodeSubmitParams(s: WarthogShareSubmission, legacyWorkerName?: string): unknown[] {
  const params = [s.jobId, s.extranonce2.toString('hex'), uint32ToHex(s.ntime), uint32ToHex(s.nonce)];
  return legacyWorkerName === undefined ? params : [legacyWorkerName, ...params];
}

const CURRENT_FIELDS = ['job id', 'extranonce2', 'ntime', 'nonce'];
const LEGACY_FIELDS = ['worker name', ...CURRENT_FIELDS];

/**
 * Splits `mining.submit` params by form: 4 params are the current form, 5
 * the shifupool form whose leading worker name is taken apart (facts/warthog.md
 * §7 recommendation). Every param must be a string and the job id (and the
 * worker name) non-empty.
 *
 * @throws LodeError('protocol', ..., {code: -32602}) naming what is wrong, e.g.
 *   "mining.submit takes 4 parameters [jobId, extranonce2, ntime, nonce] (or 5 with a leading worker name), got 3"
 */
export function readSubmitParams(params: unknown[]): WarthogSubmitParams {
  const n = params.length;
  if (n !== 4 && n !== 5) {
    throw protocolError(
      `mining.submit takes 4 parameters [jobId, extranonce2, ntime, nonce] (or 5 with a leading worker name), got ${n}`,
      StratumErrorCodes.INVALID_PARAMS,
    );
  }
  const names = n === 5 ? LEGACY_FIELDS : CURRENT_FIELDS;
  for (let i = 0; i < n; i++) {
    if (typeof params[i] !== 'string') {
      throw protocolError(
        `mining.submit parameter ${i + 1} (${names[i]}) is ${show(params[i])}, expected a string`,
        StratumErrorCodes.INVALID_PARAMS,
      );
    }
  }
  const strings = params as string[];
  const [workerName, rest] = n === 5 ? [strings[0], strings.slice(1)] : [undefined, strings];
  if (workerName !== undefined && workerName.length === 0) {
    throw protocolError('mining.submit worker name is empty', StratumErrorCodes.INVALID_PARAMS);
  }
  const [jobId, extranonce2, ntime, nonce] = rest;
  if (jobId.length === 0) throw protocolError('mining.submit job id is empty', StratumErrorCodes.INVALID_PARAMS);
  return workerName === undefined
    ? { form: 'current', jobId, extranonce2, ntime, nonce }
    : { form: 'legacy', workerName, jobId, extranonce2, ntime, nonce };
}

/**
 * Parses a submit's fields: extranonce2 hex bytes (exactly `extranonce2Size`
 * bytes when given), ntime and nonce exactly 8 hex digits each, read
 * big-endian (the header bytes in order, facts/warthog.md §2, §8 rule 7).
 *
 * @returns the parsed fields, or the first refused one with its reason and a message saying which
 */
export function parseSubmitFields(p: WarthogSubmitParams, extranonce2Size?: number): WarthogSubmitFields {
  if (!isHexBytes(p.extranonce2)) {
    return { ok: false, reason: 'bad-extranonce2', message: `extranonce2 ${quote(p.extranonce2)} is not hex bytes` };
  }
  const en2Bytes = p.extranonce2.length / 2;
  if (extranonce2Size !== undefined && en2Bytes !== extranonce2Size) {
    return { ok: false, reason: 'bad-extranonce2', message: `extranonce2 is ${en2Bytes} bytes, expected ${extranonce2Size}` };
  }
  const ntime = parseUint32Hex(p.ntime);
  if (ntime === undefined) return { ok: false, reason: 'bad-ntime', message: `ntime ${quote(p.ntime)} is not 8 hex digits` };
  const nonce = parseUint32Hex(p.nonce);
  if (nonce === undefined) return { ok: false, reason: 'bad-nonce', message: `nonce ${quote(p.nonce)} is not 8 hex digits` };
  return { ok: true, extranonce2: Buffer.from(p.extranonce2, 'hex'), ntime, nonce };
}

/**
 * Decodes `mining.submit` params of either form in one step (for proxies and
 * tools; the server session checks subscription and worker in between).
 *
 * @throws LodeError('protocol') with code -32602 for a wrong count or type,
 *   20 for a field out of shape (extranonce2, ntime, nonce)
 */
export function decodeSubmitParams(params: unknown[], extranonce2Size?: number): WarthogDecodedSubmit {
  const raw = readSubmitParams(params);
  const fields = parseSubmitFields(raw, extranonce2Size);
  if (!fields.ok) throw protocolError(fields.message, WarthogErrorCodes.OTHER);
  const decoded: WarthogDecodedSubmit = {
    form: raw.form,
    jobId: raw.jobId,
    extranonce2: fields.extranonce2,
    ntime: fields.ntime,
    nonce: fields.nonce,
  };
  if (raw.workerName !== undefined) decoded.workerName = raw.workerName;
  return decoded;
}

/**
 * Encodes `client.reconnect` params: `[]` for "same place, now", else
 * `[host|null, port as a string|null, waitSeconds]` (the Stratum v1 form
 * cgminer and ckpool use).
 */
export function encodeReconnectParams(r: WarthogReconnect): unknown[] {
  if (r.host === undefined && r.port === undefined && r.waitSeconds === 0) return [];
  return [r.host ?? null, r.port === undefined ? null : String(r.port), r.waitSeconds];
}

/** Decodes `client.reconnect` params leniently: an unreadable item counts as absent. */
export function decodeReconnectParams(params: unknown[]): WarthogReconnect {
  const [host, port, wait] = params;
  const r: WarthogReconnect = { waitSeconds: 0 };
  if (typeof host === 'string' && host.length > 0) r.host = host;
  const p = typeof port === 'string' && /^\d{1,5}$/.test(port) ? Number(port) : port;
  if (typeof p === 'number' && Number.isInteger(p) && p > 0 && p < 65536) r.port = p;
  const w = typeof wait === 'string' && /^\d+$/.test(wait) ? Number(wait) : wait;
  if (typeof w === 'number' && Number.isFinite(w) && w > 0) r.waitSeconds = w;
  return r;
}
