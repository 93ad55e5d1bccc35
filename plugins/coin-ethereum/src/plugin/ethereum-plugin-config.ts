import { LodeError } from '@lode/plugin-api';
import { ETC_ECIP1099_BLOCK } from '../epoch/epoch-lengths';
import type { EthereumNodeOptions } from '../node/ethereum-node';

/** The `eth` or `etc` section of the pool config, with defaults applied. */
export interface EthereumPluginConfig {
  node: EthereumNodeOptions;
  /**
   * extranonce1 bytes per session (the EthereumStratum/2.0.0 `mining.set`
   * extranonce), 1..6; the miner's nonce suffix (extranonce2) is the other
   * 8 - extranonceBytes bytes of the 64-bit nonce
   */
  extranonceBytes: number;
  /** the ECIP-1099 fork block ("etc" only; 11_700_000 on ETC mainnet, 2_520_000 on Mordor) */
  ecip1099Block?: number;
}

/** Default extranonce1 size: 2 bytes leaves 6 for the miner, as Miningcore's EthereumExtraNonceProvider (facts/ethash.md §5.2). */
export const DEFAULT_EXTRANONCE_BYTES = 2;

/** EIP-1571: the extranonce has "a maximum length of 6 bytes" (facts/ethash.md §1.3). */
export const MAX_EXTRANONCE_BYTES = 6;

const nodeSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['url'],
  properties: {
    url: { type: 'string', pattern: '^https?://', description: "the node's JSON-RPC URL, e.g. http://127.0.0.1:8545" },
    pollIntervalMs: { type: 'integer', minimum: 10, default: 500, description: 'eth_getWork poll period, ms' },
    timeoutMs: { type: 'integer', minimum: 1, default: 5000, description: 'time limit per call, ms' },
  },
} as const;

const extranonceBytesSchema = {
  type: 'integer',
  minimum: 1,
  maximum: MAX_EXTRANONCE_BYTES,
  default: DEFAULT_EXTRANONCE_BYTES,
  description: 'extranonce1 bytes per session (EIP-1571: at most 6); the miner rolls the other 8 - extranonceBytes bytes of the nonce',
} as const;

/**
 * JSON Schema (ajv, draft-07 and 2020-12) of the `eth` coin's config section.
 * Defaults are given for ajv's `useDefaults`; parseEthereumPluginConfig applies them too.
 *
 * @example { "node": { "url": "http://127.0.0.1:8545" }, "extranonceBytes": 2 }
 */
export const ethPluginConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['node'],
  properties: { node: nodeSchema, extranonceBytes: extranonceBytesSchema },
} as const;

/**
 * JSON Schema of the `etc` coin's config section: as `eth`, plus the
 * ECIP-1099 fork block (11_700_000 on ETC mainnet; set 2_520_000 for Mordor).
 *
 * @example { "node": { "url": "http://127.0.0.1:8545" }, "ecip1099Block": 2520000 }
 */
export const etcPluginConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['node'],
  properties: {
    node: nodeSchema,
    extranonceBytes: extranonceBytesSchema,
    ecip1099Block: {
      type: 'integer',
      minimum: 0,
      default: ETC_ECIP1099_BLOCK,
      description: 'the ECIP-1099 (ETChash) fork block: 11700000 on ETC mainnet, 2520000 on Mordor',
    },
  },
} as const;

/**
 * Reads the config section of `coin` (validated against its schema or not)
 * into typed values with defaults.
 *
 * @param coin "eth" or "etc" (names the section in messages; "etc" reads ecip1099Block)
 * @throws LodeError('config') naming the member that is missing, of the wrong
 *   type or out of range
 */
export function parseEthereumPluginConfig(config: Record<string, unknown>, coin: 'eth' | 'etc'): EthereumPluginConfig {
  const node = config['node'];
  if (typeof node !== 'object' || node === null) {
    throw new LodeError('config', `${coin}.node is required: { url, pollIntervalMs?, timeoutMs? }`);
  }
  const n = node as Record<string, unknown>;
  const url = n['url'];
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) {
    throw new LodeError('config', `${coin}.node.url is ${JSON.stringify(url)}, expected an http(s) URL such as "http://127.0.0.1:8545"`);
  }
  const int = (o: Record<string, unknown>, key: string, path: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined => {
    const v = o[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max)) {
      const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in ${min}..${max}`;
      throw new LodeError('config', `${path} is ${JSON.stringify(v)}, expected ${range}`);
    }
    return v as number | undefined;
  };
  for (const key of Object.keys(config)) {
    if (key !== 'node' && key !== 'extranonceBytes' && !(coin === 'etc' && key === 'ecip1099Block')) {
      const hint = key === 'ecip1099Block' ? ' (only the "etc" coin has an ECIP-1099 fork)' : '';
      throw new LodeError('config', `${coin}.${key} is not a setting of this coin${hint}`);
    }
  }
  const parsed: EthereumPluginConfig = {
    node: {
      url,
      pollIntervalMs: int(n, 'pollIntervalMs', `${coin}.node.pollIntervalMs`, 10),
      timeoutMs: int(n, 'timeoutMs', `${coin}.node.timeoutMs`, 1),
    },
    extranonceBytes:
      int(config, 'extranonceBytes', `${coin}.extranonceBytes`, 1, MAX_EXTRANONCE_BYTES) ?? DEFAULT_EXTRANONCE_BYTES,
  };
  if (coin === 'etc') parsed.ecip1099Block = int(config, 'ecip1099Block', 'etc.ecip1099Block', 0) ?? ETC_ECIP1099_BLOCK;
  return parsed;
}
