import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LodeError } from '@lode/stratum-core';
import { parsePoolConfig, validateCoinSection } from './load-config';

const minimal = { coins: { btc: { payoutAddress: 'x' } }, ports: [{ port: 3333, coin: 'btc' }] };

function configError(fn: () => unknown): LodeError {
  try {
    fn();
  } catch (e) {
    if (LodeError.is(e, 'config')) return e;
    throw e;
  }
  throw new Error('expected a config error');
}

describe('parsePoolConfig', () => {
  describe('when the file is the shipped example', () => {
    it('validates and keeps its values', () => {
      const file = join(__dirname, '../../pool.example.yaml');
      const config = parsePoolConfig(readFileSync(file, 'utf8'), file);
      expect(config.ports[0]).toMatchObject({ name: 'main', port: 3333, coin: 'btc', difficulty: { initial: 0.001 } });
      expect(config.ports[0]?.difficulty.vardiff).toMatchObject({ targetShareSeconds: 5, min: 0.00001 });
    });
  });

  describe('when only the required fields are given', () => {
    it('fills in every default', () => {
      const config = parsePoolConfig(JSON.stringify(minimal), 'pool.json');
      expect(config.plugins).toBe('auto');
      expect(config.log).toEqual({ level: 'info', format: 'pretty', shares: true, statsIntervalSeconds: 10 });
      expect(config.engine).toEqual({ extranonce1Size: 4, extranonce2Size: 4, jobRefreshSeconds: 30, jobHistory: 32, acceptStaleHeights: 0 });
      expect(config.ports[0]).toEqual({
        name: 'btc-3333',
        host: '0.0.0.0',
        port: 3333,
        coin: 'btc',
        dialect: 'bitcoin',
        difficulty: { initial: 1 },
        versionRolling: { allowWithoutConfigure: false },
        maxLineBytes: 16384,
        idleTimeoutSeconds: 600,
      });
      expect(config.shutdownGraceSeconds).toBe(10);
      expect(config.protection).toEqual({
        enabled: true,
        allowList: ['127.0.0.0/8', '::1'],
        maxTrackedAddresses: 65536,
        invalidShares: { enabled: true, minShares: 50, windowSeconds: 600, maxInvalidRatio: 0.5, banSeconds: 600 },
        malformedMessages: { enabled: true, max: 20, windowSeconds: 60, banSeconds: 600 },
        authFailures: { enabled: true, max: 10, windowSeconds: 60, banSeconds: 600 },
        connectionRate: { enabled: true, max: 100, windowSeconds: 10, banSeconds: 300 },
        escalation: { enabled: true, resendWorkSeconds: 60, reconnectSeconds: 120, dropSeconds: 180 },
      });
    });
  });

  describe('when a port sits behind a proxy and protection is tuned', () => {
    it('keeps the PROXY protocol mode, the limits and the rules, defaults filled in', () => {
      const config = parsePoolConfig(
        JSON.stringify({
          ...minimal,
          ports: [{ port: 3333, coin: 'btc', proxyProtocol: 'v2', maxConnections: 5000, maxConnectionsPerAddress: 50, tls: { certFile: 'c.pem', keyFile: 'k.pem' } }],
          protection: { allowList: ['10.0.0.0/8'], authFailures: { enabled: false }, escalation: { reconnectSeconds: 0 } },
        }),
        'pool.json',
      );
      expect(config.ports[0]).toMatchObject({ proxyProtocol: 'v2', maxConnections: 5000, maxConnectionsPerAddress: 50, tls: { certFile: 'c.pem', keyFile: 'k.pem' } });
      expect(config.protection.allowList).toEqual(['10.0.0.0/8']);
      expect(config.protection.authFailures).toEqual({ enabled: false, max: 10, windowSeconds: 60, banSeconds: 600 });
      expect(config.protection.escalation).toEqual({ enabled: true, resendWorkSeconds: 60, reconnectSeconds: 0, dropSeconds: 180 });
    });

    it('refuses an unknown PROXY protocol version and an invalid ratio', () => {
      const error = configError(() =>
        parsePoolConfig(
          JSON.stringify({ ...minimal, ports: [{ port: 3333, coin: 'btc', proxyProtocol: 'v3' }], protection: { invalidShares: { maxInvalidRatio: 2 } } }),
          'pool.json',
        ),
      );
      expect(error.message).toContain('/ports/0/proxyProtocol: must be equal to one of the allowed values');
      expect(error.message).toContain('/protection/invalidShares/maxInvalidRatio: must be <= 1');
    });
  });

  describe('when a port speaks EthereumStratum/2.0.0', () => {
    it('fills in the session settings of the hello reply', () => {
      const config = parsePoolConfig(
        JSON.stringify({ ...minimal, coins: { eth: {} }, ports: [{ port: 4444, coin: 'eth', dialect: 'ethstratum' }] }),
        'pool.json',
      );
      expect(config.ports[0]?.ethstratum).toEqual({
        dialects: ['es2', 'es1', 'ethproxy', 'plain'],
        encoding: 'plain',
        resume: true,
        timeoutSeconds: 180,
        maxErrors: 5,
        hashrateMinIntervalSeconds: 10,
        hashrateNotifySeconds: 60,
      });
    });

    it('keeps the dialects a port offers, and refuses unknown, repeated or no dialects', () => {
      const port = (dialects: unknown) => ({ ...minimal, coins: { eth: {} }, ports: [{ port: 1, coin: 'eth', dialect: 'ethstratum', ethstratum: { dialects } }] });
      expect(parsePoolConfig(JSON.stringify(port(['ethproxy', 'es1'])), 'pool.json').ports[0]?.ethstratum?.dialects).toEqual(['ethproxy', 'es1']);
      expect(configError(() => parsePoolConfig(JSON.stringify(port(['es3'])), 'pool.json')).message).toContain('/ports/0/ethstratum/dialects/0: must be equal to one of the allowed values');
      expect(configError(() => parsePoolConfig(JSON.stringify(port(['es1', 'es1'])), 'pool.json')).message).toContain('/ports/0/ethstratum/dialects: must NOT have duplicate items');
      expect(configError(() => parsePoolConfig(JSON.stringify(port([])), 'pool.json')).message).toContain('/ports/0/ethstratum/dialects: must NOT have fewer than 1 items');
    });

    it('validates the shipped Ethereum example, whose port offers all four dialects', () => {
      const file = join(__dirname, '../../pool.eth.example.yaml');
      const config = parsePoolConfig(readFileSync(file, 'utf8'), file);
      expect(config.ports[0]).toMatchObject({ name: 'eth', port: 4444, coin: 'eth', dialect: 'ethstratum' });
      expect(config.ports[0]?.ethstratum?.dialects).toEqual(['es2', 'es1', 'ethproxy', 'plain']);
      expect(config.coins['eth']).toMatchObject({ extranonceBytes: 2 });
    });

    it('refuses an ethstratum section on a bitcoin port, and a node string outside printable ASCII', () => {
      const bitcoin = { ...minimal, ports: [{ port: 1, coin: 'btc', ethstratum: {} }] };
      expect(configError(() => parsePoolConfig(JSON.stringify(bitcoin), 'pool.json')).message).toContain(
        'port btc-1 has an ethstratum section but speaks bitcoin',
      );
      const node = { ...minimal, coins: { eth: {} }, ports: [{ port: 1, coin: 'eth', dialect: 'ethstratum', ethstratum: { node: 'Géth' } }] };
      expect(configError(() => parsePoolConfig(JSON.stringify(node), 'pool.json')).message).toContain('/ports/0/ethstratum/node');
    });
  });

  describe('when the file is invalid', () => {
    it('names the file and every violation', () => {
      const bad = { ...minimal, ports: [{ port: 70000, coin: 'btc', colour: 'red' }], engine: { extranonce2Size: 9 } };
      const e = configError(() => parsePoolConfig(JSON.stringify(bad), 'pool.json'));
      expect(e.message).toContain('pool.json is invalid');
      expect(e.message).toContain('/ports/0/port: must be <= 65535');
      expect(e.message).toContain("must NOT have additional properties ('colour')");
      expect(e.message).toContain('/engine/extranonce2Size: must be <= 8');
    });

    it('refuses a port whose coin has no section', () => {
      const e = configError(() => parsePoolConfig(JSON.stringify({ ...minimal, ports: [{ port: 1, coin: 'ltc' }] }), 'pool.json'));
      expect(e.message).toBe("pool.json: port ltc-1 mines coin 'ltc' but coins has no 'ltc' section");
    });

    it('reports YAML syntax errors as config errors', () => {
      expect(configError(() => parsePoolConfig('ports: [', 'pool.yaml')).message).toMatch(/^pool\.yaml is not valid YAML/);
    });
  });
});

describe('validateCoinSection', () => {
  it("checks a coin's section against its plugin's schema", () => {
    const schema = { type: 'object', required: ['payoutAddress'], properties: { payoutAddress: { type: 'string' } } };
    expect(configError(() => validateCoinSection('btc', schema, {})).message).toContain("coins.btc is invalid: coins/btc/: must have required property 'payoutAddress'");
  });
});
