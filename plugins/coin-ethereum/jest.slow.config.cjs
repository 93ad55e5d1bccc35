// The slow ethash vectors (real epochs 89..2047, ETChash): caches of 28-285 MB,
// about a minute in all. Run: npx jest -c plugins/coin-ethereum/jest.slow.config.cjs
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'coin-ethereum-slow',
  testMatch: ['**/*.slow-spec.ts'],
};
