import { readJson, updateJson, type Tree } from '@nx/devkit';

/** A coin plugin found in the workspace (its package.json has the "lode" marker). */
export interface WorkspacePlugin {
  /** project directory, e.g. "plugins/coin-bitcoin" */
  root: string;
  packageName: string;
  /** the coin ids of its "lode.coins" */
  coins: string[];
}

/** The directories coin plugins live in (DESIGN.md "Layout"). */
const PLUGIN_DIRS = ['plugins'];

/**
 * Every coin plugin under plugins/: package name and coin ids from each
 * package.json whose `"lode": { "kind": "coin-plugin" }` marker is set.
 */
export function readPluginManifests(tree: Tree): WorkspacePlugin[] {
  const found: WorkspacePlugin[] = [];
  for (const dir of PLUGIN_DIRS) {
    for (const child of tree.children(dir)) {
      const manifest = `${dir}/${child}/package.json`;
      if (!tree.isFile(manifest)) continue;
      const pkg = readJson<{ name?: string; lode?: { kind?: string; coins?: unknown } }>(tree, manifest);
      if (pkg.lode?.kind !== 'coin-plugin') continue;
      const coins = Array.isArray(pkg.lode.coins) ? pkg.lode.coins.filter((c): c is string => typeof c === 'string') : [];
      found.push({ root: `${dir}/${child}`, packageName: pkg.name ?? `${dir}/${child}`, coins });
    }
  }
  return found;
}

/** Where LODE_PLUGIN_API_VERSION is defined. */
export const PLUGIN_API_SOURCE = 'packages/plugin-api/src/coin-plugin.ts';

/**
 * LODE_PLUGIN_API_VERSION as packages/plugin-api defines it (read from its
 * source, so the generator needs no build of plugin-api).
 *
 * @throws Error when the file or the constant is missing
 */
export function readPluginApiVersion(tree: Tree): number {
  const text = tree.read(PLUGIN_API_SOURCE, 'utf-8');
  const match = text === null ? null : /export const LODE_PLUGIN_API_VERSION\s*=\s*(\d+)\s*;/.exec(text);
  if (match === null) {
    throw new Error(`coin-plugin: cannot read LODE_PLUGIN_API_VERSION from ${PLUGIN_API_SOURCE}: the generator writes it into the plugin's "lode.apiVersion"`);
  }
  return Number(match[1]);
}

/**
 * Makes `member` (e.g. "plugins/coin-ltc/native") a member of the root Cargo
 * workspace unless a `members` entry (a path or a glob such as
 * "plugins/*\/native") already covers it.
 *
 * @returns 'covered' (nothing to do), 'added', or 'missing' (no root Cargo.toml / no members list)
 */
export function addCargoWorkspaceMember(tree: Tree, member: string): 'covered' | 'added' | 'missing' {
  const text = tree.read('Cargo.toml', 'utf-8');
  if (text === null) return 'missing';
  const list = /^(\s*members\s*=\s*\[)([^\]]*)(\])/m.exec(text);
  if (list === null) return 'missing';
  const entries = [...list[2].matchAll(/"([^"]*)"/g)].map((m) => m[1]);
  if (entries.some((entry) => globToRegExp(entry).test(member))) return 'covered';
  const body = list[2].trim().replace(/,$/, '');
  const replaced = `${list[1]}${body === '' ? '' : `${body}, `}"${member}"${list[3]}`;
  tree.write('Cargo.toml', text.slice(0, list.index) + replaced + text.slice(list.index + list[0].length));
  return 'added';
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${escaped.replace(/\/$/, '')}$`);
}

/**
 * Adds `{ "path": path }` to the root tsconfig.json references (what `nx sync`
 * also maintains), when the file exists and lacks it.
 */
export function addRootTsReference(tree: Tree, path: string): void {
  if (!tree.exists('tsconfig.json')) return;
  updateJson<{ references?: { path: string }[] }>(tree, 'tsconfig.json', (json) => {
    const references = json.references ?? [];
    const bare = path.replace(/^\.\//, '');
    if (!references.some((r) => r.path.replace(/^\.\//, '') === bare)) references.push({ path });
    json.references = references;
    return json;
  });
}
