/**
 * One accepted share as the reward splits see it.
 *
 * `difficulty` is the CREDITED stratum difficulty of the share (what the pool
 * applied, DESIGN.md "Difficulty belongs to the job"), not a target; a
 * share's weight in every split is its difficulty (Rosenfeld 2011, §7.5
 * "Variable difficulty shares": a share of difficulty d counts as d shares of
 * difficulty 1). Finite and >= 0; fractions are valid.
 */
export interface RewardShare {
  /** worker name as authorized ("addr.rig1") */
  worker: string;
  /** credited difficulty, finite, >= 0 */
  difficulty: number;
}
