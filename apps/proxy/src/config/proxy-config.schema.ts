/**
 * JSON Schema of the proxy config file (ajv, draft-07). Defaults are filled
 * in by the validator (`useDefaults`), so a minimal file names one upstream
 * and one port.
 */
export const proxyConfigSchema = {
  $id: 'https://lode.dev/schemas/proxy-config.json',
  type: 'object',
  additionalProperties: false,
  required: ['upstreams', 'ports'],
  properties: {
    $schema: { type: 'string' },
    plugins: {
      default: 'auto',
      oneOf: [{ const: 'auto' }, { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 }],
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
    upstreams: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'url', 'user', 'coin'],
        properties: {
          name: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' },
          url: { type: 'string', pattern: '^stratum[0-9]?\\+(tcp|ssl|tls)://' },
          user: { type: 'string', minLength: 1, maxLength: 256 },
          password: { type: 'string', maxLength: 256, default: 'x' },
          priority: { type: 'integer', minimum: 0, maximum: 1000, default: 0 },
          weight: { type: 'number', exclusiveMinimum: 0, maximum: 1000000, default: 1 },
          coin: { type: 'string', minLength: 1 },
          dialect: { enum: ['bitcoin', 'ethstratum', 'warthog'], default: 'bitcoin' },
          tls: {
            type: 'object',
            additionalProperties: false,
            properties: { caFile: { type: 'string', minLength: 1 }, insecure: { type: 'boolean', default: false } },
          },
        },
      },
    },
    credentials: { enum: ['proxy', 'passthrough'], default: 'proxy' },
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
          tls: {
            type: 'object',
            additionalProperties: false,
            required: ['certFile', 'keyFile'],
            properties: { certFile: { type: 'string' }, keyFile: { type: 'string' } },
          },
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
    healthCheckSeconds: { type: 'number', exclusiveMinimum: 0, maximum: 3600, default: 5 },
    failbackSeconds: { type: 'number', minimum: 0, maximum: 86400, default: 60 },
    connectTimeoutSeconds: { type: 'number', exclusiveMinimum: 0, maximum: 600, default: 10 },
    emptySubscriptionGraceSeconds: { type: 'number', minimum: 0, maximum: 86400, default: 60 },
    userAgent: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[ -~]+$', default: 'lode-proxy/0.1.0' },
    api: {
      type: 'object',
      additionalProperties: false,
      required: ['port'],
      properties: {
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'integer', minimum: 0, maximum: 65535 },
      },
    },
    metrics: {
      type: 'object',
      additionalProperties: false,
      required: ['port'],
      description: 'the Prometheus endpoint GET /metrics (docs/metrics.md); absent = off',
      properties: {
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'integer', minimum: 0, maximum: 65535 },
      },
    },
    shutdownGraceSeconds: { type: 'number', minimum: 0, default: 10 },
  },
} as const;
