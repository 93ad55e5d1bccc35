/* The runtime options of the generator; not named schema.ts, because require("./schema") would load schema.json. */
/** The apps a generated app can start. */
export const APP_KINDS = ['pool', 'proxy', 'miner'] as const;

/** Which Lode app a generated app starts. */
export type AppKind = (typeof APP_KINDS)[number];

/** Options of the `app` generator (schema.json). */
export interface AppGeneratorSchema {
  /** lower case: letters, digits and single hyphens, starting with a letter */
  name: string;
  kind: AppKind;
  /** comma-separated coin plugins: package names, plugin directory names or coin ids */
  plugins: string;
}
