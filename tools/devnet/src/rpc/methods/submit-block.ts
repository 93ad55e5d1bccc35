import type { RpcMethod } from '../rpc-method';
import { stringParam } from '../rpc-params';

/**
 * `submitblock "hexdata" ( "dummy" )`: null when accepted, else bitcoind's
 * reason string; error -22 "Block decode failed" for hex that is not a block.
 *
 * @see BIP 22 "Block Submission"; Bitcoin Core src/rpc/mining.cpp (submitblock)
 */
export const submitBlockMethod: RpcMethod = {
  name: 'submitblock',
  params: ['hexdata', 'dummy'],
  handle(params, { node }) {
    return node.submitBlock(stringParam(params[0]));
  },
};
