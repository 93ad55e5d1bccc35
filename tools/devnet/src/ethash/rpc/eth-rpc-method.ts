import type { EthashDevnetNode } from '../node/ethash-devnet-node';

/** What a method handler gets besides its parameters. */
export interface EthRpcContext {
  node: EthashDevnetNode;
}

/**
 * One JSON-RPC method of the ethash devnet: its name, its positional
 * parameters (names for documentation; how many are required) and its
 * handler. The dispatcher checks the count with geth's messages; the handler
 * decodes each value and throws LodeError('node', {code}) for an RPC error.
 */
export interface EthRpcMethod {
  name: string;
  params: readonly string[];
  /** how many leading parameters must be present (default: all) */
  required?: number;
  handle(params: readonly unknown[], context: EthRpcContext): unknown;
}
