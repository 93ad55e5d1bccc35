/* Session fuzzing helpers shared by the dialect packages' fuzz specs (@lode/stratum-core/fuzz); needs fast-check. docs/fuzzing.md */
export { arrayParamsMutation, fuzzRuns, hostileValue, internalErrorLogger, mutatedRequest } from './session-fuzz';
export type { ArrayParamsMutation, FuzzRuns } from './session-fuzz';
