module.exports = { ...require('../../jest.preset.js'), displayName: 'stratum-core' };
