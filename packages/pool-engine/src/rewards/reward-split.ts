/**
 * How a block reward is divided: worker name -> amount in the coin's smallest
 * unit (satoshis for Bitcoin). The amounts are >= 0n and sum exactly to the
 * reward that was split; workers with nothing to receive are absent.
 * Entries come in the order the workers first appear in the input (for
 * PPLNS, walking back from the newest share).
 */
export type RewardSplit = Map<string, bigint>;
