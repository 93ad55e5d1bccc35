import type { CoinPlugin } from '@lode/plugin-api';
import type { LodeLogger } from '@lode/stratum-core';
import type { EngineMetrics } from '../engine-metrics';
import type { JobManager } from '../jobs/job-manager';
import type { ShareValidator } from '../shares/share-validator';
import type { WorkerStats } from '../stats/worker-stats';
import type { SessionStore } from '../stores/session-store';
import type { ShareStore } from '../stores/share-store';
import type { ExtranonceSource } from './extranonce-source';
import type { WorkerAuthorizer } from './worker-authorizer';

/**
 * What a {@link MinerSession} shares with its engine. The engine builds one
 * and hands it to every session it creates; apps never build it.
 */
export interface SessionServices {
  plugin: CoinPlugin;
  jobs: JobManager;
  validator: ShareValidator;
  /** extranonce1 values: allocation, resume holds, cluster claims (internal to the engine) */
  extranonces: ExtranonceSource;
  sessionStore: SessionStore;
  shareStore: ShareStore;
  stats: WorkerStats;
  logger: LodeLogger;
  authorizeWorker: WorkerAuthorizer;
  /** this pool instance's id, written into every ShareRecord (`instance`, and `id` = "<instanceId>:<sequence>") */
  instanceId: string;
  /** extranonce2 size, bytes */
  extranonce2Size: number;
  /** jobs each session's ledger keeps */
  ledgerCapacity: number;
  /** how long a closed session's extranonce1 stays reserved for resume, ms (0 = no resume) */
  resumeWindowMs: number;
  /** the engine's metrics observer, when the app gave one */
  metrics?: EngineMetrics;
  /** clock, ms since epoch */
  now(): number;
  /** true once the engine is stopping: new submits are refused so that the wait for in-flight ones ends */
  stopping(): boolean;
  /** a submit began (counted so that the engine's stop can wait for it); called synchronously from submit() */
  submitStarted(): void;
  /** that submit was answered (or threw); once per submitStarted() */
  submitEnded(): void;
  /** the session closed: the engine forgets it */
  closed(session: object): void;
}
