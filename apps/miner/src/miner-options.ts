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
  /**
   * send `mining.configure` first, before `mining.subscribe`, as ASIC firmware
   * does (BIP 310, specs/002_b8c80480aecfabab.txt); default true. It always
   * asks for `info` (sw-version lode-miner/<MINER_VERSION>, connection-url,
   * hw-id = host name, hw-version "cpu") and, unless `extranonceSubscribe` is
   * false, `subscribe-extranonce` (when granted, no separate
   * `mining.extranonce.subscribe` is sent). false: no configure, no rolling.
   */
  configure?: boolean;
  /**
   * the miner's mask for `version-rolling.mask` (uint32, non-zero): the bits
   * it may roll; the pool answers the intersection with its own (BIP 320's
   * general-purpose bits 1fffe000, field-notes.md §3(c)). Default 0xffffffff
   * (BIP 310's default, what ESP-Miner and cgminer send); null = do not ask
   * for version rolling. Ignored when `configure` is false.
   */
  versionRollingMask?: number | null;
  /**
   * share difficulty (not a target) asked for with BIP 310's
   * `minimum-difficulty` extension, >= 0 (0 turns the floor off); none by
   * default. Ignored when `configure` is false.
   */
  minimumDifficulty?: number;
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
  /** the BIP 310 version mask in force on the current connection (uint32); absent when version rolling is not negotiated */
  versionMask?: number;
}

/** What a miner reports on `events$`, in order; each has a matching log line. */
export type MinerEvent =
  | { type: 'connecting'; url: string; attempt: number }
  | { type: 'connected'; url: string }
  | { type: 'subscribed'; extranonce1: string; extranonce2Size: number; sessionId: string }
  | {
      type: 'configured';
      /** the negotiated version mask, uint32; undefined when version rolling was not asked for or refused */
      versionMask: number | undefined;
      /** whether the minimum difficulty was accepted; undefined when none was asked for */
      minimumDifficulty: boolean | undefined;
      subscribeExtranonce: boolean;
    }
  | { type: 'version-mask'; mask: number }
  | { type: 'authorized'; worker: string }
  | { type: 'job'; jobId: string; difficulty: number; clean: boolean }
  /** a hit was sent with mining.submit; `submitted` counts them since start */
  | { type: 'submitted'; jobId: string; submitted: number }
  | {
      type: 'accepted';
      jobId: string;
      nonce: number;
      extranonce2: string;
      /** the 6th submit parameter (uint32) when version rolling is negotiated */
      versionBits?: number;
      difficulty: number;
      accepted: number;
      /** from the submit to the pool's answer, seconds */
      seconds: number;
    }
  | {
      type: 'rejected';
      jobId: string;
      nonce: number;
      message: string;
      code: number | undefined;
      rejected: number;
      /** from the submit to the pool's answer, seconds */
      seconds: number;
    }
  | { type: 'disconnected'; reason: string; retryInMs: number }
  | { type: 'stats'; stats: MinerStats }
  | { type: 'fatal'; error: Error };
