import { join } from 'node:path';
import { generateFiles, logger, names, readJson, writeJson, type GeneratorCallback, type Tree } from '@nx/devkit';
import { addCargoWorkspaceMember, addRootTsReference, readPluginApiVersion, readPluginManifests } from '../../utils/workspace';
import { BITCOIN_DIALECT_SOURCES, COIN_BITCOIN_ROOT } from './bitcoin-sources';
import { nativeLoaderFrom } from './native-loader';
import { COIN_PLUGIN_DIALECTS, type CoinPluginDialect, type CoinPluginGeneratorSchema } from './options';

/** Coin ids: lower-case letters and digits, single hyphens between them, starting with a letter. */
const COIN_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
/** Algorithm names: what CoinPlugin.algorithm says and the stubs' messages print ("scrypt", "sha256d", "kawpow"). */
const ALGORITHM = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;
/** Display names: letters, digits, spaces and a little punctuation (they go into TS string literals). */
const DISPLAY_NAME = /^[A-Za-z0-9][A-Za-z0-9 .()+-]{0,39}$/;

const DIALECT_TITLES: Record<CoinPluginDialect, string> = {
  bitcoin: 'Bitcoin Stratum v1',
  ethstratum: 'EthereumStratum',
  warthog: 'Warthog stratum',
};

/** Versions used when plugins/coin-bitcoin/package.json does not name them (stack.md §1). */
const DEFAULT_VERSIONS: Record<string, string> = {
  inversify: '8.2.3',
  'reflect-metadata': '0.2.2',
  rxjs: '7.8.2',
  'bitcoinjs-lib': '7.0.5',
};

/** The options with every derived name the templates use. */
export interface NormalizedCoinPluginOptions {
  /** coin id ("my-coin") */
  name: string;
  algorithm: string;
  dialect: CoinPluginDialect;
  dialectTitle: string;
  displayName: string;
  /** "MyCoin" */
  className: string;
  /** "myCoin" */
  propertyName: string;
  /** "MY_COIN" */
  constantName: string;
  /** "@lode/coin-my-coin" */
  packageName: string;
  /** "plugins/coin-my-coin" */
  projectRoot: string;
  /** "lode-coin-my-coin-native" */
  crateName: string;
  /** "coin-my-coin" (napi binaryName: native/coin-my-coin.<platform>.node) */
  binaryName: string;
  /** LODE_PLUGIN_API_VERSION read from packages/plugin-api */
  apiVersion: number;
}

/**
 * Checks the options against the workspace and derives the names.
 *
 * @throws Error naming the bad option and the rule: a coin id with upper case
 *   letters, spaces or other characters; a plugin directory or coin id that
 *   already exists; an unknown dialect; an algorithm or display name with
 *   characters that cannot go into the generated sources
 */
export function normalizeCoinPluginOptions(tree: Tree, options: CoinPluginGeneratorSchema): NormalizedCoinPluginOptions {
  const name = String(options.name ?? '');
  if (name === '') throw new Error('coin-plugin: a coin id is required, e.g. `nx g @lode/generators:coin-plugin ltc --algorithm scrypt --dialect bitcoin`');
  if (/\s/.test(name)) {
    throw new Error(`coin-plugin: the coin id '${name}' contains spaces: a coin id is one lower-case word, with hyphens if needed (e.g. '${name.trim().toLowerCase().replace(/\s+/g, '-')}')`);
  }
  if (name !== name.toLowerCase()) {
    throw new Error(`coin-plugin: the coin id '${name}' has upper-case letters: coin ids are lower case (e.g. '${name.toLowerCase()}'); set the display name with --displayName`);
  }
  if (!COIN_ID.test(name)) {
    throw new Error(`coin-plugin: the coin id '${name}' is not valid: use lower-case letters, digits and single hyphens, starting with a letter (e.g. 'ltc', 'my-coin')`);
  }
  const dialect = options.dialect;
  if (!COIN_PLUGIN_DIALECTS.includes(dialect)) {
    throw new Error(`coin-plugin: --dialect is '${String(dialect)}', expected one of ${COIN_PLUGIN_DIALECTS.join(', ')}`);
  }
  const algorithm = String(options.algorithm ?? '');
  if (!ALGORITHM.test(algorithm)) {
    throw new Error(`coin-plugin: --algorithm is '${algorithm}': give the proof of work's name, letters, digits, '.', '_' or '-' (e.g. 'scrypt')`);
  }
  const words = name.split('-');
  const displayName = options.displayName ?? words.map((w) => w[0].toUpperCase() + w.slice(1)).join(' ');
  if (!DISPLAY_NAME.test(displayName)) {
    throw new Error(`coin-plugin: --displayName is '${displayName}': use letters, digits, spaces and . ( ) + - only`);
  }

  const projectRoot = `plugins/coin-${name}`;
  const packageName = `@lode/coin-${name}`;
  if (tree.exists(projectRoot)) {
    throw new Error(`coin-plugin: ${projectRoot} already exists: choose another coin id, or remove the directory first`);
  }
  for (const plugin of readPluginManifests(tree)) {
    if (plugin.packageName === packageName) {
      throw new Error(`coin-plugin: the package ${packageName} already exists at ${plugin.root}: choose another coin id`);
    }
    if (plugin.coins.includes(name)) {
      throw new Error(`coin-plugin: the coin id '${name}' is already declared by ${plugin.packageName} (${plugin.root}/package.json "lode.coins"): choose another coin id`);
    }
  }
  const n = names(name);
  return {
    name,
    algorithm,
    dialect,
    dialectTitle: DIALECT_TITLES[dialect],
    displayName,
    className: n.className,
    propertyName: n.propertyName,
    constantName: n.constantName,
    packageName,
    projectRoot,
    crateName: `lode-coin-${name}-native`,
    binaryName: `coin-${name}`,
    apiVersion: readPluginApiVersion(tree),
  };
}

