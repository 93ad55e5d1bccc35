import type { ShareRejectReason } from './share-reject-reason';

/**
 * The outcome of one submitted share, dialect-neutral.
 *
 * Accepted: `difficulty` is what the share is credited at, the difficulty of
 * the target actually applied (resolveShareTarget: the easier of the job's
 * and the session's current); `shareDifficulty` is what the hash achieved
 * (>= difficulty, up to rounding); `block` is true when the hash also meets
 * the network target; `hash` is the block hash as explorers print it (64 hex
 * digits, big-endian display order).
 *
 * Rejected: `reason` for the dialect's error code, `message` naming the value
 * and the rule ("extranonce2 is 3 bytes, the job expects 4").
 *
 * @see DESIGN.md "One share through the pool" and "Difficulty belongs to the job"
 */
export type ShareVerdict =
  | {
      accepted: true;
      difficulty: number;
      shareDifficulty: number;
      block: boolean;
      hash: string;
      /**
       * true when the share was on a job superseded by a new block, within the
       * pool's accepted-stale window: credited, and answered as accepted-stale
       * where the dialect has such a reply (EthereumStratum/2.0.0 code 202)
       */
      stale?: boolean;
    }
  | {
      accepted: false;
      reason: ShareRejectReason;
      message: string;
    };
