import { Container } from 'inversify';
import { MemorySessionStore } from './memory-session-store';
import { MemoryShareStore } from './memory-share-store';
import { poolEngineModule } from './pool-engine-module';
import { SESSION_STORE } from './session-store-token';
import type { ShareStore } from './share-store';
import { SHARE_STORE } from './share-store-token';

describe('poolEngineModule', () => {
  describe('when loaded into a container', () => {
    it('binds the in-memory stores as singletons under the shared tokens', async () => {
      const container = new Container();
      await container.load(poolEngineModule);
      expect(container.get(SHARE_STORE)).toBeInstanceOf(MemoryShareStore);
      expect(container.get(SHARE_STORE)).toBe(container.get(SHARE_STORE));
      expect(container.get(SESSION_STORE)).toBeInstanceOf(MemorySessionStore);
      expect(SHARE_STORE).toBe(Symbol.for('lode.ShareStore'));
      expect(SESSION_STORE).toBe(Symbol.for('lode.SessionStore'));
    });
  });

  describe('when an app rebinds a port', () => {
    it('gets its own implementation', async () => {
      const container = new Container();
      await container.load(poolEngineModule);
      const mine: ShareStore = { record: async () => undefined };
      container.rebind(SHARE_STORE).toConstantValue(mine);
      expect(container.get(SHARE_STORE)).toBe(mine);
    });
  });
});