/**
 * `nx g @lode/generators:coin-plugin <name> --algorithm <algo> --dialect <bitcoin|ethstratum|warthog>`:
 * writes plugins/coin-<name>/ (DESIGN.md "Plugins and discovery"):
 *
 * - package.json: @lode/coin-<name>, the `"lode": { "kind": "coin-plugin",
 *   "apiVersion", "coins": [<name>] }` marker, nx tag `type:coin-plugin`, the
 *   `build-native` target and `napi` block of plugins/coin-bitcoin;
 *   tsconfig.json / tsconfig.lib.json / tsconfig.spec.json, jest.config.cjs,
 *   eslint.config.mjs as the other plugins have them;
 * - native/: a napi-rs crate (Cargo.toml, build.rs, src/lib.rs) whose `hash`
 *   and `scan` fail with "<name>: hash is not written yet: ..." (never
 *   zeros), and the loader index.js / index.d.ts `napi build` regenerates;
 * - src/: the CoinPlugin bound to COIN_PLUGIN in a ContainerModule,
 *   `lodeCoinPlugin` for discovery, target maths, the native hasher, and a
 *   conformance spec with placeholder vectors. Dialect bitcoin copies the
 *   Bitcoin plugin's header, coinbase, merkle, block and bitcoind JSON-RPC
 *   code; the other dialects get stubs that throw LodeError('plugin') naming
 *   what to write and where.
 *
 * It also adds the project to the root tsconfig.json references, and the
 * crate to the root Cargo workspace when its `members` do not cover it.
 *
 * @returns a callback printing the next steps (npm install, build-native, Cargo.lock)
 * @throws Error for invalid options (see normalizeCoinPluginOptions)
 */
export async function coinPluginGenerator(tree: Tree, options: CoinPluginGeneratorSchema): Promise<GeneratorCallback> {
  const o = normalizeCoinPluginOptions(tree, options);
  const root = o.projectRoot;

  writeJson(tree, `${root}/package.json`, pluginPackageJson(tree, o));
  writeProjectConfigs(tree, o);
  const vars = { ...o, tmpl: '' };
  generateFiles(tree, join(__dirname, 'files', 'common'), root, vars);
  generateFiles(tree, join(__dirname, 'files', o.dialect === 'bitcoin' ? 'bitcoin' : 'stub'), root, vars);
  if (o.dialect === 'bitcoin') copyBitcoinSources(tree, o);

  const loader = nativeLoaderFrom(tree, o.binaryName, ['hash', 'scan']);
  if (loader !== undefined) tree.write(`${root}/native/index.js`, loader);

  const cargo = addCargoWorkspaceMember(tree, `${root}/native`);
  addRootTsReference(tree, `./${root}`);

  return () => {
    logger.info(
      [
        `${o.packageName} is in ${root}. Next:`,
        `  npm install                                   (links ${o.packageName} into node_modules)`,
        `  npx nx run ${o.packageName}:build-native     (builds the addon; adds ${o.crateName} to Cargo.lock)`,
        `  write ${root}/native/src/lib.rs and replace the placeholder vectors in ${root}/src/${o.name}.conformance.spec.ts`,
        `  commit Cargo.lock with the crate: CI runs cargo test --locked`,
        ...(cargo === 'missing' ? ['  (no root Cargo.toml: add the crate to your Cargo workspace yourself)'] : []),
        ...(loader === undefined ? ['  (native/index.js is written by the first build-native)'] : []),
      ].join('\n'),
    );
  };
}

export default coinPluginGenerator;

