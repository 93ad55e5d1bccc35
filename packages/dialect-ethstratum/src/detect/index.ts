export { ETH_DIALECT_NAMES, ETH_DIALECT_SCHEMES, ETH_DIALECTS, ETH_FIRST_METHODS, detectEthDialect } from './detect-eth-dialect';
export type { EthDetection } from './detect-eth-dialect';
export { ethCodecFor } from './eth-codec-for';
export type { EthDialectCodec } from './eth-codec-for';
