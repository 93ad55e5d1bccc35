import { rpcError, RpcErrorCode } from '../rpc-errors';
import type { RpcMethod } from '../rpc-method';
import { objectParam, stringParam } from '../rpc-params';

/**
 * `getblocktemplate [template_request]` (BIP 22, BIP 23, BIP 9, BIP 145).
 *
 * - mode "template" (default): `rules` must include "segwit", else error -8
 *   "getblocktemplate must be called with the segwit rule set (call with
 *   {"rules": ["segwit"]})"; with `longpollid` equal to the current one the
 *   reply waits for a new tip or mempool refresh (at most the long-poll
 *   timeout); returns a BlockTemplate
 * - mode "proposal" with `data` (block hex): null, or a reason string
 * - any other mode: error -8 "Invalid mode"
 *
 * @see Bitcoin Core src/rpc/mining.cpp (getblocktemplate)
 */
export const getBlockTemplateMethod: RpcMethod = {
  name: 'getblocktemplate',
  params: ['template_request'],
  async handle(params, { node, signal }) {
    const request = objectParam(params[0]);
    const mode = request['mode'] === undefined ? 'template' : stringParam(request['mode']);
    if (mode === 'proposal') {
      if (typeof request['data'] !== 'string') throw rpcError(RpcErrorCode.TYPE_ERROR, 'Missing data String key for proposal');
      return node.proposeBlock(request['data']);
    }
    if (mode !== 'template') throw rpcError(RpcErrorCode.INVALID_PARAMETER, 'Invalid mode');
    const rules = Array.isArray(request['rules']) ? request['rules'] : [];
    if (!rules.includes('segwit')) {
      throw rpcError(RpcErrorCode.INVALID_PARAMETER, 'getblocktemplate must be called with the segwit rule set (call with {"rules": ["segwit"]})');
    }
    const longpollid = request['longpollid'];
    if (longpollid !== undefined) {
      // bitcoind watches the current tip when longpollid is not a string
      await node.waitForTemplateChange(typeof longpollid === 'string' ? longpollid : node.longPollId(), signal);
    }
    return node.template();
  },
};
