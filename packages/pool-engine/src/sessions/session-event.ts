import type { CoinJob } from '@lode/plugin-api';

/**
 * What a {@link MinerSession} asks its dialect to send, in order:
 *
 * - `difficulty`: the session's share difficulty changed (Stratum v1
 *   `mining.set_difficulty`, EthereumStratum/2.0.0 `mining.set`). It binds to
 *   the NEXT job, never to work already sent (DESIGN.md "Difficulty belongs
 *   to the job").
 * - `job`: new work (`mining.notify`), with `clean` = drop all older work and
 *   `difficulty` = the difficulty recorded for this job in the session's
 *   ledger (the one last sent in a `difficulty` event).
 *
 * Difficulties are stratum difficulties (not targets).
 */
export type SessionEvent =
  | { type: 'difficulty'; difficulty: number }
  | { type: 'job'; job: CoinJob; clean: boolean; difficulty: number };
