// The native ethash/ETChash hasher (facts/ethash.md §2, §7.1).
export { loadEthashNative } from './load-ethash-native';
export type { EthashNative } from './load-ethash-native';
export type {
  Dataset,
  EthashResult,
  EthashScanHit,
  EthashScanResult,
  LightCache,
} from '../../native/index';
