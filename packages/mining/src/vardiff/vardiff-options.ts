/**
 * Settings of variable difficulty for one session. Times in seconds,
 * difficulties as Stratum difficulty (not targets); fractions are allowed.
 */
export interface VardiffOptions {
  /** the share interval aimed at, seconds, > 0 (e.g. 10) */
  readonly targetShareSeconds: number;
  /** the least time between two retargets, seconds, > 0 (e.g. 60) */
  readonly retargetSeconds: number;
  /**
   * the dead band, percent in [0, 100): no change while the observed share
   * interval is within ±variancePercent of targetShareSeconds (e.g. 30)
   */
  readonly variancePercent: number;
  /** the lowest difficulty ever set, > 0 (e.g. 0.0001 for tiny miners) */
  readonly minDifficulty: number;
  /** the highest difficulty ever set, >= minDifficulty */
  readonly maxDifficulty: number;
}
