// Shared Jest settings for every project: swc with legacy decorators and
// decorator metadata (inversify), inversify 8 (ESM-only) transformed, sources of
// workspace packages resolved through the "@lode/source" export condition.
module.exports = {
  testEnvironment: 'node',
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
  setupFiles: ['reflect-metadata'],
  testMatch: ['**/?(*.)+(spec|test).ts'],
};
