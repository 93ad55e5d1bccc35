import type { LodeError } from '@lode/stratum-core';
import type { EthPoolHashrate } from '../messages/pool-hashrate';
import type { EthReconnect } from '../messages/reconnect';

/**
 * One job as the miner should work it: the `mining.notify` params bound to
 * the epoch, target, algo and extranonce set by the `mining.set`
 * notifications received BEFORE it (spec: "valid for all NEXT jobs"); a
 * later `mining.set` never changes a job already received.
 *
 * @see specs/003_fafafa51dc5fa36a.txt "Prepare for mining", "Jobs notification"; DESIGN.md "Difficulty belongs to the job"
 */
export interface EthClientJob {
  jobId: string;
  /** block number */
  height: number;
  /** 64 lower-case hex digits */
  headerHash: string;
  /** true: shares on earlier jobs will be stale */
  clean: boolean;
  /** ethash epoch number */
  epoch: number;
  /** "ethash" unless the pool set another */
  algo: string;
  /** share boundary (a 256-bit target); 0x00000000ffff0000...0000 unless the pool set one */
  target: bigint;
  /** the leading nonce bytes (0..6); the miner searches 8 - extranonce.length bytes after them and submits only those */
  extranonce: Buffer;
}

/**
 * The values the next job will carry, as the `mining.set` notifications
 * left them. `epoch` is undefined until the pool sets one (a job before
 * that cannot be mined and is reported on `errors$`).
 */
export interface EthStagedSet {
  epoch?: number;
  target: bigint;
  algo: string;
  extranonce: Buffer;
}

/** A client session's mutable state, shared by its method handlers. */
export interface EthClientSessionState {
  staged: EthStagedSet;
  /** mining.set notifications applied so far */
  setsApplied: number;
}

/** What one client method handler gets. */
export interface EthClientMethodContext {
  readonly state: EthClientSessionState;
  readonly emitJob: (job: EthClientJob) => void;
  readonly emitReconnect: (r: EthReconnect) => void;
  readonly emitPoolHashrate: (r: EthPoolHashrate) => void;
  /** the pool said `mining.bye`: close the connection */
  readonly byeReceived: () => void;
}

/**
 * Handles one pool message. Throws LodeError('protocol') when its params
 * are malformed; the session then reports it on `errors$` and drops it.
 */
export type EthClientMethodHandler = (ctx: EthClientMethodContext, params: unknown) => void;

/** A malformed pool message, as `errors$` reports it. */
export type EthClientError = LodeError;
