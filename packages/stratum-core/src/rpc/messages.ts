/** A JSON-RPC id as Stratum uses it: numbers, strings, or null for notifications. */
export type RpcId = number | string | null;

/** An error as a dialect reports it; each codec encodes it in its own form. */
export interface RpcErrorBody {
  code: number;
  message: string;
  data?: unknown;
}

/**
 * One decoded line. A codec never throws on peer input: a line that is not a
 * valid message decodes to `invalid`, with the id when one could be read so
 * that the reply can carry it.
 */
export type RpcMessage =
  | { type: 'request'; id: number | string; method: string; params: unknown[] }
  | { type: 'notification'; method: string; params: unknown[] }
  | { type: 'response'; id: RpcId; result: unknown; error: RpcErrorBody | null }
  | { type: 'invalid'; id: RpcId; reason: string };

/**
 * Encodes and decodes one dialect's JSON-RPC framing (one message per line,
 * no terminator). The classic Stratum codec and EIP-1571's live side by side.
 */
export interface RpcCodec {
  readonly name: string;
  decode(line: string): RpcMessage;
  encodeRequest(id: number | string, method: string, params: unknown[]): string;
  encodeNotification(method: string, params: unknown[]): string;
  encodeResult(id: RpcId, result: unknown): string;
  encodeError(id: RpcId, error: RpcErrorBody): string;
}
