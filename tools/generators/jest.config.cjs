module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'generators',
  // the templates under files/ are EJS, not tests
  testPathIgnorePatterns: ['/node_modules/', '/files/'],
};
