import type Redis from 'ioredis';
import type { LodeLogger } from '@lode/stratum-core';
import type { AccountingScheme } from './accounting-scheme';

/** Options of {@link ShareAccountant}. */
export interface ShareAccountantOptions {
  /** the client for state and reads; the blocking stream reads use duplicates of it (one per coin) */
  redis: Redis;
  /** key prefix (default "lode"; must match the RedisShareStore's) */
  prefix?: string;
  /** coin ids whose share streams are accounted, at least one */
  coins: readonly string[];
  /** consumer group (default "accounting"); created at the start of the stream when missing */
  group?: string;
  /** this consumer's name in the group, unique per running accountant ("acct-<host>") */
  consumer: string;
  /** how block rewards are split */
  scheme: AccountingScheme;
  /** reward of a block in smallest units (default bitcoinBlockReward: 50 BTC halving every 210000) */
  blockReward?: (coin: string, height: number) => bigint;
  /** hashrate window, seconds (default 600); rounded up to whole buckets */
  windowSeconds?: number;
  /** hashrate bucket width, seconds (default 10) */
  bucketSeconds?: number;
  /** expected hashes per share of difficulty 1 (default 2^48 / 65535, Bitcoin; facts/bitcoin-stratum.md "Targets") */
  hashesPerDifficulty?: number;
  /** how long a share id is remembered to refuse a second copy, seconds (default 86400) */
  dedupeSeconds?: number;
  /** workers kept per coin (default 100000); the least recently active is dropped with its counters */
  maxWorkers?: number;
  /** blocks kept per coin (default 10000); the oldest is dropped */
  maxBlocks?: number;
  /** cap of the PPLNS window list (default 1000000 shares); a window that needs more is cut short */
  maxWindowShares?: number;
  /** entries read per XREADGROUP (default 100) */
  batchSize?: number;
  /** XREADGROUP BLOCK, ms (default 5000) */
  blockMs?: number;
  /** entries pending this long on another consumer (ms) are claimed with XAUTOCLAIM (default 60000) */
  claimIdleMs?: number;
  /** wait after a failed read or write before trying again, ms (default 1000) */
  retryMs?: number;
  /** clock for reads (hashrate window), ms since epoch (default Date.now) */
  clock?: () => number;
  /** logger (default silent) */
  logger?: LodeLogger;
}
