import { ETH_DIALECT_SCHEMES, type EthDialect } from '@lode/dialect-ethstratum';
import type { PortConfig } from '../config/pool-config';
import type { StratumPort } from '../ports/stratum-port';

/**
 * One listening Stratum port as `/api/ports` shows it. Counts are since the
 * pool started, except `connections` (open now).
 */
export interface PortInfo {
  /** the port's name in the config ("main") */
  name: string;
  /** coin id ("btc") */
  coin: string;
  /** the port's Stratum dialect: bitcoin, ethstratum or warthog */
  dialect: PortConfig['dialect'];
  /** bound address ("127.0.0.1", "0.0.0.0") */
  host: string;
  /** bound TCP port */
  port: number;
  /** true when the port speaks TLS (stratum+ssl / +tls) */
  tls: boolean;
  /**
   * what a miner puts in its pool URL, one per dialect the port speaks:
   * "stratum+tcp://127.0.0.1:3333"; an ethstratum port lists each Ethereum
   * dialect under ethminer's scheme (facts/ethash.md §1.5): stratum3 (ES2),
   * stratum2 (ES1), stratum1 (EthProxy), stratum (plain)
   */
  urls: string[];
  /** difficulty (not target) given to new sessions */
  difficulty: number;
  /** true when vardiff retargets sessions from `difficulty` */
  vardiff: boolean;
  /** connections open now */
  connections: number;
  /** connections accepted since the start */
  connectionsTotal: number;
  /** shares the port accepted since the start */
  sharesAccepted: number;
  /** shares the port rejected since the start */
  sharesRejected: number;
}

/**
 * Describes one listening port for {@link PortInfo} (the composition root
 * calls it on each request, so the counts are live).
 *
 * @param config the port's config section
 * @param address the address it bound (port 0 resolved)
 * @param port the running port; `dialects` when it is an EthStratumPort
 */
export function describePort(
  config: PortConfig,
  address: { host: string; port: number },
  port: Pick<StratumPort, 'connectionCount' | 'counters'> & { readonly dialects?: readonly EthDialect[] },
): PortInfo {
  const tls = config.tls !== undefined;
  const at = `+${tls ? 'ssl' : 'tcp'}://${address.host}:${address.port}`;
  const urls = port.dialects !== undefined ? port.dialects.map((d) => `${ETH_DIALECT_SCHEMES[d]}${at}`) : [`stratum${at}`];
  return {
    name: config.name,
    coin: config.coin,
    dialect: config.dialect,
    host: address.host,
    port: address.port,
    tls,
    urls,
    difficulty: config.difficulty.initial,
    vardiff: config.difficulty.vardiff !== undefined,
    connections: port.connectionCount,
    connectionsTotal: port.counters.connectionsTotal,
    sharesAccepted: port.counters.sharesAccepted,
    sharesRejected: port.counters.sharesRejected,
  };
}
