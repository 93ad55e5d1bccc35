import { targetV2Hex } from './chain/target-v2';
import type { WarthogChain } from './chain/warthog-chain';
import { formatWarthogLogLine } from './events/warthog-log-lines';
import type { WarthogLogEvent } from './events/warthog-log-lines';
import { startWarthogHttpServer } from './http/warthog-http-server';
import { WarthogDevnetNode } from './node/warthog-devnet-node';
import type { WarthogDevnetNodeOptions } from './node/warthog-devnet-node';
import type { JanushashVerifier } from './verify/janushash-verifier';
import { nativeJanushashVerifier } from './verify/native-janushash-verifier';

/** The port the CLI listens on by default: the Warthog node's RPC port (mainnet). */
export const DEFAULT_WARTHOG_DEVNET_PORT = 3000;

/**
 * Options of {@link startWarthogDevnet}: the chain's and node's options plus
 * where the HTTP API listens.
 */
export interface WarthogDevnetOptions extends Omit<WarthogDevnetNodeOptions, 'verifier'> {
  /** interface; default "127.0.0.1" */
  host?: string;
  /** TCP port; default 0 (a free port; the CLI uses 3000) */
  port?: number;
  /** request body cap in bytes; default 1 MiB */
  maxBodyBytes?: number;
  /** judges appended blocks; default `@lode/coin-warthog`'s native checkTarget */
  verifier?: JanushashVerifier;
  /** receives one formatted line per event (see WarthogLogEvent), e.g. console.log */
  log?: (line: string) => void;
  /** with `log`: print JSON objects instead of "devnet: …" text */
  json?: boolean;
}

/** A running Warthog devnet. */
export interface WarthogDevnet {
  /** "http://127.0.0.1:3000" */
  url: string;
  host: string;
  port: number;
  /** the simulated node; also the event source: `devnet.node.on('block', …)` (WarthogDevnetEventMap) */
  node: WarthogDevnetNode;
  chain: WarthogChain;
  /** Lets requests in flight finish and closes the server. */
  close(): Promise<void>;
  /** resolves once the devnet has closed (through close(), or by itself after `maxBlocks` blocks) */
  closed: Promise<void>;
}

/**
 * Starts a Warthog devnet: a simulated Warthog chain (Janus8 headers,
 * version 3, a constant TargetV2, no reorgs) behind the node's HTTP API on
 * `host:port`, for the pool's end-to-end tests and the demo (DESIGN.md
 * "The embedded default"): `GET /chain/mine/:account`, `GET /chain/head`,
 * `POST /chain/append`, every answer a `{code, data|error}` envelope.
 *
 * The proof of work of appended blocks is real Janushash (native addon of
 * `@lode/coin-warthog`); bodies, merkle prefixes and roots follow the node.
 * With `maxBlocks`, the devnet answers the append of its last block, emits
 * `max-blocks` and closes itself (await `closed`).
 *
 * @throws LodeError('config') for invalid options; LodeError('plugin') when the native addon
 *   does not load; LodeError('connection') when the port cannot be bound
 * @see facts/warthog.md §1, §2, §3, §4
 */
export async function startWarthogDevnet(options: WarthogDevnetOptions = {}): Promise<WarthogDevnet> {
  const verifier = options.verifier ?? nativeJanushashVerifier();
  const node = new WarthogDevnetNode({ ...options, verifier });
  const print = options.log;
  const log = (event: WarthogLogEvent): void => print?.(formatWarthogLogLine(event, options.json ?? false));
  if (print) {
    node.on('block', (e) => log({ event: 'block', ...e }));
    node.on('rejected', (e) => log({ event: 'rejected', ...e }));
    node.on('max-blocks', (e) => log({ event: 'max-blocks', ...e }));
  }
  const server = await startWarthogHttpServer({
    node,
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    maxBodyBytes: options.maxBodyBytes,
  });
  let closing: Promise<void> | undefined;
  let markClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => (markClosed = resolve));
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await server.close();
      log({ event: 'stopped' });
      markClosed();
    })();
    return closing;
  };
  // after the reply to the last block's append has been written
  node.once('max-blocks', () => setImmediate(() => void close()));
  const chain = node.chain;
  log({ event: 'listening', url: server.url, difficulty: chain.difficulty, target: targetV2Hex(chain.targetV2), height: chain.height + 1 });
  return { url: server.url, host: server.host, port: server.port, node, chain, close, closed };
}
