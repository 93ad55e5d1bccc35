import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { repoRoot } from './paths';

/**
 * What a copy needs to run `nx g @lode/generators:coin-plugin` and to build,
 * lint and test the plugin it writes: the generator, the packages a plugin
 * builds on, the template plugin (coin-bitcoin) and the root configs.
 * Paths relative to the repository root.
 */
export const GENERATOR_WORKSPACE: readonly string[] = [
  'package.json',
  'nx.json',
  'tsconfig.base.json',
  'tsconfig.json',
  'jest.preset.js',
  'jest.fuzz-seed.cjs',
  'eslint.config.mjs',
  'Cargo.toml',
  'Cargo.lock',
  'packages/plugin-api',
  'packages/mining',
  'packages/stratum-core',
  'plugins/coin-bitcoin',
  'tools/generators',
];

/**
 * Whether a path of the real workspace goes into a copy: never installs,
 * build outputs (except the packages' dist, so that `tsc -b` finds them up
 * to date), caches or native binaries.
 */
function copied(source: string): boolean {
  const rel = relative(repoRoot, source);
  if (/^target(\/|$)|(^|\/)(node_modules|out-tsc|\.nx)(\/|$)|\.node$/.test(rel)) return false;
  if (/(^|\/)dist(\/|$)/.test(rel)) return /^packages\/[^/]+\/dist(\/|$)/.test(rel);
  return true;
}

/** Options of {@link copyWorkspace}. */
export interface WorkspaceCopyOptions {
  /** temp dir name prefix, e.g. "lode-generator-" */
  prefix: string;
  /** paths to copy, relative to the repository root; default {@link GENERATOR_WORKSPACE} */
  entries?: readonly string[];
  /**
   * extra `node_modules/@lode/<name>` links, as `npm install` would add for
   * new workspace packages: name -> path relative to the copy's root
   * (e.g. `{ 'coin-demo': 'plugins/coin-demo' }`)
   */
  links?: Record<string, string>;
}

/**
 * Copies the workspace's sources into a new temp dir (the caller removes
 * it). Its node_modules is a directory of links to the real packages,
 * except @lode/*, whose relative links then point into the copy, plus the
 * links `npm install` would add for `@lode/generators` and `options.links`.
 * The real workspace is never written to.
 *
 * @returns the copy's root directory
 */
export function copyWorkspace(options: WorkspaceCopyOptions): string {
  const dir = mkdtempSync(join(tmpdir(), options.prefix));
  for (const entry of options.entries ?? GENERATOR_WORKSPACE) {
    cpSync(join(repoRoot, entry), join(dir, entry), { recursive: true, preserveTimestamps: true, filter: copied });
  }
  const modules = join(dir, 'node_modules');
  mkdirSync(join(modules, '@lode'), { recursive: true });
  for (const name of readdirSync(join(repoRoot, 'node_modules'))) {
    if (name !== '@lode') symlinkSync(join(repoRoot, 'node_modules', name), join(modules, name));
  }
  for (const name of readdirSync(join(repoRoot, 'node_modules/@lode'))) {
    symlinkSync(readlinkSync(join(repoRoot, 'node_modules/@lode', name)), join(modules, '@lode', name));
  }
  const links: Record<string, string> = { generators: 'tools/generators', ...options.links };
  for (const [name, target] of Object.entries(links)) {
    if (!existsSync(join(modules, '@lode', name))) symlinkSync(join('../..', target), join(modules, '@lode', name));
  }
  return dir;
}

/**
 * Runs a Node CLI of the real node_modules (`script` relative to it, e.g.
 * "nx/dist/bin/nx.js") in `cwd`, with Nx's daemon, cloud and TUI off.
 * Never throws: the caller reads status, signal and output.
 *
 * @param timeoutMs killed (SIGTERM) after this many ms; default 120000
 */
export function runNodeCli(cwd: string, script: string, args: readonly string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 120000): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [join(repoRoot, 'node_modules', script), ...args], {
    cwd,
    encoding: 'utf8',
    timeout: timeoutMs,
    // No colours: the specs match the output's text (CI sets FORCE_COLOR).
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', ...env },
  });
}

/** A run's exit status and output as one string ("exit 0\n<stdout>\n<stderr>"), for `toMatch(/^exit 0/)` with the output shown on failure. */
export function output(result: SpawnSyncReturns<string>): string {
  return `exit ${result.status}${result.signal ? ` (${result.signal})` : ''}\n${result.stdout}\n${result.stderr}`;
}

/**
 * Builds a plugin's native addon in a copy with the plugin's `build-native`
 * command (`napi build --platform --profile ci`, without `--locked`: a new
 * crate adds its Cargo.lock entry), reusing the real workspace's target dir
 * so that napi and the other crates are not compiled again.
 *
 * @param pluginDir the plugin's directory in the copy
 * @param timeoutMs default 150000
 */
export function buildNativeInCopy(pluginDir: string, timeoutMs = 150000): SpawnSyncReturns<string> {
  return runNodeCli(
    pluginDir,
    '@napi-rs/cli/dist/cli.js',
    ['build', '--platform', '--profile', 'ci', '--manifest-path', 'native/Cargo.toml', '--package-json-path', 'package.json', '--output-dir', 'native'],
    { CARGO_TARGET_DIR: join(repoRoot, 'target') },
    timeoutMs,
  );
}
