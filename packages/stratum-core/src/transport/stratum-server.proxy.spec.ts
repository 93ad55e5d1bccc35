import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StratumConnection } from './stratum-connection';
import { type RefusedConnection, StratumServer, type StratumServerOptions } from './stratum-server';
import { proxyV1, proxyV2Ipv4, proxyV2Ipv6, proxyV2Local } from './testing/proxy-headers.test-helper';
import { proxyRelay, RawClient, until } from './testing/raw-client.test-helper';

const fixtures = join(__dirname, '..', 'testing', 'fixtures');
const cert = readFileSync(join(fixtures, 'localhost-cert.pem'));
const key = readFileSync(join(fixtures, 'localhost-key.pem'));
const SUBSCRIBE = '{"id":1,"method":"mining.subscribe","params":[]}';

describe('StratumServer: PROXY protocol, limits and admit', () => {
  const servers: StratumServer[] = [];
  const clients: RawClient[] = [];
  const cleanups: Array<() => void> = [];
  let accepted: StratumConnection[];
  let refused: RefusedConnection[];

  /** A listening server whose connections echo every line ("echo <line>"). */
  async function start(options: Partial<StratumServerOptions> = {}): Promise<{ server: StratumServer; port: number }> {
    const server = new StratumServer({ host: '127.0.0.1', port: 0, ...options });
    server.connections$.subscribe((conn) => {
      accepted.push(conn);
      conn.lines$.subscribe((line) => conn.send(`echo ${line}`));
    });
    server.refused$.subscribe((r) => refused.push(r));
    servers.push(server);
    return { server, port: (await server.listen()).port };
  }

  async function tcp(port: number): Promise<RawClient> {
    const c = await RawClient.tcp(port);
    clients.push(c);
    return c;
  }

  beforeEach(() => {
    accepted = [];
    refused = [];
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    for (const f of cleanups.splice(0)) f();
    for (const s of servers.splice(0)) await s.close('test over');
  });

  describe('with a v1 header', () => {
    it('TCP4: the connection is the header source; the first line in the same packet is kept', async () => {
      const { port } = await start({ proxyProtocol: 'v1' });
      const c = await tcp(port);
      c.write(Buffer.concat([proxyV1('192.0.2.1', '198.51.100.1', 56324, 3333), Buffer.from(`${SUBSCRIBE}\n`)]));
      await expect(c.next()).resolves.toBe(`echo ${SUBSCRIBE}`);
      const conn = accepted[0] as StratumConnection;
      expect([conn.remoteAddress, conn.remotePort]).toEqual(['192.0.2.1', 56324]);
      expect([conn.transportAddress, conn.transportPort]).toEqual(['127.0.0.1', c.localPort]);
    });

    it('TCP6: the source is given in canonical form', async () => {
      const { port } = await start({ proxyProtocol: 'any' });
      const c = await tcp(port);
      c.write('PROXY TCP6 2001:DB8:0::7 2001:db8::2 4124 3333\r\nhi\n');
      await expect(c.next()).resolves.toBe('echo hi');
      expect([accepted[0]?.remoteAddress, accepted[0]?.remotePort]).toEqual(['2001:db8::7', 4124]);
    });

    it('a header split across packets is put back together', async () => {
      const { port } = await start({ proxyProtocol: 'v1' });
      const c = await tcp(port);
      const header = proxyV1('203.0.113.7', '198.51.100.1', 40000, 3333);
      for (const part of [header.subarray(0, 4), header.subarray(4, 20), header.subarray(20, header.length - 1)]) {
        c.write(part);
        await new Promise((r) => setTimeout(r, 15)); // pacing only, so the parts travel in separate segments
      }
      c.write(Buffer.concat([header.subarray(header.length - 1), Buffer.from('a\nb\n')]));
      await expect(c.next()).resolves.toBe('echo a');
      await expect(c.next()).resolves.toBe('echo b');
      expect(accepted[0]?.remoteAddress).toBe('203.0.113.7');
    });
  });

  describe('with a v2 header', () => {
    it('IPv4 (with a TLV): the connection is the header source; the first line in the same packet is kept', async () => {
      const { port } = await start({ proxyProtocol: 'v2' });
      const c = await tcp(port);
      const header = proxyV2Ipv4('203.0.113.7', '198.51.100.1', 54321, 3333, Buffer.from('0100026832', 'hex'));
      c.write(Buffer.concat([header, Buffer.from(`${SUBSCRIBE}\n`)]));
      await expect(c.next()).resolves.toBe(`echo ${SUBSCRIBE}`);
      expect([accepted[0]?.remoteAddress, accepted[0]?.remotePort, accepted[0]?.transportAddress]).toEqual(['203.0.113.7', 54321, '127.0.0.1']);
    });

    it('IPv6: the source address from its 16 bytes', async () => {
      const { port } = await start({ proxyProtocol: 'any' });
      const c = await tcp(port);
      c.write(proxyV2Ipv6('20010db8000000000000000000000001', '20010db8000000000000000000000002', 0xd431, 3333));
      c.write('x\n');
      await expect(c.next()).resolves.toBe('echo x');
      expect([accepted[0]?.remoteAddress, accepted[0]?.remotePort]).toEqual(['2001:db8::1', 54321]);
    });

    it('a header split inside the signature and inside the addresses is put back together', async () => {
      const { port } = await start({ proxyProtocol: 'v2' });
      const c = await tcp(port);
      const header = proxyV2Ipv4('203.0.113.8', '198.51.100.1', 1111, 3333);
      for (const part of [header.subarray(0, 5), header.subarray(5, 14), header.subarray(14, 20)]) {
        c.write(part);
        await new Promise((r) => setTimeout(r, 15)); // pacing only
      }
      c.write(Buffer.concat([header.subarray(20), Buffer.from('y\n')]));
      await expect(c.next()).resolves.toBe('echo y');
      expect([accepted[0]?.remoteAddress, accepted[0]?.remotePort]).toEqual(['203.0.113.8', 1111]);
    });

    it('LOCAL (a health check) keeps the socket address', async () => {
      const { port } = await start({ proxyProtocol: 'v2' });
      const c = await tcp(port);
      c.write(Buffer.concat([proxyV2Local(), Buffer.from('ping\n')]));
      await expect(c.next()).resolves.toBe('echo ping');
      expect([accepted[0]?.remoteAddress, accepted[0]?.remotePort]).toEqual(['127.0.0.1', c.localPort]);
    });
  });

  describe('without a valid header', () => {
    it('refuses garbage: socket closed, refused$ says why, nothing handed out', async () => {
      const { server, port } = await start({ proxyProtocol: 'any' });
      const c = await tcp(port);
      c.write('GET / HTTP/1.1\r\nHost: pool\r\n\r\n');
      await c.closed;
      await until(() => refused.length === 1, 'the refusal');
      expect(refused[0]).toEqual({
        peer: { address: '127.0.0.1', port: c.localPort },
        kind: 'proxy-header',
        reason: 'not a PROXY protocol header: starts with "GET / HT"',
      });
      expect(server.refusedCounts['proxy-header']).toBe(1);
      expect(accepted).toHaveLength(0);
    });

    it('refuses a v1 header on a v2-only port', async () => {
      const { port } = await start({ proxyProtocol: 'v2' });
      const c = await tcp(port);
      c.write(proxyV1('192.0.2.1', '198.51.100.1', 1, 2));
      await c.closed;
      await until(() => refused.length === 1, 'the refusal');
      expect(refused[0]).toMatchObject({ kind: 'proxy-header', reason: 'PROXY protocol v1 header on a port that takes v2 only' });
    });

    it('refuses a header not complete within proxyHeaderTimeoutMs', async () => {
      const { port } = await start({ proxyProtocol: 'v1', proxyHeaderTimeoutMs: 50 });
      const c = await tcp(port);
      c.write('PROXY TCP4 192.0.2.1 ');
      await c.closed;
      await until(() => refused.length === 1, 'the refusal');
      expect(refused[0]).toMatchObject({ kind: 'proxy-header', reason: 'no complete PROXY header within 50 ms' });
      expect(accepted).toHaveLength(0);
    });
  });

  describe('with TLS behind the header', () => {
    it('reads the header first, then does the handshake; the connection is the header source', async () => {
      const { server, port } = await start({ proxyProtocol: 'v2', tls: { cert, key } });
      const relay = await proxyRelay(port, proxyV2Ipv4('203.0.113.50', '198.51.100.1', 50000, 3333));
      cleanups.push(relay.close);
      const c = await RawClient.tls(relay.port, { ca: cert, servername: 'localhost' });
      clients.push(c);
      c.write('over tls\n');
      await expect(c.next()).resolves.toBe('echo over tls');
      expect([accepted[0]?.remoteAddress, accepted[0]?.remotePort]).toEqual(['203.0.113.50', 50000]);
      expect(server.pendingHandshakes).toBe(0);
    });

    it('refuses a failed handshake after a good header as tls-handshake, with the header source', async () => {
      const { server, port } = await start({ proxyProtocol: 'v1', tls: { cert, key } });
      const c = await tcp(port);
      c.write(Buffer.concat([proxyV1('192.0.2.9', '198.51.100.1', 2222, 3333), Buffer.from(`${SUBSCRIBE}\n`)]));
      await c.closed;
      await until(() => refused.length === 1, 'the refusal');
      expect(refused[0]).toMatchObject({ peer: { address: '192.0.2.9', port: 2222 }, kind: 'tls-handshake' });
      expect(refused[0]?.reason).toMatch(/^TLS handshake failed: /);
      expect(server.refusedCounts['tls-handshake']).toBe(1);
      expect(server.pendingHandshakes).toBe(0);
    });
  });

  describe('limits', () => {
    it('maxConnections refuses one over the limit (port-full), and takes one again once a slot is free', async () => {
      const { server, port } = await start({ maxConnections: 2 });
      const [a, b] = [await tcp(port), await tcp(port)];
      await until(() => server.connectionCount === 2, 'two connections');
      const c = await tcp(port);
      await c.closed;
      await until(() => refused.length === 1, 'the refusal');
      expect(refused[0]).toEqual({ peer: { address: '127.0.0.1', port: c.localPort }, kind: 'port-full', reason: 'port full: 2 connections, maxConnections is 2' });

      a.destroy();
      await until(() => server.connectionCount === 1, 'a free slot');
      const d = await tcp(port);
      d.write('back\n');
      await expect(d.next()).resolves.toBe('echo back');
      b.write('still\n');
      await expect(b.next()).resolves.toBe('echo still');
    });

    it('maxConnections counts TLS handshakes in progress', async () => {
      const { server, port } = await start({ maxConnections: 1, tls: { cert, key } });
      await tcp(port); // never sends a ClientHello
      await until(() => server.pendingHandshakes === 1, 'the pending handshake');
      const second = await tcp(port);
      await second.closed;
      await until(() => refused.length === 1, 'the refusal');
      expect(refused[0]).toMatchObject({ kind: 'port-full', reason: 'port full: 1 connections, maxConnections is 1' });
    });

    it('maxConnectionsPerAddress keys on the real address from the PROXY header', async () => {
      const { server, port } = await start({ proxyProtocol: 'v1', maxConnectionsPerAddress: 1 });
      const first = await tcp(port);
      first.write(Buffer.concat([proxyV1('198.51.100.20', '198.51.100.1', 1001, 3333), Buffer.from('one\n')]));
      await expect(first.next()).resolves.toBe('echo one');

      const same = await tcp(port);
      same.write(proxyV1('198.51.100.20', '198.51.100.1', 1002, 3333));
      await same.closed;
      await until(() => refused.length === 1, 'the refusal');
      expect(refused[0]).toEqual({
        peer: { address: '198.51.100.20', port: 1002 },
        kind: 'address-full',
        reason: '198.51.100.20 has 1 connections, maxConnectionsPerAddress is 1',
      });

      // Same socket address (127.0.0.1), another real address: taken.
      const other = await tcp(port);
      other.write(Buffer.concat([proxyV1('198.51.100.21', '198.51.100.1', 1003, 3333), Buffer.from('two\n')]));
      await expect(other.next()).resolves.toBe('echo two');

      // An IPv4-mapped form of the first address is the same address.
      const mapped = await tcp(port);
      mapped.write(proxyV1('::ffff:198.51.100.20', '::ffff:198.51.100.1', 1004, 3333));
      await mapped.closed;
      await until(() => refused.length === 2, 'the second refusal');
      expect(refused[1]).toMatchObject({ peer: { address: '198.51.100.20', port: 1004 }, kind: 'address-full' });

      first.destroy();
      await until(() => server.connectionCount === 1, 'the first connection gone');
      const again = await tcp(port);
      again.write(Buffer.concat([proxyV1('198.51.100.20', '198.51.100.1', 1005, 3333), Buffer.from('three\n')]));
      await expect(again.next()).resolves.toBe('echo three');
    });
  });

  describe('admit', () => {
    it('is asked with the real address; a string refuses with that reason', async () => {
      const asked: unknown[] = [];
      const { server, port } = await start({
        proxyProtocol: 'v2',
        admit: (peer) => {
          asked.push(peer);
          return peer.address === '203.0.113.9' ? 'banned until 2030-01-01T00:00:00Z (invalid shares)' : undefined;
        },
      });
      const banned = await tcp(port);
      banned.write(Buffer.concat([proxyV2Ipv4('203.0.113.9', '198.51.100.1', 4000, 3333), Buffer.from('hi\n')]));
      await banned.closed;
      await until(() => refused.length === 1, 'the refusal');
      expect(refused[0]).toEqual({ peer: { address: '203.0.113.9', port: 4000 }, kind: 'admit', reason: 'banned until 2030-01-01T00:00:00Z (invalid shares)' });
      expect(server.refusedCounts.admit).toBe(1);

      const fine = await tcp(port);
      fine.write(Buffer.concat([proxyV2Ipv4('203.0.113.10', '198.51.100.1', 4001, 3333), Buffer.from('hi\n')]));
      await expect(fine.next()).resolves.toBe('echo hi');
      expect(asked).toEqual([
        { address: '203.0.113.9', port: 4000 },
        { address: '203.0.113.10', port: 4001 },
      ]);
      expect(accepted.map((c) => c.remoteAddress)).toEqual(['203.0.113.10']);
    });
  });

  describe('closeAll', () => {
    it('drops sockets still sending their PROXY header, without counting a refusal', async () => {
      const { server, port } = await start({ proxyProtocol: 'v1' });
      const c = await tcp(port);
      c.write('PROXY ');
      await until(() => server.pendingProxyHeaders === 1, 'the socket in its header');
      server.closeAll('shutting down');
      await c.closed;
      expect(server.pendingProxyHeaders).toBe(0);
      expect(refused).toHaveLength(0);
    });
  });
});
