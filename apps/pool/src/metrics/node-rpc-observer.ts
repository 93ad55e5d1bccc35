/** Most distinct method labels per coin; later ones are counted as "other". */
export const MAX_NODE_METHODS = 32;

/** One coin's node as the observer matches requests to it. */
export interface NodeRpcTarget {
  /** coin id, the `coin` label */
  coin: string;
  /** the node URL from the coin's config section (`node.url`); credentials in it are ignored */
  url: string;
}

/**
 * Receives one request to a coin's node.
 *
 * @param method the JSON-RPC method ("getblocktemplate", "eth_getWork";
 *   "getblocktemplate:longpoll" for a BIP 22 long poll), or for a plain HTTP
 *   API the HTTP method and the first two path segments ("GET /chain/mine")
 * @param seconds from the call to the response headers (or the failure)
 * @param ok false when the request failed (unreachable, timed out) or the
 *   node answered HTTP >= 400 (bitcoind answers a JSON-RPC error with 500)
 */
export type NodeRpcRecorder = (coin: string, method: string, seconds: number, ok: boolean) => void;

/**
 * The coin sections' node URLs, as every coin plugin of this repository
 * names them (`coins.<id>.node.url`; plugins/coin-bitcoin, coin-ethereum,
 * coin-warthog); sections without one are skipped.
 */
export function nodeRpcTargets(coins: Readonly<Record<string, unknown>>): NodeRpcTarget[] {
  const targets: NodeRpcTarget[] = [];
  for (const [coin, section] of Object.entries(coins)) {
    const node = (section as { node?: { url?: unknown } } | null)?.node;
    if (typeof node?.url === 'string') targets.push({ coin, url: node.url });
  }
  return targets;
}

/**
 * Times every request the process makes with the global `fetch` to one of
 * the coins' nodes (same origin as the configured node URL), which is how
 * the coin plugins' node clients talk to their nodes: the template polls
 * (getblocktemplate, eth_getWork, GET /chain/mine), long polls and block
 * submissions happen inside the plugin, out of the engine's sight. Other
 * requests pass through untouched, and an observer failure never reaches
 * the caller. A request the caller aborted (its AbortSignal, e.g. at node
 * stop) is not recorded; a timeout is an error.
 *
 * The method is read from the request body's first 512 characters
 * (`"method":"..."`, JSON-RPC 1.0 and 2.0 clients put it before the
 * params), so a submitted block's megabytes of hex are never parsed.
 *
 * @returns a function that restores the previous `fetch` (when nobody
 *   replaced it since)
 */
export function observeNodeRpc(targets: readonly NodeRpcTarget[], record: NodeRpcRecorder): () => void {
  const byOrigin = new Map<string, string>();
  for (const t of targets) {
    try {
      byOrigin.set(new URL(t.url).origin, t.coin);
    } catch {
      // an invalid URL fails the plugin's own config check
    }
  }
  const original = globalThis.fetch;
  if (byOrigin.size === 0 || typeof original !== 'function') return () => undefined;
  const methods = new Map<string, Set<string>>();
  const label = (coin: string, method: string): string => {
    let seen = methods.get(coin);
    if (seen === undefined) methods.set(coin, (seen = new Set()));
    if (seen.has(method)) return method;
    if (seen.size >= MAX_NODE_METHODS) return 'other';
    seen.add(method);
    return method;
  };
  const observed: typeof fetch = async (input, init) => {
    let target: { coin: string; method: string } | undefined;
    try {
      target = classify(byOrigin, input, init);
    } catch {
      target = undefined;
    }
    if (target === undefined) return original(input, init);
    const started = process.hrtime.bigint();
    const done = (ok: boolean): void => {
      try {
        record(target.coin, label(target.coin, target.method), Number(process.hrtime.bigint() - started) / 1e9, ok);
      } catch {
        // metrics never break a node call
      }
    };
    let response: Response;
    try {
      response = await original(input, init);
    } catch (error) {
      if (!(error instanceof Error && error.name === 'AbortError')) done(false);
      throw error;
    }
    done(response.status < 400);
    return response;
  };
  globalThis.fetch = observed;
  return () => {
    if (globalThis.fetch === observed) globalThis.fetch = original;
  };
}

/** The coin and method label of a request, or undefined when it goes to no coin's node. */
function classify(
  byOrigin: ReadonlyMap<string, string>,
  input: Parameters<typeof fetch>[0],
  init: Parameters<typeof fetch>[1],
): { coin: string; method: string } | undefined {
  const url = typeof input === 'string' ? new URL(input) : input instanceof URL ? input : new URL(input.url);
  const coin = byOrigin.get(url.origin);
  if (coin === undefined) return undefined;
  const body = init?.body;
  if (typeof body === 'string') {
    const head = body.slice(0, 512);
    const m = /"method"\s*:\s*"([A-Za-z0-9_.:-]{1,64})"/.exec(head);
    if (m !== null) return { coin, method: head.includes('"longpollid"') ? `${m[1]}:longpoll` : (m[1] as string) };
  }
  const httpMethod = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
  const path = url.pathname.split('/').filter((s) => s !== '').slice(0, 2).join('/');
  return { coin, method: `${httpMethod} /${path}` };
}
