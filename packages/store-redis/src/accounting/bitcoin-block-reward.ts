import { LodeError } from '@lode/stratum-core';

const HALVING_INTERVAL = 210_000;
const INITIAL_SUBSIDY = 5_000_000_000n;

/**
 * Bitcoin's block subsidy at `height`, in satoshis: 50 BTC halved every
 * 210000 blocks (integer shift), 0 from the 64th halving on. Fees are not
 * included: the share stream does not carry them.
 *
 * The default `blockReward` of {@link ShareAccountant} (for every coin).
 *
 * @param _coin coin id (unused: Bitcoin's schedule is applied to all)
 * @param height block height, integer >= 0
 * @returns subsidy in satoshis
 * @throws LodeError('share') when height is not an integer >= 0
 * @see Bitcoin Core src/validation.cpp GetBlockSubsidy (nSubsidyHalvingInterval
 *   210000 on mainnet); facts/bitcoin-blocks.md block 100000, whose coinbase
 *   pays 50 BTC
 */
export function bitcoinBlockReward(_coin: string, height: number): bigint {
  if (!Number.isSafeInteger(height) || height < 0) {
    throw new LodeError('share', `block height is ${height}; a height is an integer >= 0`);
  }
  const halvings = Math.floor(height / HALVING_INTERVAL);
  if (halvings >= 64) return 0n;
  return INITIAL_SUBSIDY >> BigInt(halvings);
}
