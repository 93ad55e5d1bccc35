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
  /**
   * the server mask for BIP 310 version rolling, uint32 (0 = none), parsed
   * from the `versionRollingMask` setting (see BITCOIN_VERSION_ROLLING_MASKS)
   */
  versionRollingMask: number;
}

/**
 * The named values of the `versionRollingMask` setting, as uint32 masks:
 * - `bip320`: 0x1fffe000, bits 13-28, "sixteen bits ... for general use"
 *   (BIP 320); the default of ckpool, Miningcore and public-pool, and what
 *   Bitaxe chips can roll;
 * - `bip323`: 0x1fffffe0, bits 5-28 (BIP 323, Bitcoin Core PR #34779);
 * - `off`: 0, no version rolling.
 *
 * @see facts/field-notes.md §3(c)
 */
export const BITCOIN_VERSION_ROLLING_MASKS = { bip320: 0x1fffe000, bip323: 0x1fffffe0, off: 0 } as const;

/** Bits a configured mask must leave alone: the BIP 9 top bits 001 (bit 31 set makes the version negative: "bad-version"). */
const FIXED_VERSION_BITS = 0xe0000000;

/** The schema pattern of `versionRollingMask`: a name, or 8 hex digits whose first is 0 or 1 (bits 29-31 clear). */
const VERSION_ROLLING_MASK_PATTERN = '^(bip320|bip323|off|[01][0-9a-fA-F]{7})$';

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
    versionRollingMask: {
      type: 'string',
      pattern: VERSION_ROLLING_MASK_PATTERN,
      default: 'bip320',
      description:
        'BIP 310 version rolling mask: "bip320" (1fffe000), "bip323" (1fffffe0), "off", or 8 hex digits leaving bits 29-31 clear',
    },
  },
} as const;

/**
 * Reads a `versionRollingMask` setting: "bip320" (the default, also for
 * undefined), "bip323", "off", or 8 hex digits (BIP 310 TMask, any case).
 * The mask may not cover bits 29-31: BIP 9 versions start with the bits 001,
 * and a rolled bit 31 makes the version negative, a block bitcoind refuses.
 *
 * @param value the setting, a string or undefined
 * @param path where it sits, for the message ("btc.versionRollingMask")
 * @returns uint32 mask, 0 for "off"
 * @throws LodeError('config') naming the value and the rule
 * @see BIP 320, BIP 323; facts/field-notes.md §3(b), §3(c)
 */
export function parseVersionRollingMask(value: unknown, path = 'btc.versionRollingMask'): number {
  if (value === undefined) return BITCOIN_VERSION_ROLLING_MASKS.bip320;
  if (typeof value === 'string' && Object.hasOwn(BITCOIN_VERSION_ROLLING_MASKS, value)) {
    return BITCOIN_VERSION_ROLLING_MASKS[value as keyof typeof BITCOIN_VERSION_ROLLING_MASKS];
  }
  if (typeof value !== 'string' || !/^[0-9a-fA-F]{8}$/.test(value)) {
    throw new LodeError(
      'config',
      `${path} is ${JSON.stringify(value)}, expected "bip320", "bip323", "off" or 8 hex digits (e.g. "1fffe000")`,
    );
  }
  const mask = parseInt(value, 16) >>> 0;
  if ((mask & FIXED_VERSION_BITS) !== 0) {
    throw new LodeError(
      'config',
      `${path} is "${value}": a mask must leave bits 29-31 (e0000000) clear, they carry the BIP 9 prefix 001`,
    );
  }
  return mask;
}

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
    versionRollingMask: parseVersionRollingMask(config['versionRollingMask']),
  };
}
