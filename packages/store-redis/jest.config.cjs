module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'store-redis',
  testTimeout: 30000,
  // ioredis keeps reconnect/disconnect timers after a test's server is killed on purpose;
  // every test stops its own redis-server, so a lingering client timer must not hold the run open.
  forceExit: true,
};
