// The native Janushash hasher (facts/warthog.md §1, §5).
export { loadWarthogNative } from './load-warthog-native';
export type { WarthogNative } from './load-warthog-native';
export type {
  CustomFloatSteps,
  CustomFloatValue,
  JanusHash,
  ScanHit,
  ScanOptions,
  ScanResult,
} from '../../native/index';
