import { readFileSync } from 'node:fs';
import * as net from 'node:net';
import { join } from 'node:path';
import { firstValueFrom, take, toArray } from 'rxjs';
import { LodeError } from '../errors';
import { connectStratum } from './connect-stratum';
import type { StratumConnection } from './stratum-connection';
import { StratumServer } from './stratum-server';

const fixtures = join(__dirname, '..', 'testing', 'fixtures');
const cert = readFileSync(join(fixtures, 'localhost-cert.pem'));
const key = readFileSync(join(fixtures, 'localhost-key.pem'));

describe('StratumServer', () => {
  const servers: StratumServer[] = [];
  const conns: StratumConnection[] = [];

  function makeServer(tls?: { cert: Buffer; key: Buffer }): StratumServer {
    const server = new StratumServer({ host: '127.0.0.1', port: 0, tls });
    server.connections$.subscribe((c) => conns.push(c));
    servers.push(server);
    return server;
  }

  async function echo(server: StratumServer): Promise<void> {
    const conn = await firstValueFrom(server.connections$);
    conn.lines$.subscribe((line) => conn.send(`echo ${line}`));
  }

  afterEach(async () => {
    for (const c of conns.splice(0)) c.close('test over');
    for (const s of servers.splice(0)) await s.close('test over');
  });

  describe('when listening on port 0', () => {
    it('resolves with the real port', async () => {
      const { host, port } = await makeServer().listen();
      expect(host).toBe('127.0.0.1');
      expect(port).toBeGreaterThan(0);
    });
  });

  describe('when the port is taken', () => {
    it('rejects with LodeError(connection) naming address and code', async () => {
      const { port } = await makeServer().listen();
      const second = new StratumServer({ host: '127.0.0.1', port });
      const err = await second.listen().catch((e: unknown) => e);
      expect(LodeError.is(err, 'connection')).toBe(true);
      expect((err as Error).message).toBe(`listen on 127.0.0.1:${port} failed: EADDRINUSE`);
    });
  });

  describe('when it stops accepting', () => {
    it('refuses new connections, keeps open ones until closeAll', async () => {
      const server = makeServer();
      const { port } = await server.listen();
      const serving = echo(server);
      const client = await connectStratum(`stratum+tcp://127.0.0.1:${port}`);
      conns.push(client);
      await serving;
      expect(server.connectionCount).toBe(1);

      await server.stopAccepting();
      await expect(connectStratum(`stratum+tcp://127.0.0.1:${port}`)).rejects.toThrow(
        `connect to 127.0.0.1:${port} failed: ECONNREFUSED`,
      );
      const reply = firstValueFrom(client.lines$);
      client.send('still here');
      await expect(reply).resolves.toBe('echo still here');

      const closed = firstValueFrom(client.closed$);
      server.closeAll('pool shutting down');
      await expect(closed).resolves.toEqual({ reason: 'peer closed', byPeer: true });
      expect(server.connectionCount).toBe(0);
    });
  });

  describe('when it speaks TLS', () => {
    it('round-trips lines with a client that does not verify the certificate', async () => {
      const server = makeServer({ cert, key });
      const { port } = await server.listen();
      const serving = echo(server);
      const client = await connectStratum(`stratum+tls://127.0.0.1:${port}`, { tls: { rejectUnauthorized: false } });
      conns.push(client);
      await serving;
      const replies = firstValueFrom(client.lines$.pipe(take(2), toArray()));
      client.send('{"id":1,"method":"mining.subscribe","params":[]}');
      client.send('é');
      await expect(replies).resolves.toEqual(['echo {"id":1,"method":"mining.subscribe","params":[]}', 'echo é']);
    });

    it('round-trips lines with a client that trusts the certificate through ca', async () => {
      const server = makeServer({ cert, key });
      const { port } = await server.listen();
      const serving = echo(server);
      const client = await connectStratum(`stratum+ssl://127.0.0.1:${port}`, {
        tls: { ca: cert, servername: 'localhost' },
      });
      conns.push(client);
      await serving;
      const reply = firstValueFrom(client.lines$);
      client.send('hello');
      await expect(reply).resolves.toBe('echo hello');
    });

    it('is refused by a verifying client without the ca', async () => {
      const { port } = await makeServer({ cert, key }).listen();
      const err = await connectStratum(`stratum+tls://127.0.0.1:${port}`).catch((e: unknown) => e);
      expect(LodeError.is(err, 'connection')).toBe(true);
      expect((err as Error).message).toMatch(
        new RegExp(`^connect to 127\\.0\\.0\\.1:${port} failed: DEPTH_ZERO_SELF_SIGNED_CERT`),
      );
    });

    it('drops handshakes in progress on closeAll', async () => {
      const server = makeServer({ cert, key });
      const { port } = await server.listen();
      const raw = net.connect({ host: '127.0.0.1', port });
      raw.on('error', () => undefined);
      const closed = new Promise<void>((done) => raw.once('close', () => done()));
      await new Promise<void>((done) => raw.once('connect', () => done()));
      // The client sends no ClientHello, so the handshake stays pending until closeAll.
      while (server.pendingHandshakes === 0) await new Promise<void>((done) => setImmediate(done));
      server.closeAll('shutting down');
      await closed;
      expect(server.pendingHandshakes).toBe(0);
      expect(server.connectionCount).toBe(0);
    });
  });

  describe('when the TLS context is replaced', () => {
    it('accepts a valid certificate and serves new handshakes with it', async () => {
      const server = makeServer({ cert, key });
      const { port } = await server.listen();
      server.setTlsContext({ cert, key });
      const serving = echo(server);
      const client = await connectStratum(`stratum+tls://127.0.0.1:${port}`, { tls: { ca: cert } });
      conns.push(client);
      await serving;
      const reply = firstValueFrom(client.lines$);
      client.send('renewed');
      await expect(reply).resolves.toBe('echo renewed');
    });

    it('throws LodeError(config) for a PEM that is not one', () => {
      const server = makeServer({ cert, key });
      expect(() => server.setTlsContext({ cert: 'not a cert', key: 'not a key' })).toThrow(LodeError);
      let caught: unknown;
      try {
        server.setTlsContext({ cert: 'not a cert', key: 'not a key' });
      } catch (e) {
        caught = e;
      }
      expect(LodeError.is(caught, 'config')).toBe(true);
    });

    it('throws LodeError(config) on a plain TCP server', () => {
      expect(() => makeServer().setTlsContext({ cert, key })).toThrow(
        'stratum port 0 was created without tls, cannot set a TLS context',
      );
    });
  });
});
