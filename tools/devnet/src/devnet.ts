import { LodeError } from '@lode/stratum-core';
import type { DevnetChain } from './chain/devnet-chain';
import { DevnetNode } from './node/devnet-node';
import type { DevnetNodeOptions } from './node/devnet-node';
import { DEVNET_METHODS } from './rpc/methods/method-table';
import { removeCookieFile, writeCookieFile } from './rpc/rpc-auth';
import type { RpcCredentials } from './rpc/rpc-auth';
import { startRpcServer } from './rpc/rpc-server';

/** Default RPC port: regtest's 18443. */
export const DEFAULT_DEVNET_PORT = 18443;

/**
 * Options of {@link startDevnet}: the node's options plus where and how the
 * RPC server listens.
 *
 * Authentication: `rpcpassword` (with `rpcuser`, default "user") requires
 * those credentials; otherwise `datadir` gets a bitcoind cookie file
 * `<datadir>/.cookie` (`__cookie__:<hex>`) whose credentials are required;
 * with neither, requests need no authentication (in-process tests only).
 */
export interface DevnetOptions extends DevnetNodeOptions {
  /** interface; default "127.0.0.1" */
  host?: string;
  /** TCP port; default 18443, 0 picks a free port */
  port?: number;
  rpcuser?: string;
  rpcpassword?: string;
  datadir?: string;
  /** request body cap in bytes; default 8 MiB */
  maxBodyBytes?: number;
}

/** A running devnet. */
export interface Devnet {
  /** "http://127.0.0.1:18443" */
  url: string;
  host: string;
  port: number;
  /** the simulated node; also the event source: `devnet.node.on('block', …)` (DevnetEventMap) */
  node: DevnetNode;
  chain: DevnetChain;
  /** the credentials the RPC server requires, or null when it requires none */
  credentials: RpcCredentials | null;
  /** the cookie file's path when cookie auth is in use */
  cookieFile?: string;
  /** Stops the refresh timer, answers parked long polls, closes the server and deletes the cookie file. */
  close(): Promise<void>;
}

/**
 * Starts a devnet: a simulated Bitcoin chain behind bitcoind's JSON-RPC on
 * `host:port`, for the demo and end-to-end tests (DESIGN.md "The embedded
 * default"). Methods: getblocktemplate, submitblock, getblockchaininfo,
 * getbestblockhash, getblockcount, getblockhash, getblockheader,
 * getdifficulty, getmininginfo, getnetworkinfo.
 *
 * @throws LodeError('config') for invalid options; LodeError('connection') when the port cannot be bound
 */
export async function startDevnet(options: DevnetOptions = {}): Promise<Devnet> {
  if (options.rpcpassword === undefined && options.rpcuser !== undefined) {
    throw new LodeError('config', `rpcuser "${options.rpcuser}" is set without rpcpassword`);
  }
  const node = new DevnetNode(options);
  let credentials: RpcCredentials | null = null;
  let cookieFile: string | undefined;
  try {
    if (options.rpcpassword !== undefined) {
      credentials = { user: options.rpcuser ?? 'user', password: options.rpcpassword };
    } else if (options.datadir !== undefined) {
      const cookie = await writeCookieFile(options.datadir);
      credentials = cookie.credentials;
      cookieFile = cookie.path;
    }
    const server = await startRpcServer({
      node,
      methods: DEVNET_METHODS,
      host: options.host ?? '127.0.0.1',
      port: options.port ?? DEFAULT_DEVNET_PORT,
      credentials,
      maxBodyBytes: options.maxBodyBytes,
    });
    let closing: Promise<void> | undefined;
    return {
      url: server.url,
      host: server.host,
      port: server.port,
      node,
      chain: node.chain,
      credentials,
      cookieFile,
      close: () => {
        closing ??= (async () => {
          node.close();
          // let the released long polls write their replies before the sockets go
          await new Promise<void>((resolve) => setImmediate(resolve));
          await server.close();
          if (cookieFile) await removeCookieFile(cookieFile);
        })();
        return closing;
      },
    };
  } catch (e) {
    node.close();
    if (cookieFile) await removeCookieFile(cookieFile);
    throw e;
  }
}
