module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'e2e',
  // Real processes on loopback: the first block on the devnet can take a while on 2 cores.
  testTimeout: 180000,
  maxWorkers: 1,
  // child processes are always stopped in afterAll; a lingering ioredis timer must not hold the run open
  forceExit: true,
};
