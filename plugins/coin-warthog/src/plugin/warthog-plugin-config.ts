import { LodeError } from '@lode/plugin-api';
import { parseWarthogAddress } from '../address/parse-warthog-address';
import type { WarthogNodeOptions } from '../node/warthog-node';

/** The `wart` section of the pool config, with defaults applied. */
export interface WarthogPluginConfig {
  /** the node's URL and timings (pollIntervalMs 500, timeoutMs 5000, refreshMs 10000 by default) */
  node: WarthogNodeOptions;
  /** the account `/chain/mine` pays: 48 lower-case hex, checksum checked */
  payoutAddress: string;
  /** extranonce1 bytes per session, 4..6; miners roll the other 10 - extranonce1Bytes (extranonce2) */
  extranonce1Bytes: number;
  /** how far past the pool's clock a share's ntime may go, seconds, 0..600 */
  ntimeFutureSeconds: number;
}

/** Default extranonce1 size: 4 bytes, extranonce2 6, as the node's own stratum and MININGCORE (facts/warthog.md §4.6, §7). */
export const DEFAULT_EXTRANONCE1_BYTES = 4;
/** At least 4 bytes of extranonce1 (room for unique per-session prefixes; extranonce2 at most 6, the size known to work with JANUSMINER). */
export const MIN_EXTRANONCE1_BYTES = 4;
/**
 * At most 6 bytes of extranonce1: JANUSMINER's gen_extra2 writes a 4-byte
 * counter at offset extranonce2Size - 4, so an extranonce2 below 4 bytes
 * crashes it (facts/warthog.md §7, "extranonce2 size").
 */
export const MAX_EXTRANONCE1_BYTES = 6;
/** The node refuses a block more than 600 s ahead of its clock (`TOLERANCEMINUTES = 10`, facts/warthog.md §4.4). */
export const DEFAULT_NTIME_FUTURE_SECONDS = 600;

/**
 * JSON Schema (ajv, draft-07 and 2020-12) of the `wart` coin's config
 * section. Defaults are given for ajv's `useDefaults`; parseWarthogPluginConfig
 * applies them too and also checks the address checksum, which a schema cannot.
 *
 * @example { "node": { "url": "http://127.0.0.1:3000" }, "payoutAddress": "3661579d61abde5837a8686dc4d65348a2fc61b1fe5f4093" }
 */
export const warthogPluginConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['node', 'payoutAddress'],
  properties: {
    node: {
      type: 'object',
      additionalProperties: false,
      required: ['url'],
      properties: {
        url: {
          type: 'string',
          pattern: '^https?://',
          description: "the node's private HTTP API, e.g. http://127.0.0.1:3000 (mainnet; testnet 3100); /chain/append is not on the public port",
        },
        pollIntervalMs: { type: 'integer', minimum: 10, default: 500, description: '/chain/head poll period, ms' },
        timeoutMs: { type: 'integer', minimum: 1, default: 5000, description: 'time limit per call, ms' },
        refreshMs: { type: 'integer', minimum: 100, default: 10000, description: 'refetch /chain/mine at least this often for new transactions, ms' },
      },
    },
    payoutAddress: {
      type: 'string',
      pattern: '^[0-9a-fA-F]{48}$',
      description: 'the pool account the block reward goes to: 48 hex digits (20-byte address + 4-byte SHA-256 checksum)',
    },
    extranonce1Bytes: {
      type: 'integer',
      minimum: MIN_EXTRANONCE1_BYTES,
      maximum: MAX_EXTRANONCE1_BYTES,
      default: DEFAULT_EXTRANONCE1_BYTES,
      description: 'extranonce1 bytes per session; miners roll the other 10 - extranonce1Bytes (JANUSMINER needs an extranonce2 of at least 4)',
    },
    ntimeFutureSeconds: {
      type: 'integer',
      minimum: 0,
      maximum: DEFAULT_NTIME_FUTURE_SECONDS,
      default: DEFAULT_NTIME_FUTURE_SECONDS,
      description: "how far past the pool's clock a share's ntime may go, seconds (the node allows 600)",
    },
  },
} as const;

const KEYS = new Set(Object.keys(warthogPluginConfigSchema.properties));
const NODE_KEYS = new Set(Object.keys(warthogPluginConfigSchema.properties.node.properties));

/**
 * Reads the `wart` config section (validated against the schema or not) into
 * typed values with defaults.
 *
 * @throws LodeError('config') naming the member that is missing, unknown, of
 *   the wrong type or out of range, or an address whose checksum is wrong
 * @see facts/warthog.md §4.2 (address), §4.4 (timestamps), §7 (extranonce sizes)
 */
export function parseWarthogPluginConfig(config: Record<string, unknown>): WarthogPluginConfig {
  for (const key of Object.keys(config)) {
    if (!KEYS.has(key)) throw new LodeError('config', `wart.${key} is not a setting of this coin (known: ${[...KEYS].join(', ')})`);
  }
  const node = config['node'];
  if (typeof node !== 'object' || node === null) {
    throw new LodeError('config', 'wart.node is required: { url, pollIntervalMs?, timeoutMs?, refreshMs? }');
  }
  const n = node as Record<string, unknown>;
  for (const key of Object.keys(n)) {
    if (!NODE_KEYS.has(key)) throw new LodeError('config', `wart.node.${key} is not a node setting (known: ${[...NODE_KEYS].join(', ')})`);
  }
  const url = n['url'];
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) {
    throw new LodeError('config', `wart.node.url is ${JSON.stringify(url)}, expected an http(s) URL such as "http://127.0.0.1:3000"`);
  }
  const int = (o: Record<string, unknown>, key: string, path: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined => {
    const v = o[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max)) {
      const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in ${min}..${max}`;
      throw new LodeError('config', `${path} is ${JSON.stringify(v)}, expected ${range}`);
    }
    return v as number | undefined;
  };
  const nodeOptions: WarthogNodeOptions = { url };
  const pollIntervalMs = int(n, 'pollIntervalMs', 'wart.node.pollIntervalMs', 10);
  const timeoutMs = int(n, 'timeoutMs', 'wart.node.timeoutMs', 1);
  const refreshMs = int(n, 'refreshMs', 'wart.node.refreshMs', 100);
  if (pollIntervalMs !== undefined) nodeOptions.pollIntervalMs = pollIntervalMs;
  if (timeoutMs !== undefined) nodeOptions.timeoutMs = timeoutMs;
  if (refreshMs !== undefined) nodeOptions.refreshMs = refreshMs;
  return {
    node: nodeOptions,
    payoutAddress: parseWarthogAddress(config['payoutAddress'], 'wart.payoutAddress'),
    extranonce1Bytes:
      int(config, 'extranonce1Bytes', 'wart.extranonce1Bytes', MIN_EXTRANONCE1_BYTES, MAX_EXTRANONCE1_BYTES) ?? DEFAULT_EXTRANONCE1_BYTES,
    ntimeFutureSeconds:
      int(config, 'ntimeFutureSeconds', 'wart.ntimeFutureSeconds', 0, DEFAULT_NTIME_FUTURE_SECONDS) ?? DEFAULT_NTIME_FUTURE_SECONDS,
  };
}
