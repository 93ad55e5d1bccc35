/**
 * @lode/pool-engine: the dialect-neutral pool for one coin. Jobs from the
 * coin's node, miner sessions, the share path (stale / duplicate / coin rules
 * / difficulty per job), block submission, statistics, and the ports it
 * persists through. See DESIGN.md "One share through the pool".
 */

/* The engine */
export { PoolEngine } from './pool-engine';
export type { PoolEngineConfig } from './pool-engine-config';
export type { PoolEngineOptions } from './pool-engine-options';
export type { EngineMetrics } from './engine-metrics';

/* Jobs */
export { JobManager } from './jobs/job-manager';
export type { JobManagerOptions } from './jobs/job-manager-options';
export type { JobBroadcast } from './jobs/job-broadcast';
export type { JobLookup } from './jobs/job-lookup';

/* Sessions */
export { MinerSession } from './sessions/miner-session';
export type { SessionServices } from './sessions/session-services';
export type { CreateSessionOptions } from './sessions/create-session-options';
export type { SessionEvent } from './sessions/session-event';
export type { SubscribeRequest } from './sessions/subscribe-request';
export type { SubscribeResult } from './sessions/subscribe-result';
export type { AuthorizeRequest } from './sessions/authorize-request';
export type { SubmitRequest } from './sessions/submit-request';
export type { WorkerAuthorizer } from './sessions/worker-authorizer';
export type { MinerInfo } from './sessions/miner-info';

/* The share path */
export { ShareValidator } from './shares/share-validator';
export type { ShareValidatorOptions } from './shares/share-validator-options';
export type { ShareCheck } from './shares/share-check';
export type { ShareJudgement } from './shares/share-judgement';
export { BlockSubmitter } from './shares/block-submitter';
export type { BlockCandidate } from './shares/block-candidate';
export type { FoundBlock } from './shares/found-block';

/* Ports and their in-memory defaults */
export type { DuplicateIndex } from './ports/duplicate-index';
export { MemoryDuplicateIndex } from './ports/memory-duplicate-index';
export type { ExtranonceLeases } from './ports/extranonce-leases';
export type { TemplateBus } from './ports/template-bus';
export type { ShareStore } from './stores/share-store';
export type { ShareRecord } from './stores/share-record';
export { MemoryShareStore } from './stores/memory-share-store';
export type { SessionStore } from './stores/session-store';
export type { SessionRecord } from './stores/session-record';
export { MemorySessionStore } from './stores/memory-session-store';

/* DI */
export { SHARE_STORE } from './stores/share-store-token';
export { SESSION_STORE } from './stores/session-store-token';
export { poolEngineModule } from './stores/pool-engine-module';

/* Statistics */
export { WorkerStats } from './stats/worker-stats';
export type { WorkerStatsOptions } from './stats/worker-stats-options';
export type { StatsSnapshot } from './stats/stats-snapshot';
export type { WorkerStatsEntry } from './stats/worker-stats-entry';
export type { PoolStatsTotals } from './stats/pool-stats-totals';

/* Rewards */
export { propSplit } from './rewards/prop-split';
export { pplnsSplit } from './rewards/pplns-split';
export { soloSplit } from './rewards/solo-split';
export type { RewardShare } from './rewards/reward-share';
export type { RewardSplit } from './rewards/reward-split';

/* Protection: bans and reject escalation */
export * from './protection';
