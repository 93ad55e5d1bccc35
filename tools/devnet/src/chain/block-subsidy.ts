/** One bitcoin in satoshis. */
export const COIN = 100_000_000n;

/** Blocks between halvings on regtest, and so on the devnet (chainparams.cpp, CRegTestParams). */
export const REGTEST_HALVING_INTERVAL = 150;

/**
 * The block subsidy at `height` in satoshis: 50 BTC halved every
 * `halvingInterval` blocks, zero after 64 halvings.
 *
 * @see Bitcoin Core src/validation.cpp (GetBlockSubsidy)
 */
export function blockSubsidy(height: number, halvingInterval = REGTEST_HALVING_INTERVAL): bigint {
  const halvings = Math.floor(height / halvingInterval);
  if (halvings >= 64) return 0n;
  return (50n * COIN) >> BigInt(halvings);
}
