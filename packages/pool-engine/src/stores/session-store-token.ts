import type { ServiceIdentifier } from 'inversify';
import type { SessionStore } from './session-store';

/**
 * DI token of the {@link SessionStore}. `Symbol.for` so that two copies of
 * this package agree. {@link poolEngineModule} binds the in-memory default;
 * an app rebinds it (e.g. to store-redis) in its composition root.
 */
export const SESSION_STORE: ServiceIdentifier<SessionStore> = Symbol.for('lode.SessionStore');
