import { LodeError } from '@lode/stratum-core';

/**
 * The ways loading a coin plugin can fail:
 *
 * - `not-found`: the package cannot be resolved from the app
 * - `bad-manifest`: its package.json has no valid `"lode": { "kind": "coin-plugin", ... }`
 * - `api-mismatch`: it was written for another plugin API version
 * - `bad-export`: its entry does not export `lodeCoinPlugin = { apiVersion, module }`
 * - `native-load-failed`: its native addon (napi-rs `.node`) did not load
 * - `unknown-coin`: no loaded plugin contributes the coin id the config asks for
 */
export type PluginLoadFailure =
  | 'not-found'
  | 'bad-manifest'
  | 'api-mismatch'
  | 'bad-export'
  | 'native-load-failed'
  | 'unknown-coin';

/**
 * A LodeError of kind `plugin` that says which plugin failed, how, and (in its
 * message) what to do about it. `cause` keeps the underlying error.
 */
export class PluginLoadError extends LodeError {
  constructor(
    readonly failure: PluginLoadFailure,
    readonly plugin: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super('plugin', message, options);
    this.name = 'PluginLoadError';
  }
}
