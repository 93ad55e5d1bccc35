import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LineClient } from './support/line-client';
import { entryPoints } from './support/paths';
import { spawnLogged, type LoggedProcess } from './support/spawn-logged';

/** The address of facts/warthog.md §6-H (its checksum fe5f4093 is valid). */
const ADDRESS = '3661579d61abde5837a8686dc4d65348a2fc61b1fe5f4093';

/**
 * Warthog end to end: the Warthog devnet (the node's /chain/mine, /chain/head,
 * /chain/append, checking Janushash), the pool with a warthog port, and the
 * miner scanning with the native Janushash scanner, as processes on loopback.
 */
describe('the Warthog path end to end (warthog devnet, pool and miner as processes on loopback)', () => {
  let dir: string;
  let devnet: LoggedProcess;
  let pool: LoggedProcess;
  let miner: LoggedProcess;
  let stratumPort = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lode-e2e-wart-'));
    devnet = spawnLogged('devnet', entryPoints.devnet, ['warthog', '--host', '127.0.0.1', '--port', '0', '--difficulty', '8000000']);
    const listening = await devnet.waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+)/, 60000);
    const rpcPort = Number(/127\.0\.0\.1:(\d+)/.exec(listening)?.[1]);
    const config = {
      plugins: ['@lode/coin-warthog'],
      log: { level: 'info', format: 'json', shares: true, statsIntervalSeconds: 5 },
      coins: { wart: { node: { url: `http://127.0.0.1:${rpcPort}`, pollIntervalMs: 200 }, payoutAddress: ADDRESS } },
      ports: [{ name: 'wart', host: '127.0.0.1', port: 0, coin: 'wart', dialect: 'warthog', difficulty: { initial: 200000 } }],
      shutdownGraceSeconds: 2,
    };
    const configFile = join(dir, 'pool.json');
    writeFileSync(configFile, JSON.stringify(config));
    pool = spawnLogged('pool', entryPoints.pool, ['--config', configFile, '--json']);
    const line = await pool.waitFor(/pool listening/, 60000);
    stratumPort = Number((JSON.parse(line) as { url: string }).url.split(':').pop());
    miner = spawnLogged('miner', entryPoints.miner, [
      '--coin',
      'wart',
      '--url',
      `stratum+tcp://127.0.0.1:${stratumPort}`,
      '--user',
      `${ADDRESS}.rig1`,
      '--threads',
      '1',
      '--stats-interval',
      '5',
    ]);
  });

  afterAll(async () => {
    await Promise.all([miner, pool, devnet].filter(Boolean).map((p) => p.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('the miner gets accepted shares and the devnet accepts a block found through the pool', async () => {
    await miner.waitFor(/share accepted/, 90000);
    await pool.waitFor(/share accepted/, 10000);
    await devnet.waitFor(/block \d+ accepted/, 170000);
    await pool.waitFor(/block found at height \d+ hash [0-9a-f]{64} accepted by node/, 10000);
    // blocks come every few seconds here, so a share may lose the race with a new block (stale, 21); nothing else is refused
    expect(pool.count(/share rejected/)).toBe(pool.count(/"reason":"stale".*share rejected|share rejected.*"reason":"stale"/));
  });

  it('speaks the current wire form to a raw client: subscribe with 4 + 6 extranonce bytes, version as 8 hex digits, error:null on success', async () => {
    const c = await LineClient.open('127.0.0.1', stratumPort);
    try {
      c.sendJson({ id: 1, method: 'mining.subscribe', params: ['janusminer/0.0.1'] });
      const sub = (await c.reply(1)).reply;
      expect(sub).toEqual({ id: 1, result: [[['mining.notify', expect.stringMatching(/^[0-9a-f]+$/)]], expect.stringMatching(/^[0-9a-f]{8}$/), 6], error: null });
      c.sendJson({ id: 2, method: 'mining.authorize', params: [`${ADDRESS}.raw`, 'x'] });
      const auth = await c.reply(2);
      expect(auth.reply).toEqual({ id: 2, result: true, error: null });
      const notes = [...auth.notifications];
      while (!notes.some((n) => n['method'] === 'mining.notify')) notes.push(JSON.parse((await c.next()) as string));
      expect(notes.find((n) => n['method'] === 'mining.set_difficulty')).toEqual({ id: null, method: 'mining.set_difficulty', params: [200000] });
      const notify = notes.filter((n) => n['method'] === 'mining.notify').pop() as { id: null; params: unknown[] };
      expect(notify.id).toBeNull();
      expect(notify.params).toHaveLength(7);
      expect(notify.params[3]).toBe('00000003');
      expect(notify.params[1]).toMatch(/^[0-9a-f]{64}$/);
      // the older 5-parameter submit with a leading worker name is understood; a wrong nonce is low difficulty (23)
      const [jobId, , , , , ntime] = notify.params as string[];
      c.sendJson({ id: 3, method: 'mining.submit', params: [`${ADDRESS}.raw`, jobId, '000000000001', ntime, '00000000'] });
      const verdict = (await c.reply(3)).reply;
      // nonce 0 on this job is almost surely below the difficulty-200000 target; either way the reply has the dialect's shape
      if (verdict['result'] === true) expect(verdict['error']).toBeNull();
      else expect(verdict).toMatchObject({ id: 3, result: null, error: [23, expect.any(String), null] });
      // an unknown job id is 20 (21 is kept for stale shares)
      c.sendJson({ id: 4, method: 'mining.submit', params: ['feed', '000000000001', ntime, '00000000'] });
      expect((await c.reply(4)).reply).toMatchObject({ id: 4, result: null, error: [20, expect.any(String), null] });
    } finally {
      c.close();
    }
  });
});
