/* The shared plugin conformance suite (@lode/plugin-api/conformance): jest only */
export { describePluginConformance, DEFAULT_CONFORMANCE_TIMEOUT_MS } from './describe-plugin-conformance';
export type { ConformanceHeaderVector, ConformanceShare, PluginConformanceFixture } from './plugin-conformance-fixture';
export { PluginConformanceError } from './plugin-conformance-error';

/* The checks, for a plugin that wants one outside the suite */
export { checkManifest } from './check-manifest';
export { loadCoin } from './load-coin';
export type { LoadedCoin } from './load-coin';
export { contractProblems, KNOWN_DIALECTS } from './contract-problems';
export { checkHeaderVector, checkShareHash } from './check-share-hash';
export { checkScan, DEFAULT_EPOCH_SCAN_COUNT, DEFAULT_NATIVE_SCAN_COUNT, DEFAULT_SCAN_TARGET } from './check-scan';
export type { ScanCheckResult } from './check-scan';
export { checkDifficultyRoundTrip, difficultiesOf, DEFAULT_DIFFICULTIES, DIFFICULTY_TOLERANCE } from './check-difficulties';
export { checkHeaderDependsOnShare } from './check-header-depends-on-share';
