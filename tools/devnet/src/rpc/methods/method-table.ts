import type { RpcMethod } from '../rpc-method';
import {
  getBestBlockHashMethod,
  getBlockchainInfoMethod,
  getBlockCountMethod,
  getBlockHashMethod,
  getBlockHeaderMethod,
  getDifficultyMethod,
  getMiningInfoMethod,
  getNetworkInfoMethod,
} from './chain-queries';
import { getBlockTemplateMethod } from './get-block-template';
import { submitBlockMethod } from './submit-block';

/** Every RPC method the devnet answers, by name; any other name gets -32601 "Method not found". */
export const DEVNET_METHODS: ReadonlyMap<string, RpcMethod> = new Map(
  [
    getBlockTemplateMethod,
    submitBlockMethod,
    getBlockchainInfoMethod,
    getBestBlockHashMethod,
    getBlockCountMethod,
    getBlockHashMethod,
    getBlockHeaderMethod,
    getDifficultyMethod,
    getMiningInfoMethod,
    getNetworkInfoMethod,
  ].map((m) => [m.name, m]),
);
