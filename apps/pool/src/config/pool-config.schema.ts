/** A "more than `max` per `windowSeconds` bans for `banSeconds`" rule with its defaults. */
function rateRule(max: number, windowSeconds: number, banSeconds: number) {
  return {
    type: 'object',
    additionalProperties: false,
    default: {},
    properties: {
      enabled: { type: 'boolean', default: true },
      max: { type: 'integer', minimum: 1, default: max },
      windowSeconds: { type: 'number', exclusiveMinimum: 0, default: windowSeconds },
      banSeconds: { type: 'number', exclusiveMinimum: 0, default: banSeconds },
    },
  } as const;
}

/**
 * JSON Schema of the pool config file (ajv, draft-07). Defaults are filled in
 * by the validator (`useDefaults`), so a minimal file names only the coin
 * section and one port.
 */
export const poolConfigSchema = {
  $id: 'https://lode.dev/schemas/pool-config.json',
  type: 'object',
  additionalProperties: false,
  required: ['coins', 'ports'],
  properties: {
    $schema: { type: 'string' },
    plugins: {
      default: 'auto',
      oneOf: [
        { const: 'auto' },
        { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
      ],
    },
    log: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        level: { enum: ['trace', 'debug', 'info', 'warn', 'error', 'fatal'], default: 'info' },
        format: { enum: ['pretty', 'json'], default: 'pretty' },
        shares: { type: 'boolean', default: true },
        statsIntervalSeconds: { type: 'number', minimum: 0, default: 10 },
      },
    },
    coins: {
      type: 'object',
      minProperties: 1,
      additionalProperties: { type: 'object' },
    },
    engine: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        extranonce1Size: { type: 'integer', minimum: 1, maximum: 8, default: 4 },
        extranonce2Size: { type: 'integer', minimum: 2, maximum: 8, default: 4 },
        jobRefreshSeconds: { type: 'number', exclusiveMinimum: 0, default: 30 },
        jobHistory: { type: 'integer', minimum: 2, maximum: 1024, default: 32 },
        acceptStaleHeights: { type: 'integer', minimum: 0, maximum: 64, default: 0 },
      },
    },
    ports: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['port', 'coin'],
        properties: {
          name: { type: 'string' },
          host: { type: 'string', default: '0.0.0.0' },
          port: { type: 'integer', minimum: 0, maximum: 65535 },
          coin: { type: 'string', minLength: 1 },
          dialect: { enum: ['bitcoin', 'ethstratum', 'warthog'], default: 'bitcoin' },
          // filled in (with its defaults) for ethstratum ports only, see parsePoolConfig
          ethstratum: {
            type: 'object',
            additionalProperties: false,
            properties: {
              // the Ethereum dialects served on the port, told apart by the first message (docs/ethstratum.md)
              dialects: {
                type: 'array',
                minItems: 1,
                uniqueItems: true,
                items: { enum: ['es2', 'es1', 'ethproxy', 'plain'] },
                default: ['es2', 'es1', 'ethproxy', 'plain'],
              },
              encoding: { enum: ['plain', 'gzip'], default: 'plain' },
              resume: { type: 'boolean', default: true },
              timeoutSeconds: { type: 'integer', minimum: 10, maximum: 86400, default: 180 },
              maxErrors: { type: 'integer', minimum: 1, maximum: 1000, default: 5 },
              node: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[ -~]+$' },
              hashrateMinIntervalSeconds: { type: 'number', minimum: 0, default: 10 },
              hashrateNotifySeconds: { type: 'number', minimum: 0, default: 60 },
            },
          },
          difficulty: {
            type: 'object',
            additionalProperties: false,
            default: {},
            properties: {
              initial: { type: 'number', exclusiveMinimum: 0, default: 1 },
              vardiff: {
                type: 'object',
                additionalProperties: false,
                properties: {
                  targetShareSeconds: { type: 'number', exclusiveMinimum: 0, default: 10 },
                  retargetSeconds: { type: 'number', exclusiveMinimum: 0, default: 60 },
                  variancePercent: { type: 'number', minimum: 0, maximum: 100, default: 30 },
                  min: { type: 'number', exclusiveMinimum: 0, default: 0.0001 },
                  max: { type: 'number', exclusiveMinimum: 0, default: 1e15 },
                },
              },
            },
          },
          // PEM files, re-read when they change (a renewed certificate without a restart)
          tls: {
            type: 'object',
            additionalProperties: false,
            required: ['certFile', 'keyFile'],
            properties: {
              certFile: { type: 'string', minLength: 1 },
              keyFile: { type: 'string', minLength: 1 },
              watchIntervalSeconds: { type: 'number', exclusiveMinimum: 0, maximum: 3600 },
            },
          },
          // HAProxy PROXY protocol header required on every connection (v1 text, v2 binary, or either)
          proxyProtocol: { enum: ['v1', 'v2', 'any'] },
          // open connections on this port at most; absent = unlimited
          maxConnections: { type: 'integer', minimum: 1 },
          // open connections from one address (the PROXY header's source) on this port at most; absent = unlimited
          maxConnectionsPerAddress: { type: 'integer', minimum: 1 },
          // the host name miners reach this port by, for EthereumStratum/2.0.0 mining.reconnect
          publicHost: { type: 'string', minLength: 1, maxLength: 253 },
          versionRolling: {
            type: 'object',
            additionalProperties: false,
            default: {},
            properties: { allowWithoutConfigure: { type: 'boolean', default: false } },
          },
          maxLineBytes: { type: 'integer', minimum: 256, maximum: 1048576, default: 16384 },
          idleTimeoutSeconds: { type: 'number', minimum: 0, default: 600 },
        },
      },
    },
    shutdownGraceSeconds: { type: 'number', minimum: 0, default: 10 },
    instanceId: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' },
    redis: {
      type: 'object',
      additionalProperties: false,
      required: ['url'],
      properties: {
        url: { type: 'string', pattern: '^rediss?://' },
        prefix: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,32}$', default: 'lode' },
        spoolDir: { type: 'string', default: '.lode/spool' },
        leaseSeconds: { type: 'number', minimum: 1, maximum: 300, default: 5 },
        extranoncePrefixBytes: { type: 'integer', minimum: 1, maximum: 3, default: 1 },
        accounting: {
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            enabled: { type: 'boolean', default: true },
            scheme: { enum: ['pplns', 'prop', 'solo'], default: 'pplns' },
            pplnsWindowDifficulty: { type: 'number', exclusiveMinimum: 0, default: 1000 },
          },
        },
      },
    },
    // bans and reject escalation, shared by every port (docs in pool-config.ts ProtectionConfig)
    protection: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        enabled: { type: 'boolean', default: true },
        // addresses and CIDR ranges (IPv4, IPv6) never banned; loopback by default (a local proxy without PROXY protocol)
        allowList: { type: 'array', items: { type: 'string', minLength: 1 }, default: ['127.0.0.0/8', '::1'] },
        maxTrackedAddresses: { type: 'integer', minimum: 1, default: 65536 },
        invalidShares: {
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            enabled: { type: 'boolean', default: true },
            minShares: { type: 'integer', minimum: 1, default: 50 },
            windowSeconds: { type: 'number', exclusiveMinimum: 0, default: 600 },
            maxInvalidRatio: { type: 'number', exclusiveMinimum: 0, maximum: 1, default: 0.5 },
            banSeconds: { type: 'number', exclusiveMinimum: 0, default: 600 },
          },
        },
        malformedMessages: rateRule(20, 60, 600),
        authFailures: rateRule(10, 60, 600),
        connectionRate: rateRule(100, 10, 300),
        escalation: {
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            enabled: { type: 'boolean', default: true },
            resendWorkSeconds: { type: 'number', minimum: 0, default: 60 },
            reconnectSeconds: { type: 'number', minimum: 0, default: 120 },
            dropSeconds: { type: 'number', minimum: 0, default: 180 },
          },
        },
      },
    },
    metrics: {
      type: 'object',
      additionalProperties: false,
      required: ['port'],
      properties: {
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'integer', minimum: 0, maximum: 65535 },
      },
    },
    api: {
      type: 'object',
      additionalProperties: false,
      required: ['port'],
      properties: {
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'integer', minimum: 0, maximum: 65535 },
        /** seconds between two pool hashrate samples of /api/history and the dashboard's chart */
        historyIntervalSeconds: { type: 'number', exclusiveMinimum: 0, default: 60 },
        /** hashrate samples kept per coin (1440 at 60 s = 24 h) */
        historyPoints: { type: 'integer', minimum: 1, maximum: 100000, default: 1440 },
        /** serve the dashboard page at /dashboard/ */
        dashboard: { type: 'boolean', default: true },
      },
    },
  },
} as const;
