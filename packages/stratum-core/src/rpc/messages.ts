/** A JSON-RPC id as Stratum uses it: numbers, strings, or null for notifications. */
export type RpcId = number | string | null;

/** An error as a dialect reports it; each codec encodes it in its own form. */
export interface RpcErrorBody {
  code: number;
  message: string;
  data?: unknown;
}

/**
 * Top-level members of a message beyond the codec's own (`id`, `method`,
 * `params`, `result`, `error`, `jsonrpc`). EthProxy miners name their worker
 * in a top-level `"worker"` member of `eth_submitLogin` and `eth_submitWork`
 * (facts/ethash.md §1.1); Lode puts the ETChash `"algo"` hint on job messages
 * the same way (docs/ethstratum.md "ETChash"). Absent when the message has none.
 */
export type RpcExtraMembers = Readonly<Record<string, unknown>>;

/**
 * One decoded line. A codec never throws on peer input: a line that is not a
 * valid message decodes to `invalid`, with the id when one could be read so
 * that the reply can carry it.
 *
 * `P` is the type of `params` in the codec's dialect: `unknown[]` for Stratum
 * v1 (the default), `Eip1571Params` for EthereumStratum/2.0.0 (arrays,
 * objects, a string, or `undefined` when the member is absent).
 *
 * - `response.result` is `undefined` when the member is absent (EIP-1571's
 *   short success form `{"id":2}`), `null` when it was sent as null.
 * - `invalid.code` is the error code the codec suggests for a reply, when the
 *   dialect has one for malformed input (EIP-1571: 400); the classic codec
 *   leaves it out.
 */
export type RpcMessage<P = unknown[]> =
  | { type: 'request'; id: number | string; method: string; params: P; extra?: RpcExtraMembers }
  | { type: 'notification'; method: string; params: P; extra?: RpcExtraMembers }
  | { type: 'response'; id: RpcId; result: unknown; error: RpcErrorBody | null }
  | { type: 'invalid'; id: RpcId; reason: string; code?: number };

/**
 * Encodes and decodes one dialect's JSON-RPC framing (one message per line,
 * no terminator). The classic Stratum codec and EIP-1571's live side by side.
 *
 * `decode` never throws; the `encode*` methods may throw LodeError('protocol')
 * for a value the dialect cannot carry (e.g. EIP-1571 ids beyond 65535, an
 * extra member that would overwrite one of the codec's own, or any extra
 * member in EIP-1571, which has none).
 */
export interface RpcCodec<P = unknown[]> {
  readonly name: string;
  decode(line: string): RpcMessage<P>;
  encodeRequest(id: number | string, method: string, params: P): string;
  /** `extra`: top-level members added after the codec's own (see {@link RpcExtraMembers}) */
  encodeNotification(method: string, params: P, extra?: RpcExtraMembers): string;
  /** `extra`: top-level members added after the codec's own (see {@link RpcExtraMembers}) */
  encodeResult(id: RpcId, result: unknown, extra?: RpcExtraMembers): string;
  encodeError(id: RpcId, error: RpcErrorBody): string;
}
