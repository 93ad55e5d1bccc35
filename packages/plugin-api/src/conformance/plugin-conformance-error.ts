/**
 * What a conformance check throws: the message says what the plugin did,
 * what the contract or the fixture's source expects, and what to change.
 * `cause` keeps the plugin's own error when one of its members threw.
 */
export class PluginConformanceError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PluginConformanceError';
  }
}

/** The message of anything thrown. */
export function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/**
 * Runs one plugin call; when it throws, throws a PluginConformanceError
 * naming the call and carrying the thrown message (so a stub's "hash is not
 * written yet: ..." shows in the failed test).
 *
 * @param step the call as the author knows it, e.g. "hasher.hash(header)"
 */
export function attempt<T>(step: string, call: () => T): T {
  try {
    return call();
  } catch (cause) {
    throw new PluginConformanceError(`${step} threw: ${messageOf(cause)}`, { cause });
  }
}

/** As {@link attempt}, for a call that returns a promise (a rejection counts as a throw). */
export async function attemptAsync<T>(step: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (cause) {
    throw new PluginConformanceError(`${step} threw: ${messageOf(cause)}`, { cause });
  }
}

/** A value as a message shows it: JSON where it can, else its type. */
export function shown(value: unknown): string {
  if (typeof value === 'bigint') return `0x${value.toString(16)}n`;
  if (typeof value === 'function') return 'a function';
  if (value === undefined) return 'undefined';
  try {
    const json = JSON.stringify(value);
    return json.length > 120 ? `${json.slice(0, 117)}...` : json;
  } catch {
    return typeof value;
  }
}
