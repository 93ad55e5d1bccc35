/**
 * What went wrong, at the level a caller can act on.
 *
 * - `framing`: bytes that are not a line (overlong, not text)
 * - `protocol`: a line that is not a valid message of the dialect
 * - `share`: a share that was refused (the reply carries the dialect's code)
 * - `plugin`: a coin plugin could not be found or loaded
 * - `node`: the coin's node answered with an error or not at all
 * - `store`: a persistence port failed
 * - `config`: the configuration is invalid
 * - `connection`: a socket failed, timed out or was closed
 */
export type LodeErrorKind =
  | 'framing'
  | 'protocol'
  | 'share'
  | 'plugin'
  | 'node'
  | 'store'
  | 'config'
  | 'connection';

const BRAND = Symbol.for('lode.LodeError');

/** Options of a LodeError: the standard `cause`, plus a protocol error code when there is one. */
export interface LodeErrorOptions extends ErrorOptions {
  /** the dialect's numeric error code (e.g. Stratum v1 21 "Job not found") */
  code?: number;
  /** the error's `data` member as the peer sent it */
  data?: unknown;
}

/**
 * The one error class Lode throws; `cause` keeps the underlying error.
 *
 * The message names the value and the rule ("extranonce2 is 3 bytes, the job
 * expects 4"). `LodeError.is(e, kind)` works across copies of this package
 * (the brand is a `Symbol.for`).
 */
export class LodeError extends Error {
  readonly [BRAND] = true;
  /** the dialect's error code, when the error came from (or goes to) a peer */
  readonly code?: number;
  readonly data?: unknown;

  constructor(
    readonly kind: LodeErrorKind,
    message: string,
    options?: LodeErrorOptions,
  ) {
    super(message, options);
    this.name = 'LodeError';
    this.code = options?.code;
    this.data = options?.data;
  }

  /** True when `e` is a LodeError (of `kind`, when given). */
  static is(e: unknown, kind?: LodeErrorKind): e is LodeError {
    return (
      typeof e === 'object' &&
      e !== null &&
      (e as Record<symbol, unknown>)[BRAND] === true &&
      (kind === undefined || (e as LodeError).kind === kind)
    );
  }
}
