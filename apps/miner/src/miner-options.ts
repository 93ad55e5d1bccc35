import type { CoinPlugin } from '@lode/plugin-api';
import type { LodeLogger } from '@lode/stratum-core';
import type { BackoffOptions } from './backoff';

/** The version the miner reports in its user agent (`lode-miner/0.1.0`). */
export const MINER_VERSION = '0.1.0';

/** What a {@link Miner} mines with and where. */
export interface MinerOptions {
  /** the pool: stratum+tcp://host:port, or stratum+ssl:// / stratum+tls:// for TLS */
  url: string;
  /** worker name sent in `mining.authorize` and every `mining.submit` */
  user: string;
  /** password sent in `mining.authorize`; default "x" */
  password?: string;
  /** the coin plugin (its header builder, difficulty-1 target and native hasher); must speak the "bitcoin" dialect */
  coin: CoinPlugin;
  /** native scan threads, >= 1 */
  threads: number;
  /** share difficulty to ask for with `mining.suggest_difficulty` after subscribing; none by default */
  suggestDifficulty?: number;
  /** send `mining.extranonce.subscribe` (honour `mining.set_extranonce`); default true */
  extranonceSubscribe?: boolean;
  /** ms between stats lines; default 5000; 0 turns them off */
  statsIntervalMs?: number;
  /** user agent in `mining.subscribe`; default `lode-miner/<MINER_VERSION>` */
  userAgent?: string;
  /** default silent */
  logger?: LodeLogger;
  /** TCP/TLS connect timeout in ms; default 10000 */
  connectTimeoutMs?: number;
  /** TLS options for stratum+ssl / stratum+tls */
  tls?: { rejectUnauthorized?: boolean; ca?: string | Buffer };
  /** reconnect delays; default 1 s doubling to 60 s */
  backoff?: BackoffOptions;
  /** seconds of work one scan chunk aims at; default 0.375 */
  chunkSeconds?: number;
  /** submissions awaiting the pool's answer at once; hits beyond are dropped and counted; default 64 */
  maxInFlightSubmits?: number;
}

/** Counters and rates of a running miner. */
export interface MinerStats {
  /** hashes per second over the last stats window (wall clock; idle time counts) */
  hashrate: number;
  /** smoothed hashes per second while scanning; undefined before the first chunk */
  scanRate: number | undefined;
  totalHashes: number;
  /** shares the pool accepted */
  accepted: number;
  /** shares the pool refused (its error reply) */
  rejected: number;
  /** hits not submitted: their job was cleaned away or their connection is gone */
  stale: number;
  /** hits dropped because `maxInFlightSubmits` submissions were already waiting */
  dropped: number;
  /** submissions that got no answer (connection closed or request timed out) */
  lost: number;
  threads: number;
  /** the native hasher's code path, e.g. "sha-ni" */
  implementation: string;
}

/** What a miner reports on `events$`, in order; each has a matching log line. */
export type MinerEvent =
  | { type: 'connecting'; url: string; attempt: number }
  | { type: 'connected'; url: string }
  | { type: 'subscribed'; extranonce1: string; extranonce2Size: number; sessionId: string }
  | { type: 'authorized'; worker: string }
  | { type: 'job'; jobId: string; difficulty: number; clean: boolean }
  | { type: 'accepted'; jobId: string; nonce: number; extranonce2: string; difficulty: number; accepted: number }
  | { type: 'rejected'; jobId: string; nonce: number; message: string; code: number | undefined; rejected: number }
  | { type: 'disconnected'; reason: string; retryInMs: number }
  | { type: 'stats'; stats: MinerStats }
  | { type: 'fatal'; error: Error };
