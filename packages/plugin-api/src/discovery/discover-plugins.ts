import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ContainerModule } from 'inversify';
import { LODE_PLUGIN_API_VERSION, type CoinPluginManifest } from '../coin-plugin';
import { PluginLoadError } from './plugin-load-error';

/** What a plugin package's entry exports (DESIGN.md "Plugins and discovery"). */
export interface LodeCoinPluginExport {
  /** the plugin API version the code was built against */
  apiVersion: number;
  /** binds the plugin's CoinPlugin(s) to COIN_PLUGIN */
  module: ContainerModule;
}

/** One plugin found and imported, ready to load into a container. */
export interface DiscoveredPlugin {
  /** npm package name, e.g. "@lode/coin-bitcoin" */
  packageName: string;
  version: string;
  /** absolute directory of the package */
  directory: string;
  manifest: CoinPluginManifest;
  module: ContainerModule;
}

/** Where and what to discover. */
export interface DiscoverOptions {
  /**
   * The host app's directory (or any path inside it): packages resolve from
   * there, and `auto` reads the dependencies of the nearest package.json.
   */
  from: string;
  /** package names to load, or `auto` for every dependency that declares a Lode coin plugin */
  plugins: readonly string[] | 'auto';
}

/**
 * Finds and imports coin plugins at run time.
 *
 * Explicit names are resolved from `from` with Node's resolution; `auto`
 * scans the host package.json's dependencies and optionalDependencies for a
 * `"lode": { "kind": "coin-plugin" }` marker (Backstage-style; node_modules is
 * never walked). Each plugin's manifest and API version are checked before its
 * code runs.
 *
 * @returns the plugins in the order asked (auto: dependency order)
 * @throws PluginLoadError `not-found`, `bad-manifest`, `api-mismatch`, `bad-export`
 * @see facts/stack.md §7.2
 */
export function discoverPlugins(options: DiscoverOptions): DiscoveredPlugin[] {
  const hostManifest = findHostPackageJson(options.from);
  const hostRequire = createRequire(hostManifest);
  const names = options.plugins === 'auto' ? autoCandidates(hostManifest, hostRequire) : options.plugins;
  return names.map((name) => importPlugin(name, hostRequire, hostManifest));
}

function findHostPackageJson(from: string): string {
  let dir = existsSync(from) && !from.endsWith('.json') ? from : dirname(from);
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) {
      throw new PluginLoadError('not-found', '(host)', `no package.json at or above ${from}: plugins resolve from the app's package`);
    }
    dir = parent;
  }
}

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

function autoCandidates(hostManifest: string, hostRequire: NodeRequire): string[] {
  const host = readJson(hostManifest);
  const deps = {
    ...((host['dependencies'] as Record<string, string> | undefined) ?? {}),
    ...((host['optionalDependencies'] as Record<string, string> | undefined) ?? {}),
  };
  return Object.keys(deps).filter((name) => {
    const manifestPath = tryResolve(hostRequire, `${name}/package.json`);
    if (manifestPath === undefined) return false;
    const lode = readJson(manifestPath)['lode'] as { kind?: unknown } | undefined;
    return lode?.kind === 'coin-plugin';
  });
}

function tryResolve(req: NodeRequire, id: string): string | undefined {
  try {
    return req.resolve(id);
  } catch {
    return undefined;
  }
}

function importPlugin(name: string, hostRequire: NodeRequire, hostManifest: string): DiscoveredPlugin {
  const manifestPath = tryResolve(hostRequire, `${name}/package.json`);
  if (manifestPath === undefined) {
    throw new PluginLoadError(
      'not-found',
      name,
      `coin plugin '${name}' is not installed where ${hostManifest} can resolve it: add it to that package's dependencies and run npm install`,
    );
  }
  const pkg = readJson(manifestPath);
  const manifest = checkManifest(name, pkg['lode'], manifestPath);

  let entry: unknown;
  try {
    entry = hostRequire(name);
  } catch (cause) {
    throw new PluginLoadError(
      'bad-export',
      name,
      `coin plugin '${name}' failed while loading its entry: ${(cause as Error).message}. Build it (npx nx run-many -t build-native build) and check its main/exports`,
      { cause },
    );
  }
  const exported = (entry as { lodeCoinPlugin?: Partial<LodeCoinPluginExport> }).lodeCoinPlugin;
  if (exported === undefined || typeof exported.module?.load !== 'function' || typeof exported.apiVersion !== 'number') {
    throw new PluginLoadError(
      'bad-export',
      name,
      `coin plugin '${name}' must export lodeCoinPlugin = { apiVersion: ${LODE_PLUGIN_API_VERSION}, module: ContainerModule } from its entry`,
    );
  }
  if (exported.apiVersion !== LODE_PLUGIN_API_VERSION) {
    throw apiMismatch(name, exported.apiVersion);
  }
  return {
    packageName: name,
    version: String(pkg['version'] ?? '0.0.0'),
    directory: dirname(manifestPath),
    manifest,
    module: exported.module,
  };
}

function checkManifest(name: string, lode: unknown, manifestPath: string): CoinPluginManifest {
  const m = lode as Partial<CoinPluginManifest> | undefined;
  if (m === undefined || m === null || typeof m !== 'object') {
    throw new PluginLoadError(
      'bad-manifest',
      name,
      `${manifestPath} has no "lode" block: a coin plugin declares "lode": { "kind": "coin-plugin", "apiVersion": ${LODE_PLUGIN_API_VERSION}, "coins": ["<id>"] }`,
    );
  }
  if (m.kind !== 'coin-plugin') {
    throw new PluginLoadError('bad-manifest', name, `${manifestPath}: "lode.kind" is ${JSON.stringify(m.kind)}, expected "coin-plugin"`);
  }
  if (!Array.isArray(m.coins) || m.coins.length === 0 || !m.coins.every((c) => typeof c === 'string' && c.length > 0)) {
    throw new PluginLoadError('bad-manifest', name, `${manifestPath}: "lode.coins" must be a non-empty array of coin ids`);
  }
  if (typeof m.apiVersion !== 'number') {
    throw new PluginLoadError('bad-manifest', name, `${manifestPath}: "lode.apiVersion" must be a number`);
  }
  if (m.apiVersion !== LODE_PLUGIN_API_VERSION) throw apiMismatch(name, m.apiVersion);
  return m as CoinPluginManifest;
}

function apiMismatch(name: string, got: number): PluginLoadError {
  return new PluginLoadError(
    'api-mismatch',
    name,
    `coin plugin '${name}' implements plugin API ${got}, this app speaks ${LODE_PLUGIN_API_VERSION}: use a version of the plugin built for API ${LODE_PLUGIN_API_VERSION}`,
  );
}
