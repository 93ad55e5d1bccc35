import { readFileSync } from 'node:fs';
import { LODE_PLUGIN_API_VERSION, type CoinPluginManifest } from '../coin-plugin';
import { PluginConformanceError, messageOf, shown } from './plugin-conformance-error';
import type { PluginConformanceFixture } from './plugin-conformance-fixture';

/**
 * Checks the `"lode"` marker of the plugin's package.json, read through
 * `require.resolve(`${packageName}/package.json`, { paths: [from] })`:
 * kind "coin-plugin", apiVersion === LODE_PLUGIN_API_VERSION, coins listing
 * the fixture's coin.
 *
 * @returns the marker
 * @throws PluginConformanceError naming the file and every field to fix
 * @see DESIGN.md "Plugins and discovery"
 */
export function checkManifest(fixture: Pick<PluginConformanceFixture, 'packageName' | 'from' | 'coinId'>): CoinPluginManifest {
  const { packageName, from, coinId } = fixture;
  const marker = `"lode": { "kind": "coin-plugin", "apiVersion": ${LODE_PLUGIN_API_VERSION}, "coins": ["${coinId}"] }`;
  let path: string;
  try {
    path = require.resolve(`${packageName}/package.json`, { paths: [from] });
  } catch (cause) {
    throw new PluginConformanceError(
      `${packageName}/package.json does not resolve from ${from} (${messageOf(cause)}): install or link the package where ${from} resolves it, and export "./package.json" if its package.json has "exports"`,
      { cause },
    );
  }
  const lode = (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>)['lode'];
  if (typeof lode !== 'object' || lode === null || Array.isArray(lode)) {
    throw new PluginConformanceError(`${path} has no "lode" marker (got ${shown(lode)}): add ${marker}`);
  }
  const m = lode as Record<string, unknown>;
  const problems: string[] = [];
  if (m['kind'] !== 'coin-plugin') problems.push(`"lode.kind" is ${shown(m['kind'])}: set it to "coin-plugin"`);
  if (m['apiVersion'] !== LODE_PLUGIN_API_VERSION) {
    problems.push(`"lode.apiVersion" is ${shown(m['apiVersion'])}: set it to ${LODE_PLUGIN_API_VERSION}, the plugin API this package implements`);
  }
  const coins = m['coins'];
  if (!Array.isArray(coins) || !coins.includes(coinId)) {
    problems.push(`"lode.coins" is ${shown(coins)}: list the coin id "${coinId}" in it`);
  }
  if (problems.length > 0) throw new PluginConformanceError(`${path}: ${problems.join('; ')} (the marker is ${marker})`);
  return lode as CoinPluginManifest;
}
