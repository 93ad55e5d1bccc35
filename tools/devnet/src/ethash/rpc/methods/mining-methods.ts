import type { EthRpcMethod } from '../eth-rpc-method';
import { fixedHexParam, uint64Param } from '../geth-params';

/**
 * `eth_getWork` -> ["0x" + seal hash, "0x" + seed hash, "0x" + boundary
 * (64 hex digits, zero-padded), "0x" + block number (quantity)]: core-geth's
 * 4-element `makeWork`.
 *
 * @see facts/ethash.md §1.1, §5.3
 */
export const getWorkMethod: EthRpcMethod = {
  name: 'eth_getWork',
  params: [],
  handle: (_params, { node }) => node.getWork(),
};

/**
 * `eth_submitWork [nonce, sealHash, mixDigest]` -> true when the seal is
 * valid and within 7 blocks of the head, else false (see
 * EthashDevnetNode.submitWork). Parameters as geth decodes them:
 * nonce `types.BlockNonce` ("0x" + 16 hex digits), sealHash and mixDigest
 * `common.Hash` ("0x" + 64); otherwise -32602 "invalid argument N: ...".
 *
 * @see facts/ethash.md §1.1, §5.3; go-ethereum eth/api / consensus/ethash/api.go (SubmitWork)
 */
export const submitWorkMethod: EthRpcMethod = {
  name: 'eth_submitWork',
  params: ['nonce', 'sealHash', 'mixDigest'],
  handle(params, { node }) {
    const nonce = fixedHexParam(params[0], 0, 8, 'types.BlockNonce');
    const sealHash = fixedHexParam(params[1], 1, 32, 'common.Hash');
    const mix = fixedHexParam(params[2], 2, 32, 'common.Hash');
    return node.submitWork(nonce.readBigUInt64BE(0), sealHash, mix);
  },
};

/**
 * `eth_submitHashrate [hashrate, id]` -> true. hashrate `hexutil.Uint64`
 * (H/s as a quantity, no leading zeros), id `common.Hash` (32 bytes).
 *
 * @see facts/ethash.md §1.1; go-ethereum consensus/ethash/api.go (SubmitHashrate)
 */
export const submitHashrateMethod: EthRpcMethod = {
  name: 'eth_submitHashrate',
  params: ['hashrate', 'id'],
  handle(params, { node }) {
    const hashrate = uint64Param(params[0], 0);
    const id = fixedHexParam(params[1], 1, 32, 'common.Hash');
    return node.submitHashrate(hashrate, `0x${id.toString('hex')}`);
  },
};
