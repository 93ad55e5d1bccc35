import { classicCodec, eip1571Codec, jsonRpc2Codec, type Eip1571Params, type RpcCodec, type RpcPeerOptions } from '@lode/stratum-core';
import { ETHPROXY_PUSH_METHOD, type EthClassicDialect, type EthDialect } from '../classic/classic-contract';

/** The codec and RpcPeer options a dialect's session needs (see {@link ethCodecFor}). */
export interface EthDialectCodec<P> {
  codec: RpcCodec<P>;
  /** request-id options of the RpcPeer (the caller adds its logger, timeouts) */
  peerOptions: RpcPeerOptions;
}

/** Last EIP-1571 request id: ids are integers 0..65535 (facts/ethash.md §1.3). */
const EIP1571_MAX_ID = 65535;

const ETHPROXY_CODEC = jsonRpc2Codec({ pushMethod: ETHPROXY_PUSH_METHOD });

/**
 * The RpcCodec and RpcPeer options of each Ethereum dialect (facts/ethash.md §1.6 "JSON-RPC envelope"):
 *
 * - `es2` (EthereumStratum/2.0.0): `eip1571Codec`, request ids 0..65535
 *   (`firstRequestId` 0, `maxRequestId` 65535);
 * - `es1` (EthereumStratum/1.0.0) and `plain`: `classicCodec` (Stratum v1, error triples);
 * - `ethproxy`: `jsonRpc2Codec` with `pushMethod` {@link ETHPROXY_PUSH_METHOD},
 *   so the session's pushes go out as `{"id":0,"jsonrpc":"2.0","result":[...]}`.
 *
 * Build the RpcPeer with these and the session right after, synchronously.
 */
export function ethCodecFor(dialect: 'es2'): EthDialectCodec<Eip1571Params>;
export function ethCodecFor(dialect: EthClassicDialect): EthDialectCodec<unknown[]>;
export function ethCodecFor(dialect: EthDialect): EthDialectCodec<Eip1571Params> | EthDialectCodec<unknown[]>;
export function ethCodecFor(dialect: EthDialect): EthDialectCodec<Eip1571Params> | EthDialectCodec<unknown[]> {
  switch (dialect) {
    case 'es2':
      return { codec: eip1571Codec, peerOptions: { firstRequestId: 0, maxRequestId: EIP1571_MAX_ID } };
    case 'ethproxy':
      return { codec: ETHPROXY_CODEC, peerOptions: {} };
    case 'es1':
    case 'plain':
      return { codec: classicCodec, peerOptions: {} };
  }
}
