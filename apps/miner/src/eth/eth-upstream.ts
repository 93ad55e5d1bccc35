import type { EthDialect } from '@lode/dialect-ethstratum';
import type { LineTransport } from '@lode/stratum-core';

/** How a pool answered a share, in any dialect. */
export interface EthShareAnswer {
  accepted: boolean;
  /** accepted but stale (EthereumStratum/2.0.0 2xx); the classic dialects never say so */
  stale: boolean;
  /** the pool's error code, when rejected with one */
  code?: number;
  message?: string;
}

/**
 * One job as the mining loop scans it, whatever the dialect: the epoch and
 * algorithm already resolved (ES2 sends the epoch; the classic dialects send
 * the seed hash, SeedEpochs maps it).
 */
export interface EthWorkJob {
  jobId: string;
  /** the 32-byte seal hash, 64 lower-case hex digits, no 0x */
  headerHash: string;
  algo: 'ethash' | 'etchash';
  /** the sizing epoch (EpochHasher.prepare/scan) */
  epoch: number;
  /** the share boundary (a 256-bit target, not a difficulty); hits are final hashes <= target */
  target: bigint;
  /** block number, when the dialect sends it (ES2 always, EthProxy optionally) */
  height: number | undefined;
  clean: boolean;
  /** the nonce's first bytes, fixed by the pool (ES2, ES1); empty: the miner picks all 8 bytes */
  extranonce: Buffer;
  /**
   * Submits a hit on this job through the connection that delivered it.
   *
   * @param nonce the full 64-bit nonce (the number the wire's big-endian hex reads), starting with the extranonce
   * @param mix the 32-byte mix digest (sent by EthProxy and plain, not by ES1/ES2)
   * @throws LodeError('connection') when no answer comes (closed, timed out)
   */
  submit(nonce: bigint, mix: Buffer): Promise<EthShareAnswer>;
}

/** Events an upstream reports to the miner (the miner logs and re-emits them). */
export type EthUpstreamEvent =
  | { type: 'connected'; node: string; encoding: string }
  | { type: 'subscribed'; sessionId: string; resumed: boolean }
  | { type: 'authorized'; worker: string; token: string; extranonce: string };

/** What the miner gives an upstream for one connection. */
export interface EthUpstreamContext {
  /** a job, ready to scan */
  onJob(job: EthWorkJob): void;
  /** a job that cannot be mined (unknown seed hash, unknown algo): the miner stops scanning the previous one */
  onBadJob(jobId: string, reason: string): void;
  onEvent(event: EthUpstreamEvent): void;
  /** the pool asks to reconnect elsewhere (ES2 `mining.reconnect`); the upstream closes the connection itself */
  onReconnect(host: string, port: number): void;
}

/** One handshaken connection of an {@link EthUpstream}. */
export interface EthUpstreamLink {
  /**
   * Reports the miner's hashrate (ES2 `mining.hashrate`; the others
   * `eth_submitHashrate`).
   *
   * @param hashrate hashes per second
   * @returns the hashrate the pool reports back (ES2), else undefined
   */
  reportHashrate(hashrate: bigint): Promise<bigint | undefined>;
  /** closes the connection, saying goodbye where the dialect has a way to (ES2 `mining.bye`) */
  close(reason: string): void;
}

/**
 * The dialect side of the EthMiner: the mining loop (epochs, scanning,
 * submits, hashrate reports, reconnects) is the same for all four Ethereum
 * dialects, an upstream speaks one of them. An upstream lives as long as the
 * miner and keeps what outlives a connection (ES2: the session id to resume
 * and the worker token).
 */
export interface EthUpstream {
  readonly dialect: EthDialect;
  /**
   * Runs the handshake over a fresh connection; jobs go to `context.onJob`
   * from the start (pools send the first job right behind the authorize
   * reply).
   *
   * @param agent the miner's user agent ("lode-miner/0.1.0")
   * @throws LodeError('protocol' | 'connection') when the handshake fails;
   *   the caller closes the connection
   */
  open(transport: LineTransport, context: EthUpstreamContext, endpoint: { host: string; port: number }, agent: string): Promise<EthUpstreamLink>;
}
