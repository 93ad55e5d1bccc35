module.exports = { ...require('../../jest.preset.js'), displayName: 'store-redis', testTimeout: 30000 };
