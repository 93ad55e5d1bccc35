import type { EthDialect } from '@lode/dialect-ethstratum';
import type { PortConfig } from '../config/pool-config';
import { describePort } from './port-info';
import type { StratumPort } from '../ports/stratum-port';

/** a port section with the fields describePort reads (others helpers may add more to PortConfig) */
function config(over: Partial<PortConfig>): PortConfig {
  return {
    name: 'main',
    host: '0.0.0.0',
    port: 0,
    coin: 'btc',
    dialect: 'bitcoin',
    difficulty: { initial: 0.001 },
    versionRolling: { allowWithoutConfigure: false },
    maxLineBytes: 16384,
    idleTimeoutSeconds: 600,
    ...over,
  } as PortConfig;
}

/** the part of a running port describePort reads */
function port(extra: { dialects?: EthDialect[] } = {}): Pick<StratumPort, 'connectionCount' | 'counters'> & { dialects?: EthDialect[] } {
  return { connectionCount: 4, counters: { connectionsTotal: 9, sharesAccepted: 100, sharesRejected: 7 }, ...extra };
}

describe('describePort', () => {
  describe('when the port speaks Stratum v1 over TCP', () => {
    it('gives its bound address, one stratum+tcp URL and its live counts', () => {
      expect(describePort(config({ difficulty: { initial: 0.5, vardiff: { targetShareSeconds: 10, retargetSeconds: 60, variancePercent: 30, min: 0.1, max: 100 } } }), { host: '0.0.0.0', port: 3333 }, port())).toEqual({
        name: 'main',
        coin: 'btc',
        dialect: 'bitcoin',
        host: '0.0.0.0',
        port: 3333,
        tls: false,
        urls: ['stratum+tcp://0.0.0.0:3333'],
        difficulty: 0.5,
        vardiff: true,
        connections: 4,
        connectionsTotal: 9,
        sharesAccepted: 100,
        sharesRejected: 7,
      });
    });
  });

  describe('when the port is an ethstratum port with TLS', () => {
    it("lists one URL per dialect under ethminer's schemes (facts/ethash.md §1.5), +ssl", () => {
      const info = describePort(
        config({ name: 'eth', coin: 'eth', dialect: 'ethstratum', tls: { certFile: 'c', keyFile: 'k' } }),
        { host: '127.0.0.1', port: 4444 },
        port({ dialects: ['es2', 'es1', 'ethproxy', 'plain'] }),
      );
      expect(info.tls).toBe(true);
      expect(info.urls).toEqual(['stratum3+ssl://127.0.0.1:4444', 'stratum2+ssl://127.0.0.1:4444', 'stratum1+ssl://127.0.0.1:4444', 'stratum+ssl://127.0.0.1:4444']);
      expect(info.vardiff).toBe(false);
    });
  });
});
