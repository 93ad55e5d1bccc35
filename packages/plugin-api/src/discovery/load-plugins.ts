import type { Container } from 'inversify';
import type { CoinPlugin } from '../coin-plugin';
import { COIN_PLUGIN } from '../tokens';
import type { DiscoveredPlugin } from './discover-plugins';
import { PluginLoadError } from './plugin-load-error';

/**
 * Loads discovered plugins into a container and returns every CoinPlugin they
 * bound, keyed by coin id. Each plugin's native hasher is touched once here,
 * so an addon that does not load fails at start-up, not on the first share.
 *
 * @throws PluginLoadError `native-load-failed` when a plugin's hasher cannot
 *   load (the message names the plugin package and how to build its addon)
 */
export function loadPlugins(container: Container, plugins: readonly DiscoveredPlugin[]): Map<string, CoinPlugin> {
  for (const plugin of plugins) container.load(plugin.module);
  const coins = new Map<string, CoinPlugin>();
  if (!container.isBound(COIN_PLUGIN)) return coins;
  for (const coin of container.getAll(COIN_PLUGIN)) {
    try {
      void coin.hasher.implementation;
    } catch (cause) {
      const owner = plugins.find((p) => p.manifest.coins.includes(coin.id));
      const reason = (cause instanceof Error ? cause.message : String(cause)).split('\n')[0] ?? '';
      const fix =
        owner === undefined
          ? `build the native addon of the plugin that binds coin '${coin.id}' (npx nx run <its package>:build-native)`
          : `build the native addon of ${owner.packageName}: npx nx run ${owner.packageName}:build-native (from the workspace root; ` +
            `needs the Rust toolchain, the crate is ${owner.directory}/native), then start again`;
      throw new PluginLoadError('native-load-failed', coin.id, `the native hasher of coin '${coin.id}' did not load: ${reason}; ${fix}`, { cause });
    }
    coins.set(coin.id, coin);
  }
  return coins;
}

/**
 * Picks the coin a port or the miner asks for.
 *
 * @throws PluginLoadError `unknown-coin`, listing the coins that are loaded
 */
export function selectCoin(coins: ReadonlyMap<string, CoinPlugin>, id: string): CoinPlugin {
  const coin = coins.get(id);
  if (coin === undefined) {
    const known = [...coins.keys()].join(', ') || 'none';
    throw new PluginLoadError(
      'unknown-coin',
      id,
      `no loaded plugin contributes coin '${id}' (loaded: ${known}): add the package of the plugin that declares "${id}" in its "lode.coins" ` +
        `to "plugins" in the config (or use "plugins": "auto") and npm install it, or set the coin to one of the loaded ones`,
    );
  }
  return coin;
}
