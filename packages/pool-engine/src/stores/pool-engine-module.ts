import { ContainerModule } from 'inversify';
import { MemorySessionStore } from './memory-session-store';
import { MemoryShareStore } from './memory-share-store';
import { SESSION_STORE } from './session-store-token';
import { SHARE_STORE } from './share-store-token';

/**
 * The engine's ContainerModule: binds the in-memory defaults of its ports,
 * {@link SHARE_STORE} -> {@link MemoryShareStore} and {@link SESSION_STORE} ->
 * {@link MemorySessionStore}, each a singleton. An app that wants Redis
 * rebinds the tokens after loading this module (`container.rebind(...)`).
 * The engine itself is built by the app (it needs the coin's plugin and node).
 *
 * @see DESIGN.md "DI and streams", "State and scale"
 */
export const poolEngineModule = new ContainerModule(({ bind }) => {
  bind(SHARE_STORE)
    .toDynamicValue(() => new MemoryShareStore())
    .inSingletonScope();
  bind(SESSION_STORE)
    .toDynamicValue(() => new MemorySessionStore())
    .inSingletonScope();
});
