/* Test support for end-to-end tests of Lode processes on loopback */
export { spawnLogged } from './support/spawn-logged';
export type { LoggedProcess } from './support/spawn-logged';
export { LineClient } from './support/line-client';
export { entryPoints, repoRoot, DEVNET_PAYOUT_ADDRESS } from './support/paths';
