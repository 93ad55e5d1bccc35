module.exports = { ...require('../../jest.preset.js'), displayName: 'dialect-warthog' };
