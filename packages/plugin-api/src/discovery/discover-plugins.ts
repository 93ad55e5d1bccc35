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
 * Explicit names are resolved from `from` with Node's resolution (the
 * node_modules directories at and above the host package, then NODE_PATH); `auto`
 * scans the host package.json's dependencies and optionalDependencies for a
 * `"lode": { "kind": "coin-plugin" }` marker (Backstage-style; node_modules is
 * never walked). Each plugin's manifest and API version are checked before its
 * code runs.
 *
 * @returns the plugins in the order asked (auto: dependency order)
 * @throws PluginLoadError `not-found`, `bad-manifest`, `api-mismatch`,
 *   `bad-export`, or `native-load-failed` when the entry itself fails on its
 *   native addon (a missing or unloadable `.node` file); each message says what to do
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
      throw new PluginLoadError(
        'not-found',
        '(host)',
        `no package.json at or above ${from}: plugins resolve from the app's package; pass the app's directory as "from"`,
      );
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
    const manifestPath = findPackageJson(hostRequire, name);
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

/** The marker a coin plugin's package.json carries, as messages print it. */
function markerExample(coins: readonly string[] = ['<coin id>']): string {
  return `"lode": { "kind": "coin-plugin", "apiVersion": ${LODE_PLUGIN_API_VERSION}, "coins": ${JSON.stringify(coins)} }`;
}

/** How to build a workspace plugin's addon (the Nx project name is the package name). */
function buildNativeAdvice(name: string): string {
  return `build its native addon: npx nx run ${name}:build-native (from the workspace root; needs the Rust toolchain, cargo builds it from source), then start again`;
}

/**
 * Whether an error thrown while importing an entry comes from its native
 * addon: a `.node` file that is missing or does not dlopen, or napi-rs's
 * "Cannot find native binding" (possibly wrapped by the plugin's own loader).
 */
function isNativeLoadError(cause: unknown): boolean {
  // duck-typed: an error thrown in another realm (a test runner's sandbox) is no `instanceof Error`
  for (let e = cause, depth = 0; isErrorLike(e) && depth < 5; e = e.cause, depth++) {
    if (e.code === 'ERR_DLOPEN_FAILED') return true;
    if (/\.node\b|native binding|addon did not load/i.test(e.message)) return true;
  }
  return false;
}

function isErrorLike(e: unknown): e is { message: string; code?: unknown; cause?: unknown } {
  return typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string';
}

function firstLine(cause: unknown): string {
  return (isErrorLike(cause) ? cause.message : String(cause)).split('\n')[0] ?? '';
}

/**
 * The package.json of an installed package: resolved, or (when its "exports"
 * map hides ./package.json) found in the directories Node would look in.
 */
