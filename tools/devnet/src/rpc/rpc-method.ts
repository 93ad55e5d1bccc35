import type { DevnetNode } from '../node/devnet-node';

/** What a method handler gets besides its parameters. */
export interface RpcContext {
  node: DevnetNode;
  /** aborted when the client goes away (ends a long poll early) */
  signal: AbortSignal;
}

/**
 * One RPC method: its name, the names of its positional parameters (so that
 * named parameters map onto them, as bitcoind allows), and its handler.
 * A handler throws LodeError('node', {code}) for an RPC error.
 */
export interface RpcMethod {
  name: string;
  params: readonly string[];
  handle(params: readonly unknown[], context: RpcContext): unknown;
}
