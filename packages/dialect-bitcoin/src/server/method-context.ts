import { LodeError } from '@lode/stratum-core';
import type { LodeLogger, RpcErrorBody } from '@lode/stratum-core';
import type { ConfigureServerContext, ConfigureSessionState } from '../configure/configure-extension';
import type { ConfigureRegistry } from '../configure/registry';
import { BitcoinErrorCodes } from '../errors';
import type { SubscribeResult } from '../messages';
import type { BitcoinServerHandler, VersionRollingOptions } from './server-handler';

/** A session's mutable state, shared by its method handlers. */
export interface ServerSessionState extends ConfigureSessionState {
  subscribe: 'none' | 'pending' | 'done';
  subscription?: SubscribeResult;
  /** the extranonce2 size before the last set_extranonce: shares on older jobs still use it */
  previousExtranonce2Size?: number;
  userAgent?: string;
  readonly authorizedWorkers: Set<string>;
}

/** What one method handler gets: the pool's handler, the session state, the policy seams. */
export interface ServerMethodContext extends ConfigureServerContext {
  readonly handler: BitcoinServerHandler;
  readonly state: ServerSessionState;
  readonly logger: LodeLogger;
  /** the port's policy; its serverMask may change at run time (BitcoinServerSession.setServerMask) */
  versionRolling: VersionRollingOptions | undefined;
  readonly configure: ConfigureRegistry;
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

/**
 * The reply when the pool's handler threw: its own code and message when it
 * threw a LodeError carrying a code, else 20 without internals (they are logged).
 */
export function handlerFailure(ctx: ServerMethodContext, method: string, err: unknown): MethodReply {
  if (LodeError.is(err) && err.code !== undefined) return fail(err.code, err.message);
  ctx.logger.error({ err, method }, `${method} handler failed`);
  return fail(BitcoinErrorCodes.OTHER, `${method} failed: internal error`);
}
