import { Container } from 'inversify';
import type { CoinPlugin } from '../coin-plugin';
import { discoverPlugins, type DiscoveredPlugin } from '../discovery/discover-plugins';
import { loadPlugins } from '../discovery/load-plugins';
import { PluginConformanceError, attempt, shown } from './plugin-conformance-error';
import type { PluginConformanceFixture } from './plugin-conformance-fixture';

/** A coin as an app gets it: discovered, loaded into a container, selected by id. */
export interface LoadedCoin {
  found: DiscoveredPlugin[];
  coins: ReadonlyMap<string, CoinPlugin>;
  plugin: CoinPlugin;
}

/**
 * Loads the fixture's coin the way an app does: `discoverPlugins({ from,
 * plugins: [packageName] })`, `loadPlugins(new Container(), found)`, then
 * the coin by id (selectCoin's rule).
 *
 * @throws PluginConformanceError carrying discovery's own message
 *   (PluginLoadError says what to fix), or naming the coins the
 *   ContainerModule bound when the fixture's coin is not among them
 */
export function loadCoin(fixture: Pick<PluginConformanceFixture, 'packageName' | 'from' | 'coinId'>): LoadedCoin {
  const { packageName, from, coinId } = fixture;
  const found = attempt(`discoverPlugins({ from: '${from}', plugins: ['${packageName}'] })`, () =>
    discoverPlugins({ from, plugins: [packageName] }),
  );
  const first = found[0];
  if (found.length !== 1 || first === undefined || first.packageName !== packageName) {
    throw new PluginConformanceError(`discoverPlugins found ${shown(found.map((f) => f.packageName))} for ['${packageName}']: it must find that one package`);
  }
  if (!first.manifest.coins.includes(coinId)) {
    throw new PluginConformanceError(`discovery read "lode.coins" ${shown(first.manifest.coins)} from ${first.directory}/package.json: list "${coinId}" in it`);
  }
  const coins = attempt(`loadPlugins(new Container(), [${packageName}])`, () => loadPlugins(new Container(), found));
  const plugin = coins.get(coinId);
  if (plugin === undefined) {
    throw new PluginConformanceError(
      `the ContainerModule of ${packageName} (lodeCoinPlugin.module) binds coins ${shown([...coins.keys()])} to COIN_PLUGIN, not "${coinId}": bind a CoinPlugin whose id is "${coinId}" with options.bind(COIN_PLUGIN)`,
    );
  }
  return { found, coins, plugin };
}
