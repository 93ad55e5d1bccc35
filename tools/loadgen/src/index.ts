/* Running the load generator */
export { runLoadgen } from './run/run-loadgen';
export type { RunHooks } from './run/run-loadgen';
export { createDriver } from './run/create-driver';
export { resolveLoadgenOptions, LOADGEN_DEFAULTS, MAX_DURATION_SECONDS, MAX_SESSIONS_CAP } from './options/loadgen-options';
export type { LoadgenOptions } from './options/loadgen-options';
export { parseLoadgenCommandLine } from './cli/loadgen-command';
export type { LoadgenCommandLine } from './cli/loadgen-command';

/* Share kinds and the mix */
export { SHARE_KINDS, zeroByKind } from './mix/share-kind';
export type { ShareKind, ShareMix } from './mix/share-kind';
export { parseShareMix, formatShareMix } from './mix/parse-share-mix';
export { ShareMixScheduler } from './mix/share-mix-scheduler';

/* Dialect drivers */
export { DIALECT_NAMES, REJECT_REASONS } from './dialects/dialect-driver';
export type {
  DialectDriver,
  DialectName,
  DialectSession,
  DriverSessionOptions,
  JobRef,
  PoolReply,
  PreparedShare,
  RejectReason,
  SessionChannel,
  SkippedShare,
} from './dialects/dialect-driver';
export { createBitcoinDriver, parseBitcoinNotify, BITCOIN_DIFF1 } from './dialects/bitcoin/bitcoin-driver';
export type { BitcoinJob } from './dialects/bitcoin/bitcoin-driver';
export { createWarthogDriver, parseWarthogNotify } from './dialects/warthog/warthog-driver';
export type { WarthogJob } from './dialects/warthog/warthog-driver';
export { createEs2Driver } from './dialects/es2/es2-driver';
export { ClassicSession } from './dialects/classic/classic-session';
export type { ClassicCoin, ClassicJob } from './dialects/classic/classic-session';
export { classicReason, readClassicReply, reasonFromMessage } from './dialects/classic/classic-reply';
export { targetFromDifficulty, targetFromCompact, scanTargetOf, hashesPerHit } from './dialects/classic/targets';

/* Sessions and counters */
export { LoadSession } from './session/load-session';
export type { LoadSessionOptions } from './session/load-session';
export { LoadStats } from './stats/load-stats';
export type { KindTally, Outcome } from './stats/load-stats';
export { LatencyHistogram } from './stats/latency-histogram';
export { BoundedCounter, errorKey } from './stats/bounded-counter';

/* Report */
export { buildReport, latencyFigures } from './report/loadgen-report';
export type { LatencyFigures, LoadgenReport } from './report/loadgen-report';
export { formatReport, reportJson } from './report/format-report';

/* A devnet and a pool to run against (--devnet, the end-to-end spec) */
export { startPoolStack } from './stack/pool-stack';
export type { PoolStack, PoolStackOptions } from './stack/pool-stack';
