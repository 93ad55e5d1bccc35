import type { Tree } from '@nx/devkit';
import { COIN_BITCOIN_ROOT } from './bitcoin-sources';

/** The loader napi-rs wrote for the Bitcoin plugin (`napi build` regenerates each plugin's). */
const TEMPLATE_LOADER = `${COIN_BITCOIN_ROOT}/native/index.js`;
const TEMPLATE_BINARY = 'coin-bitcoin';
const EXPORT_LINE = /^module\.exports\.([A-Za-z_$][\w$]*) = nativeBinding\.\1\n/gm;

/**
 * The `native/index.js` loader `napi build` would write for a plugin whose
 * binaryName is `binaryName` and whose addon exports `exportNames`: the Bitcoin
 * plugin's loader (same @napi-rs/cli version) with its binary and package
 * names replaced and its export lines rewritten. Committed like the other
 * plugins' loaders, so the plugin type-checks and loads before its first build.
 *
 * @param exportNames the addon's JS functions, sorted as napi sorts them
 * @returns the loader, or undefined when plugins/coin-bitcoin has none (the first build-native writes it)
 */
export function nativeLoaderFrom(tree: Tree, binaryName: string, exportNames: readonly string[]): string | undefined {
  const template = tree.read(TEMPLATE_LOADER, 'utf-8');
  if (template === null) return undefined;
  const renamed = template.split(TEMPLATE_BINARY).join(binaryName);
  const firstExport = renamed.search(EXPORT_LINE);
  if (firstExport < 0) return undefined;
  const head = renamed.slice(0, firstExport).replace(EXPORT_LINE, '');
  return head + exportNames.map((name) => `module.exports.${name} = nativeBinding.${name}\n`).join('');
}
