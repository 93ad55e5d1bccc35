import { resolve } from 'node:path';

/** The repository root (tools/e2e/src/support -> ../../../..). */
export const repoRoot = resolve(__dirname, '../../../..');

/** Built entry points of the processes under test (`npm run build` makes them). */
export const entryPoints = {
  devnet: resolve(repoRoot, 'tools/devnet/dist/main.js'),
  pool: resolve(repoRoot, 'apps/pool/dist/main.js'),
  miner: resolve(repoRoot, 'apps/miner/dist/main.js'),
  proxy: resolve(repoRoot, 'apps/proxy/dist/main.js'),
};

/** A regtest P2WPKH address for devnet payouts (hash160 = first 20 bytes of sha256("lode devnet payout")). */
export const DEVNET_PAYOUT_ADDRESS = 'bcrt1qxessftmcyqpht9j9p6stxns0w3p9qlp9p4r05l';
