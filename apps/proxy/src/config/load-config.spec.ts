import { resolve } from 'node:path';
import { LodeError } from '@lode/stratum-core';
import { loadProxyConfig, parseProxyConfig } from './load-config';

const minimal = {
  upstreams: [{ name: 'primary', url: 'stratum+tcp://pool.example.com:3333', user: 'acct.proxy', coin: 'btc' }],
  ports: [{ port: 3333, coin: 'btc' }],
};

function parse(value: unknown): ReturnType<typeof parseProxyConfig> {
  return parseProxyConfig(JSON.stringify(value), 'proxy.json');
}

function failure(value: unknown): string {
  try {
    parse(value);
  } catch (e) {
    if (LodeError.is(e, 'config')) return e.message;
    throw e;
  }
  throw new Error('expected LodeError(config)');
}

describe('parseProxyConfig', () => {
  describe('when the file names one upstream and one port', () => {
    it('fills in every default', () => {
      const config = parse(minimal);
      expect(config).toEqual({
        plugins: 'auto',
        log: { level: 'info', format: 'pretty', shares: true, statsIntervalSeconds: 10 },
        upstreams: [{ name: 'primary', url: 'stratum+tcp://pool.example.com:3333', user: 'acct.proxy', password: 'x', priority: 0, weight: 1, coin: 'btc', dialect: 'bitcoin' }],
        credentials: 'proxy',
        ports: [
          {
            name: 'btc-3333',
            host: '0.0.0.0',
            port: 3333,
            coin: 'btc',
            dialect: 'bitcoin',
            difficulty: { initial: 1 },
            versionRolling: { allowWithoutConfigure: false },
            maxLineBytes: 16384,
            idleTimeoutSeconds: 600,
          },
        ],
        healthCheckSeconds: 5,
        failbackSeconds: 60,
        connectTimeoutSeconds: 10,
        emptySubscriptionGraceSeconds: 60,
        userAgent: 'lode-proxy/0.1.0',
        shutdownGraceSeconds: 10,
      });
    });
  });

  describe('when the file is the example', () => {
    it('loads apps/proxy/proxy.example.yaml', () => {
      const config = loadProxyConfig(resolve(__dirname, '../../proxy.example.yaml'));
      expect(config.upstreams.map((u) => [u.name, u.priority])).toEqual([
        ['primary', 0],
        ['backup', 1],
      ]);
      expect(config.ports[0]).toMatchObject({ name: 'btc-3333', difficulty: { initial: 1024, vardiff: { min: 1 } } });
      expect(config.api).toEqual({ host: '127.0.0.1', port: 8081 });
    });
  });

  describe('when the file is wrong', () => {
    it('names every schema violation', () => {
      expect(failure({ ...minimal, ports: [{ port: 70000, coin: 'btc' }], credentials: 'sometimes' })).toBe(
        'proxy.json is invalid: /credentials: must be equal to one of the allowed values; /ports/0/port: must be <= 65535',
      );
      expect(failure({ ...minimal, upstreams: [{ ...minimal.upstreams[0], url: 'http://pool' }] })).toContain('/upstreams/0/url: must match pattern');
    });

    it('refuses two upstreams with one name, a port without an upstream of its coin and dialect, and passthrough with warthog', () => {
      expect(failure({ ...minimal, upstreams: [minimal.upstreams[0], minimal.upstreams[0]] })).toBe("proxy.json: upstream name 'primary' is used twice");
      expect(failure({ ...minimal, ports: [{ port: 3333, coin: 'btc', dialect: 'ethstratum' }] })).toBe(
        'proxy.json: port btc-3333 mines btc over ethstratum, but no upstream has that coin and dialect',
      );
      expect(
        failure({
          credentials: 'passthrough',
          upstreams: [{ name: 'wart', url: 'stratum+tcp://wart.example:3333', user: 'acct', coin: 'wart', dialect: 'warthog' }],
          ports: [{ port: 3334, coin: 'wart', dialect: 'warthog' }],
        }),
      ).toBe("proxy.json: credentials 'passthrough' cannot serve warthog upstream 'wart': its 4-parameter mining.submit cannot name a worker (use credentials 'proxy')");
    });

    it('says which file cannot be read or parsed', () => {
      expect(() => parseProxyConfig('a: [', 'proxy.yaml')).toThrow('proxy.yaml is not valid YAML');
      expect(() => loadProxyConfig('/nonexistent/proxy.yaml')).toThrow('cannot read config file /nonexistent/proxy.yaml');
    });
  });
});
