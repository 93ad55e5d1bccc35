import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { LineClient } from './support/line-client';
import { entryPoints } from './support/paths';
import { spawnLogged, type LoggedProcess } from './support/spawn-logged';

/** The height (hex) of the last mining.notify among `notes`. */
function notifyHeight(notes: Record<string, unknown>[]): string {
  return (notes.filter((n) => n['method'] === 'mining.notify').pop()?.['params'] as string[])[1] as string;
}

/**
 * EthereumStratum/2.0.0 end to end: the ethash devnet (geth's eth_getWork /
 * eth_submitWork), the pool with an ethstratum port validating shares with
 * the epoch-0 light cache, and the miner scanning with the light cache, as
 * three processes on loopback.
 */
describe('the ethash path end to end (ethash devnet, pool and miner as processes on loopback)', () => {
  let dir: string;
  let devnet: LoggedProcess;
  let pool: LoggedProcess;
  let miner: LoggedProcess;
  let stratumPort = 0;
  let gzipPort = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lode-e2e-eth-'));
    // ~2000 light hashes per block: a few seconds for one light-cache thread. The chain starts one block
    // before the first epoch boundary, so the second block is mined in epoch 1 (facts/ethash.md §2.1).
    devnet = spawnLogged('devnet', entryPoints.devnet, [
      'ethash',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--difficulty',
      '2000',
      '--start-height',
      '29999',
    ]);
    const listening = await devnet.waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+)/, 60000);
    const rpcPort = Number(/127\.0\.0\.1:(\d+)/.exec(listening)?.[1]);

    const config = {
      plugins: ['@lode/coin-ethereum'],
      log: { level: 'info', format: 'json', shares: true, statsIntervalSeconds: 5 },
      coins: { eth: { node: { url: `http://127.0.0.1:${rpcPort}`, pollIntervalMs: 200 } } },
      engine: { acceptStaleHeights: 3 },
      ports: [
        {
          name: 'es2',
          host: '127.0.0.1',
          port: 0,
          coin: 'eth',
          dialect: 'ethstratum',
          difficulty: { initial: 40 },
          ethstratum: { timeoutSeconds: 60, maxErrors: 3, node: 'Lode ethash devnet', hashrateNotifySeconds: 5 },
        },
        { name: 'es2-gzip', host: '127.0.0.1', port: 0, coin: 'eth', dialect: 'ethstratum', difficulty: { initial: 40 }, ethstratum: { encoding: 'gzip' } },
      ],
      shutdownGraceSeconds: 2,
    };
    const configFile = join(dir, 'pool.json');
    writeFileSync(configFile, JSON.stringify(config));
    pool = spawnLogged('pool', entryPoints.pool, ['--config', configFile, '--json']);
    await pool.waitFor(/"port":"es2-gzip".*pool listening|pool listening.*"port":"es2-gzip"/, 60000);
    for (const line of pool.lines.filter((l) => l.includes('pool listening'))) {
      const o = JSON.parse(line) as { port: string; url: string };
      const port = Number(o.url.split(':').pop());
      if (o.port === 'es2') stratumPort = port;
      else gzipPort = port;
    }
    miner = spawnLogged('miner', entryPoints.miner, [
      '--coin',
      'eth',
      '--url',
      `stratum3+tcp://127.0.0.1:${stratumPort}`,
      '--user',
      '0x00000000000000000000000000000000000000e2.rig1',
      '--threads',
      '1',
      '--stats-interval',
      '5',
      '--hashrate-report',
      '2',
    ]);
  });

  afterAll(async () => {
    await Promise.all([miner, pool, devnet].filter(Boolean).map((p) => p.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('the miner gets accepted shares and the devnet accepts a block found through the pool', async () => {
    await miner.waitFor(/light cache for ethash epoch 0: 100%|ethash epoch 0 ready/, 60000);
    await miner.waitFor(/share accepted/, 90000);
    await pool.waitFor(/share accepted/, 10000);
    await devnet.waitFor(/block \d+ accepted/, 170000);
    await pool.waitFor(/block found at height 29999 hash [0-9a-f]{64} accepted by node/, 10000);
    expect(pool.count(/share rejected/)).toBe(0);
  });

  it('crosses the epoch boundary: epoch 1 work, the miner prepares epoch 1, the pool validates with its prebuilt cache, block 30000 accepted', async () => {
    await miner.waitFor(/ethash epoch 1 ready/, 60000);
    await devnet.waitFor(/block 30000 accepted/, 170000);
    await pool.waitFor(/block found at height 30000 hash [0-9a-f]{64} accepted by node/, 10000);
    // the pool built epoch 1's light cache in the background while epoch 0 was mined
    expect(pool.count(/light cache for ethash epoch 1 built/)).toBe(1);
    expect(pool.count(/share rejected/)).toBe(0);
  });

  it('answers a raw EIP-1571 client on the same port: hello with all six members, subscribe, authorize, errors as objects', async () => {
    const c = await LineClient.open('127.0.0.1', stratumPort);
    try {
      c.send('{"id":0,"method":"mining.hello","params":{"agent":"e2e/1.0","host":"127.0.0.1","port":"d05","proto":"EthereumStratum/2.0.0"}}\n');
      const hello = (await c.reply(0)).reply;
      expect(hello).toEqual({
        id: 0,
        result: { proto: 'EthereumStratum/2.0.0', encoding: 'plain', resume: '1', timeout: '3c', maxerrors: '3', node: 'Lode ethash devnet' },
      });
      c.send('{"id":1,"method":"mining.subscribe"}\n');
      const sessionId = (await c.reply(1)).reply['result'];
      expect(sessionId).toMatch(/^[0-9a-f]{16}$/);
      c.send('{"id":2,"method":"mining.authorize","params":["0x00000000000000000000000000000000000000e2.raw","x"]}\n');
      const auth = await c.reply(2);
      expect(auth.reply).toEqual({ id: 2, result: 'w-1' });
      // the first mining.set carries all four members, then the notify
      const notes = [...auth.notifications];
      while (!notes.some((n) => n['method'] === 'mining.notify')) notes.push(JSON.parse((await c.next()) as string));
      const set = notes.find((n) => n['method'] === 'mining.set')?.['params'] as Record<string, string>;
      expect(Object.keys(set).sort()).toEqual(['algo', 'epoch', 'extranonce', 'target']);
      expect(set['algo']).toBe('ethash');
      expect(set['epoch']).toBe(Number.parseInt(notifyHeight(notes), 16) >= 30000 ? '1' : '0');
      expect(set['extranonce']).toMatch(/^[0-9a-f]{4}$/);
      // target = 2^256 / 40, without leading zeros
      expect(BigInt(`0x${set['target']}`)).toBe((1n << 256n) / 40n);
      const notify = notes.filter((n) => n['method'] === 'mining.notify').pop()?.['params'] as string[];
      expect(notify).toHaveLength(4);
      // an unknown worker token is refused (3xx), a job the session never got is 404
      c.send(`{"id":3,"method":"mining.submit","params":["${notify[0]}","000000000000","w-9"]}\n`);
      expect((await c.reply(3)).reply).toMatchObject({ id: 3, error: { code: 301 } });
      c.send('{"id":4,"method":"mining.submit","params":["ffff","000000000000","w-1"]}\n');
      expect((await c.reply(4)).reply).toMatchObject({ id: 4, error: { code: 404 } });
      c.send('{"id":5,"method":"mining.noop"}\n');
      expect((await c.reply(5)).reply).toEqual({ id: 5 });
      // mining.bye: the pool closes the connection
      c.send('{"method":"mining.bye"}\n');
      let line: string | undefined;
      do line = await c.next(10000);
      while (line !== undefined);
    } finally {
      c.close();
    }
    await pool.waitFor(/"bye":true.*miner disconnected|miner disconnected.*"bye":true/, 10000);
  });

  it('speaks gzip after the hello reply on a gzip port: one base64(gzip(message)) line per message; a plain line then closes', async () => {
    const c = await LineClient.open('127.0.0.1', gzipPort);
    const zip = (text: string): string => `${gzipSync(Buffer.from(text)).toString('base64')}\n`;
    const unzip = (line: string | undefined): Record<string, unknown> => JSON.parse(gunzipSync(Buffer.from(line as string, 'base64')).toString('utf8'));
    try {
      c.send('{"id":0,"method":"mining.hello","params":{"agent":"e2e/1.0","host":"127.0.0.1","port":"d05","proto":"EthereumStratum/2.0.0"}}\n');
      expect((await c.reply(0)).reply).toMatchObject({ id: 0, result: { encoding: 'gzip' } });
      c.send(zip('{"id":1,"method":"mining.subscribe"}'));
      const subscribed = unzip(await c.next());
      expect(subscribed).toEqual({ id: 1, result: expect.stringMatching(/^[0-9a-f]{16}$/) });
      c.send('{"id":2,"method":"mining.noop"}\n');
      let line: string | undefined;
      do line = await c.next(10000);
      while (line !== undefined);
    } finally {
      c.close();
    }
  });

  it('resumes a session dropped without mining.bye: same id, same extranonce, the old worker token works without authorize', async () => {
    const hello = '{"id":0,"method":"mining.hello","params":{"agent":"e2e/1.0","host":"127.0.0.1","port":"d05","proto":"EthereumStratum/2.0.0"}}\n';
    const first = await LineClient.open('127.0.0.1', stratumPort);
    first.send(hello);
    await first.reply(0);
    first.send('{"id":1,"method":"mining.subscribe"}\n');
    const sessionId = (await first.reply(1)).reply['result'] as string;
    first.send('{"id":2,"method":"mining.authorize","params":["0x00000000000000000000000000000000000000e2.resume","x"]}\n');
    const auth = await first.reply(2);
    const notes = [...auth.notifications];
    while (!notes.some((n) => n['method'] === 'mining.notify')) notes.push(JSON.parse((await first.next()) as string));
    const extranonce = (notes.find((n) => n['method'] === 'mining.set')?.['params'] as Record<string, string>)['extranonce'];
    first.close();
    await pool.waitFor(/"bye":false.*miner disconnected|miner disconnected.*"bye":false/, 10000);

    const again = await LineClient.open('127.0.0.1', stratumPort);
    try {
      again.send(hello);
      await again.reply(0);
      again.send(`{"id":1,"method":"mining.subscribe","params":"${sessionId}"}\n`);
      const resumed = await again.reply(1);
      expect(resumed.reply).toEqual({ id: 1, result: sessionId });
      // no authorize: the job comes on the resumed worker, with the old extranonce
      const more = [...resumed.notifications];
      while (!more.some((n) => n['method'] === 'mining.notify')) more.push(JSON.parse((await again.next()) as string));
      const set = more.find((n) => n['method'] === 'mining.set')?.['params'] as Record<string, string> | undefined;
      expect(set?.['extranonce']).toBe(extranonce);
      const notify = more.filter((n) => n['method'] === 'mining.notify').pop()?.['params'] as string[];
      // the token of the first connection is known: a share with it is judged (not 301)
      again.send(`{"id":3,"method":"mining.submit","params":["${notify[0]}","000000000000","w-1"]}\n`);
      const verdict = (await again.reply(3)).reply;
      expect((verdict['error'] as { code: number } | undefined)?.code).not.toBe(301);
    } finally {
      again.close();
    }
  });
});
