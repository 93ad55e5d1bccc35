/* The runtime options of the generator; not named schema.ts, because require("./schema") would load schema.json. */
/** The dialects a generated coin plugin can speak (CoinPlugin.dialects, DialectWork.dialect). */
export const COIN_PLUGIN_DIALECTS = ['bitcoin', 'ethstratum', 'warthog'] as const;

/** A dialect a generated coin plugin can speak. */
export type CoinPluginDialect = (typeof COIN_PLUGIN_DIALECTS)[number];

/** Options of the `coin-plugin` generator (schema.json). */
export interface CoinPluginGeneratorSchema {
  /** coin id, lower case: letters, digits and single hyphens, starting with a letter ("ltc") */
  name: string;
  /** proof-of-work algorithm name ("scrypt") */
  algorithm: string;
  dialect: CoinPluginDialect;
  /** CoinPlugin.name; default: the id in title case */
  displayName?: string;
}
