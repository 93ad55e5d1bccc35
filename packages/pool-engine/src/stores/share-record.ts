import type { ShareRejectReason } from '@lode/mining';

/**
 * One share as the engine persists it: every verdict, accepted or not.
 *
 * Units: difficulties are stratum difficulties of the coin's diff1 target
 * (not targets); `time` is ms since the epoch. `difficulty` is what the share
 * is CREDITED at (the difficulty actually applied, DESIGN.md "Difficulty
 * belongs to the job"); it is 0 for every rejected share, so a store may sum
 * it without filtering. `shareDifficulty` is diff1Target / hash value, the
 * difficulty the hash actually reached (0 when the share was refused before
 * hashing).
 */
export interface ShareRecord {
  /** unique id of this record across the cluster and across restarts ("<instance>:<run>:<sequence>"), so a replay can never store it twice */
  id: string;
  /** the pool instance that judged the share */
  instance: string;
  /** coin id of the plugin ("btc") */
  coin: string;
  /** worker name as the miner authorized it ("addr.rig1") */
  worker: string;
  /** the job id the share named (as sent, even when unknown) */
  jobId: string;
  /** height of the share's job; the current height when the job is unknown */
  height: number;
  /** credited difficulty; 0 when rejected */
  difficulty: number;
  /** difficulty the share's hash reached; 0 when not hashed */
  shareDifficulty: number;
  /** network difficulty of the share's job (or of the current job when unknown) */
  networkDifficulty: number;
  /** 'accepted', or why the share was refused */
  verdict: 'accepted' | ShareRejectReason;
  /** the rejection's message, naming the value and the rule */
  message?: string;
  /** display hex of the block hash, when the share was a block candidate */
  blockHash?: string;
  /** the miner's address as the connection saw it ("127.0.0.1:50123") */
  remoteAddress: string;
  /** the 6th mining.submit parameter when the miner rolled the version (BIP 310) */
  versionBits?: number;
  /** when the verdict was given, ms since epoch */
  time: number;
}
