import type { MalformedKind } from '@lode/stratum-core';

/**
 * The malformed kinds a method handler of the EthereumStratum/2.0.0 or
 * classic server sessions decides itself and marks on its error reply:
 * wrong params of a known method, or a request refused as out of place
 * (stratum-core MalformedKind). Not exported from the package.
 */
export type ReplyMalformedKind = Extract<MalformedKind, 'bad-params' | 'not-request'>;
