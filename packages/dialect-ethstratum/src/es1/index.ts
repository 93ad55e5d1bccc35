/* NiceHash EthereumStratum/1.0.0 ("stratum2"): facts/ethash.md §1.2 */
export { ES1_DIFF1_TARGET, es1DifficultyFromTarget, es1TargetFromDifficulty } from './es1-difficulty';
export { ES1_MAX_EXTRANONCE_BYTES, ES1_NONCE_BYTES, Es1Methods } from './es1-methods';
export { ES1_UNKNOWN_METHOD_KEY, Es1ServerSession } from './es1-server-session';
export { Es1ClientSession } from './es1-client-session';
export type { Es1ClientCounters } from './es1-client-session';
