// Shared Jest settings for every project: swc with legacy decorators and
// decorator metadata (inversify), inversify 8 (ESM-only) transformed, sources of
// workspace packages resolved through the "@lode/source" export condition.
module.exports = {
  testEnvironment: 'node',
  // Jest's 5 s default is too tight for the specs that do real work (65,536
  // EIP-1571 request ids, a miner CLI run of 3 s, real sockets) on a 2-core CI
  // machine that runs several projects at once. A hung test still fails,
  // after 30 s. Projects that need more set their own (e2e: 180 s).
  testTimeout: 30000,
  testEnvironmentOptions: { customExportConditions: ['@lode/source', 'node', 'require', 'default'] },
  transform: {
    '^.+\\.[tj]s$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(inversify|@inversifyjs)/)'],
  moduleFileExtensions: ['ts', 'js', 'json', 'node'],
  // reflect-metadata for inversify; a fixed fast-check seed unless fuzzing (jest.fuzz-seed.cjs)
  setupFiles: ['reflect-metadata', require.resolve('./jest.fuzz-seed.cjs')],
  testMatch: ['**/?(*.)+(spec|test).ts'],
};
