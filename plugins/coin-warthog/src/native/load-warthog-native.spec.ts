describe('loadWarthogNative', () => {
  describe('when the addon is built', () => {
    it('returns the same binding on every call', () => {
      const { loadWarthogNative } = require('./load-warthog-native') as typeof import('./load-warthog-native');
      const first = loadWarthogNative();
      expect(typeof first.janushash).toBe('function');
      expect(typeof first.scan).toBe('function');
      expect(loadWarthogNative()).toBe(first);
    });
  });

  describe('when the addon is missing', () => {
    it('throws LodeError(plugin) telling how to build it', () => {
      let thrown: unknown;
      jest.isolateModules(() => {
        jest.doMock('../../native/index.js', () => {
          throw new Error("Cannot find module './coin-warthog.linux-x64-gnu.node'");
        });
        const { loadWarthogNative } = require('./load-warthog-native') as typeof import('./load-warthog-native');
        try {
          loadWarthogNative();
        } catch (e) {
          thrown = e;
        }
      });
      jest.dontMock('../../native/index.js');
      expect(thrown).toMatchObject({
        name: 'LodeError',
        kind: 'plugin',
        message: expect.stringContaining('npx nx run @lode/coin-warthog:build-native'),
      });
      expect((thrown as Error).message).toContain("Cannot find module './coin-warthog.linux-x64-gnu.node'");
    });
  });
});
