module.exports = { ...require('../../jest.preset.js'), displayName: 'coin-warthog' };
