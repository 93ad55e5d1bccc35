import { LodeError, StratumErrorCodes } from '@lode/stratum-core';
import type { LodeLogger, RpcErrorBody } from '@lode/stratum-core';
import { WarthogErrorCodes } from '../errors';
import type { WarthogSubscribeResult } from '../messages';
import type { WarthogServerHandler } from './server-handler';

/** A session's mutable state, shared by its method handlers. */
export interface ServerSessionState {
  subscribe: 'none' | 'pending' | 'done';
  subscription?: WarthogSubscribeResult;
  userAgent?: string;
  /** workers authorized on this connection */
  readonly authorizedWorkers: Set<string>;
  /** the worker whose authorize succeeded last: 4-parameter submits are credited to it */
  lastAuthorized?: string;
  extranonceSubscribed: boolean;
}

/** What one method handler gets: the pool's handler, the session state, the bounds. */
export interface ServerMethodContext {
  readonly handler: WarthogServerHandler;
  readonly state: ServerSessionState;
  readonly logger: LodeLogger;
  readonly maxWorkers: number;
}

/** The one reply a request gets: a result, or an error body. */
export type MethodReply = { result: unknown } | { error: RpcErrorBody };

/** Validates one method's params and produces its reply. Never throws for peer input. */
export type ServerMethodHandler = (ctx: ServerMethodContext, params: unknown[]) => MethodReply | Promise<MethodReply>;

export function ok(result: unknown): MethodReply {
  return { result };
}

export function fail(code: number, message: string): MethodReply {
  return { error: { code, message } };
}

/** -32602 with the message of the LodeError a decoder threw. */
export function invalidParams(err: unknown): MethodReply {
  return fail(StratumErrorCodes.INVALID_PARAMS, err instanceof Error ? err.message : String(err));
}

/**
 * The reply when the pool's handler threw: its own code and message when it
 * threw a LodeError carrying a code, else 20 without internals (they are logged).
 */
export function handlerFailure(ctx: ServerMethodContext, method: string, err: unknown): MethodReply {
  if (LodeError.is(err) && err.code !== undefined) return fail(err.code, err.message);
  ctx.logger.error({ err, method }, `${method} handler failed`);
  return fail(WarthogErrorCodes.OTHER, `${method} failed: internal error`);
}
