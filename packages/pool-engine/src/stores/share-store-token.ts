import type { ServiceIdentifier } from 'inversify';
import type { ShareStore } from './share-store';

/**
 * DI token of the {@link ShareStore}. `Symbol.for` so that two copies of this
 * package agree. {@link poolEngineModule} binds the in-memory default; an app
 * rebinds it (e.g. to store-redis) in its composition root.
 */
export const SHARE_STORE: ServiceIdentifier<ShareStore> = Symbol.for('lode.ShareStore');
