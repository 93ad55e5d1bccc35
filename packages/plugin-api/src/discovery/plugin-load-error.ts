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
 *
 * The message starts with the failure in brackets, so that a process that
 * prints only `e.message` (`lode-pool: plugin error: [not-found] coin plugin
 * ...`) still names it: `[<failure>] <what happened>: <what to do>`.
 *
 * @param failure how loading failed (PluginLoadFailure)
 * @param plugin the package name, or the coin id for `native-load-failed` and `unknown-coin`
 * @param message what happened and what to do, without the `[failure]` prefix
 */
export class PluginLoadError extends LodeError {
  constructor(
    readonly failure: PluginLoadFailure,
    readonly plugin: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super('plugin', `[${failure}] ${message}`, options);
    this.name = 'PluginLoadError';
  }
}
