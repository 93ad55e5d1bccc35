/** Blocks per ethash epoch (chfast `ETHASH_EPOCH_LENGTH`; facts/ethash.md §2.1). */
export const ETHASH_EPOCH_LENGTH = 30_000;

/** Blocks per ETChash epoch from the ECIP-1099 fork block on (facts/ethash.md §2.8). */
export const ETCHASH_EPOCH_LENGTH = 60_000;

/**
 * ETC mainnet's ECIP-1099 ("Thanos") fork block: ethash epoch 390 becomes
 * ETChash epoch 195 (core-geth `ECIP1099FBlock`, Besu `thanosBlock`).
 *
 * @see facts/ethash.md §2.8; ethereumclassic/ECIPs `_specs/ecip-1099.md`
 */
export const ETC_ECIP1099_BLOCK = 11_700_000;

/**
 * Mordor testnet's ECIP-1099 fork block: epoch 84 becomes 42.
 *
 * @see facts/ethash.md §2.8
 */
export const MORDOR_ECIP1099_BLOCK = 2_520_000;