function findPackageJson(req: NodeRequire, name: string): string | undefined {
  const resolved = tryResolve(req, `${name}/package.json`);
  if (resolved !== undefined) return resolved;
  for (const dir of req.resolve.paths(name) ?? []) {
    const candidate = join(dir, name, 'package.json');
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

function importPlugin(name: string, hostRequire: NodeRequire, hostManifest: string): DiscoveredPlugin {
  const manifestPath = findPackageJson(hostRequire, name);
  if (manifestPath === undefined) {
    throw new PluginLoadError(
      'not-found',
      name,
      `coin plugin '${name}' is not installed where ${hostManifest} can resolve it: run npm install ${name} in ${dirname(hostManifest)} ` +
        `(a plugin of this workspace: run npm install at the workspace root), or fix the name in "plugins" of the config`,
    );
  }
  const pkg = readJson(manifestPath);
  const manifest = checkManifest(name, pkg['lode'], manifestPath);

  let entry: unknown;
  try {
    entry = hostRequire(name);
  } catch (cause) {
    if (isNativeLoadError(cause)) {
      throw new PluginLoadError(
        'native-load-failed',
        name,
        `coin plugin '${name}' (${dirname(manifestPath)}) could not load its native addon while loading its entry: ${firstLine(cause)}; ${buildNativeAdvice(name)}`,
        { cause },
      );
    }
    const missingEntry = isErrorLike(cause) && cause.code === 'MODULE_NOT_FOUND' && firstLine(cause).includes(dirname(manifestPath));
    throw new PluginLoadError(
      'bad-export',
      name,
      `coin plugin '${name}' failed while loading its entry: ${firstLine(cause)}; ` +
        (missingEntry
          ? `build it (npx nx run ${name}:build) so that its package.json "main"/"exports" points at a file that exists`
          : `fix that error in the plugin's entry (package.json "main"/"exports" of ${dirname(manifestPath)}), then build it (npx nx run ${name}:build)`),
      { cause },
    );
  }
  const exported = (entry as { lodeCoinPlugin?: Partial<LodeCoinPluginExport> } | undefined)?.lodeCoinPlugin;
  const shape = `export const lodeCoinPlugin = { apiVersion: LODE_PLUGIN_API_VERSION (${LODE_PLUGIN_API_VERSION}), module: <a ContainerModule that binds COIN_PLUGIN> } from its entry`;
  if (exported === undefined || exported === null || typeof exported !== 'object') {
    const keys = entry !== null && typeof entry === 'object' ? Object.keys(entry) : [];
    throw new PluginLoadError(
      'bad-export',
      name,
      `coin plugin '${name}' has no lodeCoinPlugin export (its entry exports ${keys.length > 0 ? keys.join(', ') : 'nothing'}): ${shape}`,
    );
  }
  if (typeof exported.module?.load !== 'function') {
    throw new PluginLoadError(
      'bad-export',
      name,
      `coin plugin '${name}' exports lodeCoinPlugin.module that is not an inversify ContainerModule: ${shape}`,
    );
  }
  if (typeof exported.apiVersion !== 'number') {
    throw new PluginLoadError('bad-export', name, `coin plugin '${name}' exports lodeCoinPlugin.apiVersion that is not a number: ${shape}`);
  }
  if (exported.apiVersion !== LODE_PLUGIN_API_VERSION) {
    throw apiMismatch(name, exported.apiVersion, 'lodeCoinPlugin.apiVersion of its entry');
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
      `${manifestPath} has no "lode" block, so '${name}' is not a coin plugin: add ${markerExample()} to it, or remove '${name}' from "plugins" in the config`,
    );
  }
  const coins = Array.isArray(m.coins) ? m.coins : undefined;
  const example = markerExample(coins?.every((c) => typeof c === 'string' && c.length > 0) && coins.length > 0 ? coins : undefined);
  if (m.kind !== 'coin-plugin') {
    throw new PluginLoadError(
      'bad-manifest',
      name,
      `${manifestPath}: "lode.kind" is ${JSON.stringify(m.kind)}, expected "coin-plugin": set it to "coin-plugin" (the marker is ${example})`,
    );
  }
  if (coins === undefined || coins.length === 0 || !coins.every((c) => typeof c === 'string' && c.length > 0)) {
    throw new PluginLoadError(
      'bad-manifest',
      name,
      `${manifestPath}: "lode.coins" is ${JSON.stringify(m.coins)}, it must be a non-empty array of coin ids: list the ids the plugin binds, e.g. ${markerExample(['btc'])}`,
    );
  }
  if (typeof m.apiVersion !== 'number') {
    throw new PluginLoadError(
      'bad-manifest',
      name,
      `${manifestPath}: "lode.apiVersion" is ${JSON.stringify(m.apiVersion)}, it must be a number: set it to ${LODE_PLUGIN_API_VERSION} (the marker is ${example})`,
    );
  }
  if (m.apiVersion !== LODE_PLUGIN_API_VERSION) throw apiMismatch(name, m.apiVersion, `"lode.apiVersion" of ${manifestPath}`);
  return m as CoinPluginManifest;
}

function apiMismatch(name: string, got: number, where: string): PluginLoadError {
  return new PluginLoadError(
    'api-mismatch',
    name,
    `coin plugin '${name}' implements plugin API ${got}, this app speaks ${LODE_PLUGIN_API_VERSION} (${where}): ` +
      `install a version of the plugin built for API ${LODE_PLUGIN_API_VERSION}; its author ports it to @lode/plugin-api ${LODE_PLUGIN_API_VERSION} ` +
      `and sets apiVersion to ${LODE_PLUGIN_API_VERSION} in package.json "lode" and in lodeCoinPlugin (LODE_PLUGIN_API_VERSION)`,
  );
}
