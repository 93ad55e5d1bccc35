import { LodeError } from '@lode/stratum-core';
import type { LodeLogger, RpcErrorBody } from '@lode/stratum-core';
import { ethError, EthStratumErrors } from '../errors';
import type { EthErrorEntry } from '../errors';
import type { ReplyMalformedKind } from '../malformed';
import type { EthHelloRequest } from '../messages/hello';
import type { JobExtranonces } from './job-extranonces';
import type { EthStratumServerHandler } from './server-handler';

/** The session's options with every default filled in. */
export interface ResolvedServerOptions {
  node: string;
  encoding: 'plain' | 'gzip';
  resume: boolean;
  timeoutSeconds: number;
  maxErrors: number;
  hashrateMinIntervalMs: number;
  maxWorkers: number;
  maxPendingRequests: number;
  reconnectGraceMs: number;
  now: () => number;
}

/** A session's mutable state, shared by its method handlers. */
export interface EthServerSessionState {
  /** what the miner said in an accepted `mining.hello`; undefined until then */
  hello?: EthHelloRequest;
  subscribe: 'none' | 'pending' | 'done';
  sessionId?: string;
  resumed: boolean;
  /** the extranonce for a submit on a job this connection did not send: the last one sent, else the subscription's */
  currentExtranonce: Buffer;
  /** worker token -> worker name */
  readonly workersByToken: Map<string, string>;
  /** worker name -> worker token */
  readonly tokensByWorker: Map<string, string>;
  /** the index of the next token (`w-<index>`), 1-based, in authorization order */
  nextTokenIndex: number;
  /** worker name -> when its last hashrate report was accepted, ms */
  readonly lastHashrateAt: Map<string, number>;
  readonly jobExtranonces: JobExtranonces;
}

/** What one method handler gets: the pool's handler, the session state, options and the session's actions. */
export interface EthServerMethodContext {
  readonly handler: EthStratumServerHandler;
  readonly state: EthServerSessionState;
  readonly options: ResolvedServerOptions;
  readonly logger: LodeLogger;
  /** switches the peer to `gzipLineCodec(eip1571Codec)` (call it after the hello reply is written) */
  switchToGzip(): void;
  /** closes the connection with a logged reason */
  close(reason: string): void;
}

/**
 * The one reply a request gets: a result (undefined = the short form
 * `{"id":n}`) or an error body; `after` runs right after the reply is written.
 * `malformed` marks an error reply that refuses a malformed message: the
 * session reports it to `handler.malformed` (see {@link malformedReply}).
 */
export type MethodReply = ({ result: unknown } | { error: RpcErrorBody }) & { after?: () => void; malformed?: ReplyMalformedKind };

/** Validates one method's params and produces its reply. Never throws for peer input. */
export type EthServerMethodHandler = (
  ctx: EthServerMethodContext,
  params: unknown,
) => MethodReply | Promise<MethodReply>;

export function ok(result?: unknown): MethodReply {
  return { result };
}

export function fail(entry: EthErrorEntry, detail?: string): MethodReply {
  return { error: ethError(entry, detail) };
}

/**
 * 400 "Bad request: <detail>" for a malformed request, which the session
 * reports to `handler.malformed`: `bad-params` (the default) for params of
 * a known method out of shape, `not-request` for a request out of place
 * (a second hello or subscribe). Never for a share rejection.
 */
export function malformedReply(detail: string, kind: ReplyMalformedKind = 'bad-params'): MethodReply {
  return { error: ethError(EthStratumErrors.BAD_REQUEST, detail), malformed: kind };
}

/**
 * The reply when the pool's handler threw: its own code and message when it
 * threw a LodeError carrying a code, else 500 without internals (they are logged).
 */
export function handlerFailure(ctx: EthServerMethodContext, method: string, err: unknown): MethodReply {
  if (LodeError.is(err) && err.code !== undefined) return { error: { code: err.code, message: err.message } };
  ctx.logger.error({ err, method }, `${method} handler failed`);
  return fail(EthStratumErrors.INTERNAL, `${method} failed`);
}
