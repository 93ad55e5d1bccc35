describe('loadEthashNative', () => {
  describe('when the addon is built', () => {
    it('returns the same binding on every call', () => {
      const { loadEthashNative } = require('./load-ethash-native') as typeof import('./load-ethash-native');
      const first = loadEthashNative();
      expect(typeof first.buildLightCache).toBe('function');
      expect(loadEthashNative()).toBe(first);
    });
  });

  describe('when the addon is missing', () => {
    it('throws LodeError(plugin) telling how to build it', () => {
      let thrown: unknown;
      jest.isolateModules(() => {
        jest.doMock('../../native/index.js', () => {
          throw new Error("Cannot find module './coin-ethereum.linux-x64-gnu.node'");
        });
        const { loadEthashNative } = require('./load-ethash-native') as typeof import('./load-ethash-native');
        try {
          loadEthashNative();
        } catch (e) {
          thrown = e;
        }
      });
      jest.dontMock('../../native/index.js');
      expect(thrown).toMatchObject({
        name: 'LodeError',
        kind: 'plugin',
        message: expect.stringContaining('npx nx run @lode/coin-ethereum:build-native'),
      });
      expect((thrown as Error).message).toContain("Cannot find module './coin-ethereum.linux-x64-gnu.node'");
    });
  });
});
