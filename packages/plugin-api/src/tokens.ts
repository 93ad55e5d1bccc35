import type { ServiceIdentifier } from 'inversify';
import type { CoinPlugin } from './coin-plugin';

/**
 * Every coin plugin binds its CoinPlugin(s) here, unconstrained, so that
 * `container.getAll(COIN_PLUGIN)` enumerates them. `Symbol.for` so that two
 * copies of this package still agree.
 */
export const COIN_PLUGIN: ServiceIdentifier<CoinPlugin> = Symbol.for('lode.CoinPlugin');
