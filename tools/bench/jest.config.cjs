module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'bench',
  // @ethereumjs/ethash (the baseline of the ethash benchmark) pulls in ESM-only @noble/@scure packages.
  transformIgnorePatterns: ['/node_modules/(?!(inversify|@inversifyjs|@noble|@scure|@ethereumjs|ethereum-cryptography|micro-packed)/)'],
};
