/**
 * A block the pool found, with the split of its reward
 * ({@link ShareAccountant.blocks}). Amounts are decimal strings in the coin's
 * smallest unit (satoshis); difficulties are credited stratum difficulties;
 * times are ms since epoch. A found block is a candidate the pool submitted:
 * whether the chain kept it is not tracked here, nor are payouts.
 */
export interface BlockAccount {
  /** id of the share that was the block */
  shareId: string;
  /** height of the block */
  height: number;
  /** display hex of the block hash */
  hash: string;
  /** worker that found it ('' when the share had none) */
  finder: string;
  /** when the share was judged */
  time: number;
  /** reward split (blockReward(coin, height)), smallest units */
  reward: string;
  /** the scheme that split it */
  scheme: 'pplns' | 'prop' | 'solo';
  /** PPLNS N (difficulty units); absent for the other schemes */
  windowDifficulty?: number;
  /** the round this block closed (1 for the first block) */
  roundNumber: number;
  /** credited difficulty of that round */
  roundDifficulty: number;
  /** when that round began */
  roundStartedAt: number;
  /** that round's totals: worker -> credited difficulty (empty while pending) */
  round: Record<string, number>;
  /** worker -> amount (smallest units, decimal string), summing to `reward`; empty unless status is 'split' */
  split: Record<string, string>;
  /**
   * 'split' once the split is stored; 'pending' between recording the block
   * and storing its split (a restart completes it); 'unsplit' when there was
   * nothing to split over (see `note`)
   */
  status: 'pending' | 'split' | 'unsplit';
  /** why a block is 'unsplit', or that the split fell back to SOLO */
  note?: string;
}
