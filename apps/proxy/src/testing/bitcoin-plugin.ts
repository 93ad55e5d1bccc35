import { resolve } from 'node:path';
import { Container } from 'inversify';
import { discoverPlugins, loadPlugins, selectCoin } from '@lode/plugin-api';
import type { CoinPlugin } from '@lode/plugin-api';

let cached: CoinPlugin | undefined;

/**
 * The real Bitcoin coin plugin, found by run-time discovery from the proxy
 * app's package (apps never import plugins), for specs that hash real
 * headers. Needs `@lode/coin-bitcoin` built (dist and its native addon).
 */
export function bitcoinPlugin(): CoinPlugin {
  cached ??= selectCoin(
    loadPlugins(new Container(), discoverPlugins({ from: resolve(__dirname, '../..'), plugins: ['@lode/coin-bitcoin'] })),
    'btc',
  );
  return cached;
}
