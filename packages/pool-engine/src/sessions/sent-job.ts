import type { CoinJob } from '@lode/plugin-api';

/**
 * What a session's ledger keeps per job sent, beside the target: the job and
 * the extranonce1 the session had when it sent it, so that a share is
 * rebuilt with the extranonce1 its work was made with even after
 * {@link MinerSession.reassignExtranonce1}. Internal.
 */
export interface SentJob {
  readonly job: CoinJob;
  /** raw bytes; the session never mutates it */
  readonly extranonce1: Buffer;
}
