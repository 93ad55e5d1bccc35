import type { CoinPlugin } from '../coin-plugin';
import { messageOf, shown } from './plugin-conformance-error';

/** The dialects a coin may name in `dialects` (the ones Lode speaks). */
export const KNOWN_DIALECTS: readonly string[] = ['bitcoin', 'ethstratum', 'warthog'];

const TARGET_LIMIT = 2n ** 256n;
const REQUIRED_METHODS = ['createNode', 'createJob', 'checkShare', 'buildHeader', 'buildBlock', 'displayHash'] as const;
const OPTIONAL_METHODS = ['versionRollingMask', 'hashShare', 'workKey', 'hashValue', 'extranonceSizes', 'workOfSeed'] as const;

/**
 * Every way `plugin` breaks the shape of the CoinPlugin contract
 * (coin-plugin.ts): member types, the id, known dialects, a usable
 * diff1Target, a NativeHasher, and an EpochHasher when it has one.
 *
 * @param coinId the id the manifest lists for it
 * @returns one sentence per problem saying what the member must be; empty when none
 */
export function contractProblems(plugin: CoinPlugin, coinId: string): string[] {
  const problems: string[] = [];
  const c = plugin as unknown as Record<string, unknown>;
  const read = (key: string, from: Record<string, unknown> = c): { value?: unknown; error?: string } => {
    try {
      return { value: from[key] };
    } catch (cause) {
      return { error: messageOf(cause) };
    }
  };
  const nonEmptyString = (key: string, what: string): void => {
    const { value } = read(key);
    if (typeof value !== 'string' || value.length === 0) problems.push(`${key} must be ${what}, a non-empty string (got ${shown(value)})`);
  };

  const id = read('id').value;
  if (id !== coinId) problems.push(`id must be the coin id "${coinId}" that "lode.coins" lists (got ${shown(id)})`);
  if (typeof id === 'string' && id !== id.toLowerCase()) problems.push(`id must be lower case (got ${shown(id)})`);
  nonEmptyString('name', 'the display name ("Bitcoin")');
  nonEmptyString('algorithm', 'the PoW algorithm ("sha256d")');

  const dialects = read('dialects').value;
  if (!Array.isArray(dialects) || dialects.length === 0 || !dialects.every((d) => KNOWN_DIALECTS.includes(d as string))) {
    problems.push(`dialects must list the dialects the coin speaks, at least one, each of ${KNOWN_DIALECTS.join(' | ')} (got ${shown(dialects)})`);
  }

  const diff1 = read('diff1Target').value;
  if (typeof diff1 !== 'bigint' || diff1 <= 0n || diff1 > TARGET_LIMIT) {
    problems.push(`diff1Target must be the difficulty-1 target as a bigint in (0, 2^256] (got ${shown(diff1)})`);
  }

  const schema = read('configSchema').value;
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    problems.push(`configSchema must be the JSON Schema object of the coin's config section (got ${shown(schema)})`);
  }

  const hasher = read('hasher');
  if (hasher.error !== undefined) {
    problems.push(`reading hasher threw: ${hasher.error} (the native addon must load, or hasher must load it lazily without throwing)`);
  } else if (typeof hasher.value !== 'object' || hasher.value === null) {
    problems.push(`hasher must be the coin's NativeHasher object (got ${shown(hasher.value)})`);
  } else {
    const h = hasher.value as Record<string, unknown>;
    const implementation = read('implementation', h);
    if (implementation.error !== undefined) problems.push(`hasher.implementation threw: ${implementation.error}`);
    else if (typeof implementation.value !== 'string') {
      problems.push(`hasher.implementation must name the code path the CPU got, a string (got ${shown(implementation.value)})`);
    }
    for (const m of ['hash', 'scan']) {
      if (typeof h[m] !== 'function') problems.push(`hasher.${m} must be a function (got ${shown(h[m])})`);
    }
  }

  for (const m of REQUIRED_METHODS) {
    if (typeof c[m] !== 'function') problems.push(`${m} must be a function (got ${shown(c[m])})`);
  }
  for (const m of OPTIONAL_METHODS) {
    if (c[m] !== undefined && typeof c[m] !== 'function') problems.push(`${m} is optional, but when present it must be a function (got ${shown(c[m])})`);
  }

  const epoch = read('epochHasher').value;
  if (epoch !== undefined) {
    if (typeof epoch !== 'object' || epoch === null) {
      problems.push(`epochHasher is optional, but when present it must be an EpochHasher object (got ${shown(epoch)})`);
    } else {
      const e = epoch as Record<string, unknown>;
      const implementation = read('implementation', e);
      if (typeof implementation.value !== 'string') {
        problems.push(`epochHasher.implementation must be a string (got ${implementation.error ?? shown(implementation.value)})`);
      }
      for (const m of ['prepare', 'scan', 'retain']) {
        if (typeof e[m] !== 'function') problems.push(`epochHasher.${m} must be a function (got ${shown(e[m])})`);
      }
      if (typeof c['hashShare'] !== 'function') {
        problems.push('a coin with an epochHasher must have hashShare: its NativeHasher cannot hash a bare header, so shares are hashed through hashShare');
      }
    }
  }
  return problems;
}
