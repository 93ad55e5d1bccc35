import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LodeError } from '@lode/plugin-api';
import { FakeBitcoind, ok, rpcError } from '../testing/fake-bitcoind.fixture';
import { memoryLogger } from '../testing/memory-logger.fixture';
import { BitcoindRpcClient } from './bitcoind-rpc-client';

const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** A port that was free a moment ago: listen on 0, read the port, close. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('BitcoindRpcClient', () => {
  let node: FakeBitcoind;
  let url: string;

  beforeEach(async () => {
    node = new FakeBitcoind(() => ok(null));
    url = await node.listen();
  });

  afterEach(async () => {
    await node.close();
  });

  describe('when given user and password', () => {
    it('sends JSON-RPC 1.0 with basic auth and returns the result', async () => {
      node.setHandler((req) => ok({ chain: 'regtest', blocks: 101, method: req.method }));
      const client = new BitcoindRpcClient({ url, user: 'alice', password: 's3cret' }, memoryLogger());
      const info = await client.getBlockchainInfo();
      expect(info).toEqual({ chain: 'regtest', blocks: 101, method: 'getblockchaininfo' });
      expect(node.seen[0]).toEqual({ method: 'getblockchaininfo', params: [], authorization: basic('alice', 's3cret') });
    });
  });

  describe('when the credentials are in the URL', () => {
    it('moves them into the authorization header and keeps them out of `url`', async () => {
      const client = new BitcoindRpcClient({ url: url.replace('http://', 'http://bob:pw%40x@') }, memoryLogger());
      await client.call('ping');
      expect(node.seen[0].authorization).toBe(basic('bob', 'pw@x'));
      expect(client.url).toBe(url);
    });
  });

  describe('when given a cookie file', () => {
    let dir: string;

    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'lode-cookie-'));
    });

    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('authenticates with __cookie__:<secret>', async () => {
      const cookieFile = join(dir, '.cookie');
      await writeFile(cookieFile, '__cookie__:abc123\n');
      const client = new BitcoindRpcClient({ url, cookieFile }, memoryLogger());
      await client.call('ping');
      expect(node.seen[0].authorization).toBe(basic('__cookie__', 'abc123'));
    });

    it('re-reads the cookie after a 401 (bitcoind restarted) and retries once', async () => {
      const cookieFile = join(dir, '.cookie');
      await writeFile(cookieFile, '__cookie__:old');
      let secret = 'old';
      node.setHandler((req) => (req.authorization === basic('__cookie__', secret) ? ok('pong') : { status: 401, body: '' }));
      const client = new BitcoindRpcClient({ url, cookieFile }, memoryLogger());
      await expect(client.call('ping')).resolves.toBe('pong');
      secret = 'new';
      await writeFile(cookieFile, '__cookie__:new');
      await expect(client.call('ping')).resolves.toBe('pong');
      expect(node.seen.map((r) => r.authorization)).toEqual([
        basic('__cookie__', 'old'),
        basic('__cookie__', 'old'),
        basic('__cookie__', 'new'),
      ]);
    });

    it('throws LodeError(node) naming the file when it cannot be read', async () => {
      const client = new BitcoindRpcClient({ url, cookieFile: join(dir, 'missing') }, memoryLogger());
      await expect(client.call('ping')).rejects.toMatchObject({
        kind: 'node',
        message: `bitcoind cookie file ${join(dir, 'missing')} cannot be read: ENOENT`,
      });
    });
  });

  describe('when bitcoind answers 401', () => {
    it('throws LodeError(node) telling which credentials to check', async () => {
      node.setHandler(() => ({ status: 401, body: '' }));
      const client = new BitcoindRpcClient({ url, user: 'alice', password: 'wrong' }, memoryLogger());
      await expect(client.call('getblocktemplate')).rejects.toMatchObject({
        kind: 'node',
        message: `bitcoind at ${url} refused getblocktemplate with HTTP 401 Unauthorized: check node.user / node.password`,
      });
    });
  });

  describe('when bitcoind answers an RPC error', () => {
    it('throws LodeError(node) with the method, code and message, and the code on the error', async () => {
      node.setHandler(() => rpcError(-10, 'Bitcoin Core is in initial sync and waiting for blocks...'));
      const client = new BitcoindRpcClient({ url }, memoryLogger());
      const error = await client.getBlockTemplate({ rules: ['segwit'] }).catch((e: unknown) => e);
      expect(LodeError.is(error, 'node')).toBe(true);
      expect(error).toMatchObject({
        message: 'bitcoind getblocktemplate failed: -10 Bitcoin Core is in initial sync and waiting for blocks...',
        code: -10,
      });
      expect(node.seen[0].params).toEqual([{ rules: ['segwit'] }]);
    });
  });

  describe('when submitblock is answered', () => {
    it('returns null for an accepted block and the reason otherwise', async () => {
      const answers = [ok(null), ok('high-hash')];
      node.setHandler(() => answers.shift() ?? ok(null));
      const client = new BitcoindRpcClient({ url }, memoryLogger());
      await expect(client.submitBlock('00')).resolves.toBeNull();
      await expect(client.submitBlock('00')).resolves.toBe('high-hash');
      expect(node.seen.map((r) => r.params)).toEqual([['00'], ['00']]);
    });
  });

  describe('when the answer is not JSON', () => {
    it('throws LodeError(node) with the HTTP status', async () => {
      node.setHandler(() => ({ status: 403, body: 'Forbidden' }));
      const client = new BitcoindRpcClient({ url }, memoryLogger());
      await expect(client.call('ping')).rejects.toMatchObject({
        kind: 'node',
        message: `bitcoind at ${url} answered ping with HTTP 403 and no JSON-RPC body: Forbidden`,
      });
    });
  });

  describe('when nothing listens at the URL', () => {
    it('throws LodeError(node) "unreachable: ECONNREFUSED"', async () => {
      const dead = `http://127.0.0.1:${await closedPort()}`;
      const client = new BitcoindRpcClient({ url: dead }, memoryLogger());
      await expect(client.call('getblocktemplate')).rejects.toMatchObject({
        kind: 'node',
        message: `bitcoind at ${dead} unreachable: ECONNREFUSED`,
      });
    });
  });

  describe('when the call is aborted through its signal', () => {
    it('throws LodeError(node) "aborted" and ends the held request', async () => {
      node.setHandler(() => 'hold');
      const client = new BitcoindRpcClient({ url }, memoryLogger());
      const abort = new AbortController();
      const pending = client.getBlockTemplate({ rules: ['segwit'], longpollid: 'x' }, { signal: abort.signal });
      await waitFor(() => node.seen.length === 1);
      abort.abort();
      await expect(pending).rejects.toMatchObject({ kind: 'node', message: 'bitcoind getblocktemplate aborted' });
    });
  });

  describe('when the URL is not http(s)', () => {
    it('throws LodeError(config)', () => {
      expect(() => new BitcoindRpcClient({ url: 'ftp://127.0.0.1' }, memoryLogger())).toThrow(
        expect.objectContaining({ kind: 'config' }),
      );
    });
  });
});

/** Polls a condition on the event loop (no timed assertion: it waits as long as jest lets it). */
async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