function pluginPackageJson(tree: Tree, o: NormalizedCoinPluginOptions): Record<string, unknown> {
  const template = tree.exists(`${COIN_BITCOIN_ROOT}/package.json`)
    ? readJson<Record<string, unknown>>(tree, `${COIN_BITCOIN_ROOT}/package.json`)
    : {};
  const versions = { ...DEFAULT_VERSIONS, ...((template['dependencies'] as Record<string, string> | undefined) ?? {}) };
  const external = ['inversify', 'reflect-metadata', 'rxjs', ...(o.dialect === 'bitcoin' ? ['bitcoinjs-lib'] : [])];
  const templateNx = (template['nx'] ?? {}) as { targets?: Record<string, unknown> };
  const templateNapi = (template['napi'] ?? {}) as { targets?: string[] };
  return {
    name: o.packageName,
    version: '0.1.0',
    private: true,
    description: `${o.displayName} coin plugin (${o.algorithm}, ${o.dialectTitle}): generated by @lode/generators:coin-plugin; the native hasher fails until written.`,
    type: 'commonjs',
    main: './dist/index.js',
    types: './dist/index.d.ts',
    exports: {
      './package.json': './package.json',
      '.': { '@lode/source': './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' },
    },
    dependencies: {
      '@lode/plugin-api': '*',
      '@lode/mining': '*',
      ...Object.fromEntries(external.map((dep) => [dep, versions[dep]])),
    },
    lode: { kind: 'coin-plugin', apiVersion: o.apiVersion, coins: [o.name] },
    nx: {
      tags: ['type:coin-plugin'],
      targets: { 'build-native': templateNx.targets?.['build-native'] ?? defaultBuildNativeTarget() },
    },
    napi: { binaryName: o.binaryName, targets: templateNapi.targets ?? ['x86_64-unknown-linux-gnu'] },
  };
}

/** The build-native target of the existing plugins (napi-rs from source, profile ci; facts/stack.md §2.6, §3). */
function defaultBuildNativeTarget(): Record<string, unknown> {
  return {
    executor: 'nx:run-commands',
    options: {
      cwd: '{projectRoot}',
      command: 'napi build --platform --profile ci --manifest-path native/Cargo.toml --package-json-path package.json --output-dir native',
    },
    inputs: [
      '{projectRoot}/native/src/**/*',
      '{projectRoot}/native/Cargo.toml',
      '{projectRoot}/native/build.rs',
      '{projectRoot}/package.json',
      '{workspaceRoot}/Cargo.toml',
      '{workspaceRoot}/Cargo.lock',
      { runtime: 'rustc --version' },
    ],
    outputs: ['{projectRoot}/native/*.node', '{projectRoot}/native/index.js', '{projectRoot}/native/index.d.ts'],
    cache: true,
  };
}

function writeProjectConfigs(tree: Tree, o: NormalizedCoinPluginOptions): void {
  const root = o.projectRoot;
  writeJson(tree, `${root}/tsconfig.json`, {
    extends: '../../tsconfig.base.json',
    files: [],
    include: [],
    references: [{ path: './tsconfig.lib.json' }, { path: './tsconfig.spec.json' }],
  });
  writeJson(tree, `${root}/tsconfig.lib.json`, {
    extends: '../../tsconfig.base.json',
    compilerOptions: { rootDir: 'src', outDir: 'dist', tsBuildInfoFile: 'dist/tsconfig.lib.tsbuildinfo', types: ['node'] },
    include: ['src/**/*.ts'],
    exclude: ['src/**/*.spec.ts', 'src/**/*.test.ts', 'src/testing/**', 'jest.config.cjs'],
    references: [{ path: '../../packages/mining/tsconfig.lib.json' }, { path: '../../packages/plugin-api/tsconfig.lib.json' }],
  });
  writeJson(tree, `${root}/tsconfig.spec.json`, {
    extends: '../../tsconfig.base.json',
    compilerOptions: { outDir: './out-tsc/jest', types: ['jest', 'node'], tsBuildInfoFile: './out-tsc/jest/tsconfig.spec.tsbuildinfo' },
    include: ['src/**/*.spec.ts', 'src/**/*.test.ts', 'src/**/*.d.ts', 'src/testing/**/*.ts'],
    references: [{ path: './tsconfig.lib.json' }],
  });
  tree.write(`${root}/jest.config.cjs`, `module.exports = { ...require('../../jest.preset.js'), displayName: 'coin-${o.name}' };\n`);
  tree.write(`${root}/eslint.config.mjs`, "import baseConfig from '../../eslint.config.mjs';\n\nexport default [...baseConfig];\n");
}

/**
 * Copies the Bitcoin plugin's coin-independent sources (header, coinbase,
 * merkle, block, encodings, bitcoind JSON-RPC and node) into the new plugin,
 * each with a line saying where it came from.
 *
 * @throws Error when one is missing from plugins/coin-bitcoin
 */
function copyBitcoinSources(tree: Tree, o: NormalizedCoinPluginOptions): void {
  for (const file of BITCOIN_DIALECT_SOURCES) {
    const from = `${COIN_BITCOIN_ROOT}/src/${file}`;
    const text = tree.read(from, 'utf-8');
    if (text === null) {
      throw new Error(
        `coin-plugin: ${from} is missing: the bitcoin dialect copies it. Update BITCOIN_DIALECT_SOURCES in tools/generators/src/generators/coin-plugin/bitcoin-sources.ts`,
      );
    }
    const note = `/* Copied from ${from} by @lode/generators:coin-plugin: change what ${o.displayName} does differently. */\n`;
    tree.write(`${o.projectRoot}/src/${file}`, note + text);
  }
}
