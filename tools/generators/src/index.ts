/* Generators (also listed in generators.json for `nx g @lode/generators:<name>`) */
export { coinPluginGenerator, normalizeCoinPluginOptions } from './generators/coin-plugin/generator';
export type { NormalizedCoinPluginOptions } from './generators/coin-plugin/generator';
export { COIN_PLUGIN_DIALECTS } from './generators/coin-plugin/options';
export type { CoinPluginDialect, CoinPluginGeneratorSchema } from './generators/coin-plugin/options';
export { appGenerator, normalizeAppOptions } from './generators/app/generator';
export type { NormalizedAppOptions } from './generators/app/generator';
export { APP_KINDS } from './generators/app/options';
export type { AppGeneratorSchema, AppKind } from './generators/app/options';

/* Workspace helpers */
export { addCargoWorkspaceMember, addRootTsReference, readPluginApiVersion, readPluginManifests } from './utils/workspace';
export type { WorkspacePlugin } from './utils/workspace';
