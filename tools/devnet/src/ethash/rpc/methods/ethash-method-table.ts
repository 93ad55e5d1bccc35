import type { EthRpcMethod } from '../eth-rpc-method';
import {
  blockNumberMethod,
  chainIdMethod,
  clientVersionMethod,
  getBlockByNumberMethod,
  netVersionMethod,
  syncingMethod,
} from './chain-methods';
import { getWorkMethod, submitHashrateMethod, submitWorkMethod } from './mining-methods';

/** Every RPC method the ethash devnet answers, by name; any other name gets -32601. */
export const ETHASH_DEVNET_METHODS: ReadonlyMap<string, EthRpcMethod> = new Map(
  [
    getWorkMethod,
    submitWorkMethod,
    submitHashrateMethod,
    blockNumberMethod,
    getBlockByNumberMethod,
    chainIdMethod,
    netVersionMethod,
    syncingMethod,
    clientVersionMethod,
  ].map((m) => [m.name, m]),
);
