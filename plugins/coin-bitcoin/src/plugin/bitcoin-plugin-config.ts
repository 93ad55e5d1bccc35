import { LodeError } from '@lode/plugin-api';
import { BITCOIN_NETWORK_NAMES, type BitcoinNetworkName } from '../coinbase/bitcoin-network';
import type { BitcoinNodeOptions } from '../node/bitcoin-node';

/** The `btc` section of the pool config, with defaults applied. */
export interface BitcoinPluginConfig {
  node: BitcoinNodeOptions;
  /** where the coinbase pays, any standard address type of `network` */
  payoutAddress: string;
  network: BitcoinNetworkName;
  /** written into the coinbase scriptSig after the height, UTF-8 */
  coinbaseTag: string;
  /** how far past the template's curtime a share's ntime may be, seconds */
  ntimeFutureSeconds: number;
}

/**
 * JSON Schema (works with ajv's draft-07 and 2020-12 classes) of the plugin's
 * config section. Defaults are given for ajv's `useDefaults`;
 * parseBitcoinPluginConfig applies them too.
 *
 * @example { "node": { "url": "http://127.0.0.1:18443", "cookieFile": "~/.bitcoin/regtest/.cookie" },
 *            "payoutAddress": "bcrt1q…", "network": "regtest" }
 */
export const bitcoinPluginConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['node', 'payoutAddress'],
  properties: {
    node: {
      type: 'object',
      additionalProperties: false,
      required: ['url'],
      properties: {
        url: { type: 'string', pattern: '^https?://', description: 'bitcoind JSON-RPC URL, e.g. http://127.0.0.1:8332' },
        user: { type: 'string' },
        password: { type: 'string' },
        cookieFile: { type: 'string', description: "path of bitcoind's .cookie file" },
        pollIntervalMs: { type: 'integer', minimum: 10, default: 1000 },
        longpoll: { type: 'boolean', default: true },
        refreshIntervalMs: { type: 'integer', minimum: 0, default: 30000 },
        timeoutMs: { type: 'integer', minimum: 1, default: 30000 },
      },
    },
    payoutAddress: { type: 'string', minLength: 1, description: 'P2PKH, P2SH, P2WPKH, P2WSH or P2TR address of `network`' },
    network: { enum: [...BITCOIN_NETWORK_NAMES], default: 'mainnet' },
    coinbaseTag: { type: 'string', default: '/Lode/', maxLength: 80 },
    ntimeFutureSeconds: { type: 'integer', minimum: 0, maximum: 7200, default: 7200 },
  },
} as const;

/**
 * Reads the config section (already validated against the schema, or not)
 * into typed values with defaults.
 *
 * @throws LodeError('config') naming the member that is missing or of the wrong type
 */
export function parseBitcoinPluginConfig(config: Record<string, unknown>): BitcoinPluginConfig {
  const node = config['node'];
  if (typeof node !== 'object' || node === null) {
    throw new LodeError('config', 'btc.node is required: { url, user?, password?, cookieFile?, pollIntervalMs?, longpoll? }');
  }
  const n = node as Record<string, unknown>;
  const str = (o: Record<string, unknown>, key: string, path: string): string | undefined => {
    const v = o[key];
    if (v !== undefined && typeof v !== 'string') throw new LodeError('config', `${path} is ${JSON.stringify(v)}, expected a string`);
    return v;
  };
  const int = (o: Record<string, unknown>, key: string, path: string): number | undefined => {
    const v = o[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 0)) {
      throw new LodeError('config', `${path} is ${JSON.stringify(v)}, expected a non-negative integer`);
    }
    return v;
  };
  const url = str(n, 'url', 'btc.node.url');
  if (url === undefined) throw new LodeError('config', 'btc.node.url is required (e.g. "http://127.0.0.1:8332")');
  const longpoll = n['longpoll'];
  if (longpoll !== undefined && typeof longpoll !== 'boolean') {
    throw new LodeError('config', `btc.node.longpoll is ${JSON.stringify(longpoll)}, expected true or false`);
  }
  const payoutAddress = str(config, 'payoutAddress', 'btc.payoutAddress');
  if (payoutAddress === undefined || payoutAddress === '') {
    throw new LodeError('config', 'btc.payoutAddress is required: the coinbase pays it');
  }
  const network = config['network'] ?? 'mainnet';
  if (!BITCOIN_NETWORK_NAMES.includes(network as BitcoinNetworkName)) {
    throw new LodeError('config', `btc.network is ${JSON.stringify(network)}, expected one of ${BITCOIN_NETWORK_NAMES.join(', ')}`);
  }
  const ntimeFutureSeconds = int(config, 'ntimeFutureSeconds', 'btc.ntimeFutureSeconds') ?? 7200;
  if (ntimeFutureSeconds > 7200) {
    // bitcoind refuses a block more than 2 hours ahead of its adjusted time ("time-too-new")
    throw new LodeError('config', `btc.ntimeFutureSeconds is ${ntimeFutureSeconds}, at most 7200 (bitcoind's 2-hour future limit)`);
  }
  return {
    node: {
      url,
      user: str(n, 'user', 'btc.node.user'),
      password: str(n, 'password', 'btc.node.password'),
      cookieFile: str(n, 'cookieFile', 'btc.node.cookieFile'),
      pollIntervalMs: int(n, 'pollIntervalMs', 'btc.node.pollIntervalMs'),
      longpoll,
      refreshIntervalMs: int(n, 'refreshIntervalMs', 'btc.node.refreshIntervalMs'),
      timeoutMs: int(n, 'timeoutMs', 'btc.node.timeoutMs'),
    },
    payoutAddress,
    network: network as BitcoinNetworkName,
    coinbaseTag: str(config, 'coinbaseTag', 'btc.coinbaseTag') ?? '/Lode/',
    ntimeFutureSeconds,
  };
}
