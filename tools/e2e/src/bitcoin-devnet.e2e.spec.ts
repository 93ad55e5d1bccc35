import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LineClient } from './support/line-client';
import { DEVNET_PAYOUT_ADDRESS, entryPoints } from './support/paths';
import { spawnLogged, type LoggedProcess } from './support/spawn-logged';
import { findShare, type NotifyWire } from './support/stratum-v1-share';

const ACCEPTED = /share accepted/;

describe('the Bitcoin path end to end (devnet, pool and miner as processes on loopback)', () => {
  let dir: string;
  let devnet: LoggedProcess;
  let pool: LoggedProcess;
  let miner: LoggedProcess;
  const ports: Record<string, number> = {};
  let rpcPort = 0;

  /** One JSON-RPC call to the devnet node, as bitcoind clients make it. */
  async function devnetRpc(method: string, params: unknown[]): Promise<Record<string, unknown>> {
    const response = await fetch(`http://127.0.0.1:${rpcPort}/`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('lode:lode').toString('base64')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '1.0', id: 'e2e', method, params }),
    });
    return ((await response.json()) as { result: Record<string, unknown> }).result;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lode-e2e-'));
    devnet = spawnLogged('devnet', entryPoints.devnet, ['--host', '127.0.0.1', '--port', '0', '--rpcuser', 'lode', '--rpcpassword', 'lode']);
    const listening = await devnet.waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+)/, 30000);
    rpcPort = Number(/:(\d+)/.exec(listening.split('http://')[1] ?? '')?.[1]);

    const config = {
      plugins: ['@lode/coin-bitcoin'],
      log: { level: 'info', format: 'json', shares: true, statsIntervalSeconds: 5 },
      coins: {
        btc: {
          node: { url: `http://127.0.0.1:${rpcPort}`, user: 'lode', password: 'lode', pollIntervalMs: 500 },
          payoutAddress: DEVNET_PAYOUT_ADDRESS,
          network: 'regtest',
          coinbaseTag: '/Lode e2e/',
        },
      },
      ports: [
        {
          name: 'vardiff',
          host: '127.0.0.1',
          port: 0,
          coin: 'btc',
          difficulty: { initial: 0.001, vardiff: { targetShareSeconds: 2, retargetSeconds: 10, variancePercent: 30, min: 0.00001, max: 1e6 } },
        },
        { name: 'tiny', host: '127.0.0.1', port: 0, coin: 'btc', difficulty: { initial: 0.000001 }, maxLineBytes: 16384 },
      ],
      shutdownGraceSeconds: 2,
    };
    const configFile = join(dir, 'pool.json');
    writeFileSync(configFile, JSON.stringify(config));
    pool = spawnLogged('pool', entryPoints.pool, ['--config', configFile, '--json']);
    await pool.waitFor(/"port":"tiny".*pool listening|pool listening.*"port":"tiny"/, 60000);
    for (const line of pool.lines.filter((l) => l.includes('pool listening'))) {
      const o = JSON.parse(line) as { port: string; url: string };
      ports[o.port] = Number(o.url.split(':').pop());
    }
    miner = spawnLogged('miner', entryPoints.miner, ['--url', `stratum+tcp://127.0.0.1:${ports['vardiff']}`, '--user', 'e2e.good', '--threads', '1', '--stats-interval', '5']);
  });

  afterAll(async () => {
    await Promise.all([miner, pool, devnet].filter(Boolean).map((p) => p.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('the miner gets accepted shares and the devnet node accepts a block found through the pool', async () => {
    await miner.waitFor(/share accepted/, 60000);
    await pool.waitFor(ACCEPTED, 10000);
    await devnet.waitFor(/block \d+ accepted/, 150000);
    await pool.waitFor(/block found at height \d+ hash [0-9a-f]{64} accepted by node/, 10000);
  });

  it('negotiates version rolling: rolled shares are all accepted and the devnet accepts blocks carrying the rolled version', async () => {
    // the miner sends mining.configure first; the pool grants the btc default mask (BIP 320) minus the job version's bits
    await miner.waitFor(/configured version-rolling mask 1fffe000/, 30000);
    const blockLine = await pool.waitFor(/block found at height \d+ hash [0-9a-f]{64} accepted by node/, 150000);
    const hash = /hash ([0-9a-f]{64}) accepted/.exec(blockLine)?.[1] as string;
    const header = await devnetRpc('getblockheader', [hash, true]);
    const version = header['version'] as number;
    // the job version is 0x20000000 (no bits inside the mask): the block's version carries the miner's rolled bits
    expect(version & ~0x1fffe000).toBe(0x20000000);
    expect(version & 0x1fffe000).not.toBe(0);
    expect(pool.count(/^(?=.*"share rejected")(?=.*"e2e\.good")/)).toBe(0);
  });

  it('answers each kind of bad input precisely, while a well-behaved miner keeps mining', async () => {
    const acceptedBefore = miner.count(/share accepted/);
    const c = await LineClient.open('127.0.0.1', ports['tiny'] as number);
    try {
      // garbage bytes: not JSON
      c.send(Buffer.from([0x00, 0xff, 0xfe, 0x47, 0x0a]));
      expect(JSON.parse((await c.next()) as string)).toMatchObject({ id: null, result: null, error: [-32700, expect.any(String), null] });

      // invalid JSON
      c.send('{"id": 5, "method": "mining.subscribe", "params": [}\n');
      expect(JSON.parse((await c.next()) as string)).toMatchObject({ result: null, error: [-32700, expect.any(String), null] });

      // unknown method
      c.sendJson({ id: 6, method: 'mining.foo', params: [] });
      const unknown = (await c.reply(6)).reply;
      expect(unknown).toMatchObject({ id: 6, result: null, error: [-32601, expect.stringContaining('mining.foo'), null] });

      // a well-formed session
      c.sendJson({ id: 1, method: 'mining.subscribe', params: ['e2e-bad/1.0'] });
      const sub = (await c.reply(1)).reply;
      expect(sub['error']).toBeNull();
      const [, extranonce1, extranonce2Size] = sub['result'] as [unknown, string, number];
      c.sendJson({ id: 2, method: 'mining.authorize', params: ['e2e.bad', 'x'] });
      const auth = await c.reply(2);
      expect(auth.reply).toMatchObject({ id: 2, result: true, error: null });
      const notes = [...auth.notifications];
      while (!notes.some((n) => n['method'] === 'mining.notify')) notes.push(JSON.parse((await c.next()) as string));
      const difficulty = (notes.find((n) => n['method'] === 'mining.set_difficulty')?.['params'] as number[])[0] as number;
      expect(difficulty).toBe(0.000001);
      const notify = notes.filter((n) => n['method'] === 'mining.notify').pop()?.['params'] as NotifyWire;
      const extranonce2 = '00'.repeat(extranonce2Size);

      // wrong number of parameters
      c.sendJson({ id: 10, method: 'mining.submit', params: ['e2e.bad', notify[0], extranonce2, notify[7]] });
      expect((await c.reply(10)).reply).toMatchObject({ id: 10, result: null, error: [-32602, expect.any(String), null] });

      // a share for an unknown job
      c.sendJson({ id: 11, method: 'mining.submit', params: ['e2e.bad', 'feedface99', extranonce2, notify[7], '00000000'] });
      const unknownJob = (await c.reply(11)).reply;
      // 20 for an unknown job; 21 is kept for a stale one (a job superseded by a new block)
      expect(unknownJob).toMatchObject({ id: 11, result: null, error: [20, expect.stringContaining('feedface99'), null] });

      // extranonce2 of the wrong length
      c.sendJson({ id: 12, method: 'mining.submit', params: ['e2e.bad', notify[0], '00'.repeat(extranonce2Size - 1), notify[7], '00000000'] });
      const badEn2 = (await c.reply(12)).reply;
      expect((badEn2['error'] as unknown[])[1]).toMatch(/extranonce2 is \d+ bytes?, expected \d+/);

      // a valid share, then the same share again
      const share = findShare(notify, extranonce1, extranonce2, difficulty);
      c.sendJson({ id: 13, method: 'mining.submit', params: ['e2e.bad', notify[0], extranonce2, notify[7], share.nonce] });
      expect((await c.reply(13)).reply).toEqual({ id: 13, result: true, error: null });
      c.sendJson({ id: 14, method: 'mining.submit', params: ['e2e.bad', notify[0], extranonce2, notify[7], share.nonce] });
      expect((await c.reply(14)).reply).toMatchObject({ id: 14, result: null, error: [22, expect.any(String), null] });

      // a line over the 16 KiB limit: an error reply, then the documented disconnect
      c.send(`${'a'.repeat(20000)}\n`);
      let line: string | undefined;
      const replies: string[] = [];
      while ((line = await c.next()) !== undefined) replies.push(line);
      expect(replies.map((l) => JSON.parse(l) as Record<string, unknown>).find((m) => m['id'] === null && m['error'] !== null)).toMatchObject({
        error: [-32600, expect.stringMatching(/16384/), null],
      });
      expect(c.closed).toBe(true);
    } finally {
      c.close();
    }
    // the other miner was never disturbed and keeps getting shares accepted
    await miner.waitFor(/share accepted/, 30000);
    const deadline = Date.now() + 60000;
    while (miner.count(/share accepted/) <= acceptedBefore && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    expect(miner.count(/share accepted/)).toBeGreaterThan(acceptedBefore);
    expect(miner.count(/reconnect|disconnected/i)).toBe(0);
  });
});
