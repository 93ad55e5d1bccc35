import { loadEthashNative } from '@lode/coin-ethereum';
import type { EthashChain } from './chain/ethash-chain';
import { formatEthashLogLine } from './events/ethash-log-lines';
import type { EthashLogEvent } from './events/ethash-log-lines';
import { EthashDevnetNode } from './node/ethash-devnet-node';
import type { EthashDevnetNodeOptions } from './node/ethash-devnet-node';
import { startEthRpcServer } from './rpc/eth-rpc-server';
import { ETHASH_DEVNET_METHODS } from './rpc/methods/ethash-method-table';
import type { EthashVerifier } from './verify/ethash-verifier';
import { LightCacheVerifier } from './verify/light-cache-verifier';

/** The port the CLI listens on by default: geth's HTTP RPC port. */
export const DEFAULT_ETHASH_DEVNET_PORT = 8545;

/**
 * Options of {@link startEthashDevnet}: the chain's and node's options plus
 * where the RPC server listens.
 */
export interface EthashDevnetOptions extends Omit<EthashDevnetNodeOptions, 'verifier'> {
  /** interface; default "127.0.0.1" */
  host?: string;
  /** TCP port; default 0 (a free port; the CLI uses 8545) */
  port?: number;
  /** request body cap in bytes; default 5 MiB (geth's) */
  maxBodyBytes?: number;
  /** judges sealed works; default a LightCacheVerifier over `@lode/coin-ethereum`'s native addon */
  verifier?: EthashVerifier;
  /** receives one formatted line per event (see EthashLogEvent), e.g. console.log */
  log?: (line: string) => void;
  /** with `log`: print JSON objects instead of "devnet: …" text */
  json?: boolean;
}

/** A running ethash devnet. */
export interface EthashDevnet {
  /** "http://127.0.0.1:8545" */
  url: string;
  host: string;
  port: number;
  /** the simulated node; also the event source: `devnet.node.on('block', …)` (EthashDevnetEventMap) */
  node: EthashDevnetNode;
  chain: EthashChain;
  /** Stops the refresh timer, lets requests in flight finish, closes the server and drops the light caches. */
  close(): Promise<void>;
  /** resolves once the devnet has closed (through close(), or by itself after `maxBlocks` blocks) */
  closed: Promise<void>;
}

/**
 * Starts an ethash devnet: a simulated Ethereum-family chain (ethash or
 * ETChash, constant difficulty, no transactions, no reorgs) behind geth's
 * HTTP JSON-RPC 2.0 on `host:port`, for the pool's end-to-end tests and the
 * demo (DESIGN.md "The embedded default"). Methods: eth_getWork,
 * eth_submitWork, eth_submitHashrate, eth_blockNumber, eth_getBlockByNumber,
 * eth_chainId, net_version, eth_syncing, web3_clientVersion; any other
 * method gets -32601.
 *
 * Resolves once the light cache of the first work's epoch is built (~1.5 s
 * at epoch 0) and the server listens; the next epoch's cache is built in the
 * background. With `maxBlocks`, the devnet answers the submit of its last
 * block, emits `max-blocks` and closes itself (await `closed`).
 *
 * @throws LodeError('config') for invalid options; LodeError('plugin') when the native addon
 *   does not load; LodeError('connection') when the port cannot be bound
 * @see facts/ethash.md §1.1, §2, §2.8, §5.3
 */
export async function startEthashDevnet(options: EthashDevnetOptions = {}): Promise<EthashDevnet> {
  const verifier = options.verifier ?? new LightCacheVerifier(loadEthashNative());
  let node: EthashDevnetNode;
  try {
    node = new EthashDevnetNode({ ...options, verifier });
  } catch (e) {
    await verifier.close();
    throw e;
  }
  const print = options.log;
  const log = (event: EthashLogEvent): void => print?.(formatEthashLogLine(event, options.json ?? false));
  if (print) {
    node.on('cache', (e) => log({ event: 'cache', ...e }));
    node.on('work', (e) => log({ event: 'work', ...e }));
    node.on('block', (e) => log({ event: 'block', ...e }));
    node.on('rejected', (e) => log({ event: 'rejected', ...e }));
    node.on('hashrate', (e) => log({ event: 'hashrate', ...e }));
    node.on('warning', (e) => log({ event: 'warning', ...e }));
    node.on('max-blocks', (e) => log({ event: 'max-blocks', ...e }));
  }
  try {
    await node.start();
    const server = await startEthRpcServer({
      node,
      methods: ETHASH_DEVNET_METHODS,
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
        await node.close();
        log({ event: 'stopped' });
        markClosed();
      })();
      return closing;
    };
    // after the reply to the last block's submit has been written
    node.once('max-blocks', () => setImmediate(() => void close()));
    const work = node.chain.work;
    log({ event: 'listening', url: server.url, algo: node.chain.rules.algo, difficulty: node.chain.difficulty.toString(), height: work.height, epoch: work.epoch.epoch });
    return { url: server.url, host: server.host, port: server.port, node, chain: node.chain, close, closed };
  } catch (e) {
    await node.close();
    throw e;
  }
}
