import { resolve } from 'node:path';
import { targetFromDifficulty } from '@lode/mining';
import { parseProxyConfig } from '../config/load-config';
import { startProxy, type RunningProxy } from '../composition/start-proxy';
import { bitcoinPlugin } from '../testing/bitcoin-plugin';
import { eventually } from '../testing/eventually';
import { FakeBitcoinPool, type ReceivedShare } from '../testing/fake-bitcoin-pool';
import { RecordingLogger } from '../testing/recording-logger';
import { TestMiner, type MinedShare } from '../testing/test-miner';

/*
 * The proxy end to end on loopback: a fake Stratum v1 pool (dialect-bitcoin
 * server + stratum-core server, checking every share's hash with the real
 * plugin), the proxy from startProxy, and real miners scanning with the
 * native SHA-256d hasher.
 *
 * Difficulties: a share of difficulty d needs about d * 2^32 hashes
 * (facts/bitcoin-stratum.md "Targets"). Miners work at 2^-20 (about one
 * share per 4096 hashes), the upstream asks 2^-16 (one per 65536), so
 * about one miner share in 16 is worth forwarding.
 */
const MINER_DIFFICULTY = 2 ** -20;
const UPSTREAM_DIFFICULTY = 2 ** -16;

const plugin = bitcoinPlugin();
const upstreamTarget = targetFromDifficulty(UPSTREAM_DIFFICULTY, plugin.diff1Target);
const minerTarget = targetFromDifficulty(MINER_DIFFICULTY, plugin.diff1Target);
const appDir = resolve(__dirname, '../..');

const pools: FakeBitcoinPool[] = [];
const miners: TestMiner[] = [];
let proxy: RunningProxy | undefined;
let logger: RecordingLogger;

afterEach(async () => {
  for (const m of miners.splice(0)) m.close();
  await proxy?.stop('test over');
  proxy = undefined;
  for (const p of pools.splice(0)) await p.stop();
});

async function pool(extranonce2Size: number, tag = 0xa0): Promise<FakeBitcoinPool> {
  const p = await FakeBitcoinPool.start({ plugin, extranonce2Size, difficulty: UPSTREAM_DIFFICULTY, extranonce1Tag: tag });
  pools.push(p);
  return p;
}

async function start(upstreams: FakeBitcoinPool[], extra: Record<string, unknown> = {}): Promise<string> {
  logger = new RecordingLogger();
  const config = parseProxyConfig(
    JSON.stringify({
      plugins: ['@lode/coin-bitcoin'],
      log: { statsIntervalSeconds: 0 },
      upstreams: upstreams.map((p, i) => ({ name: i === 0 ? 'primary' : 'backup', url: p.url, user: 'proxy.main', coin: 'btc', priority: i })),
      ports: [{ host: '127.0.0.1', port: 0, coin: 'btc', difficulty: { initial: MINER_DIFFICULTY } }],
      healthCheckSeconds: 0.05,
      failbackSeconds: 0.2,
      connectTimeoutSeconds: 5,
      ...extra,
    }),
    'proxy.test.json',
  );
  proxy = await startProxy(config, logger, appDir);
  return `stratum+tcp://127.0.0.1:${proxy.ports[0].port}`;
}

async function miner(url: string, user: string, options: { versionRolling?: boolean; extranonceSubscribe?: boolean } = {}): Promise<TestMiner> {
  const m = await TestMiner.connect(url, { plugin, user, ...options });
  miners.push(m);
  await m.until(() => m.jobs.length > 0, 'the first job');
  return m;
}

/** Mines until the miner has found at least one upstream-worthy share. */
function mineUntilWorthy(m: TestMiner): Promise<MinedShare[]> {
  return m.mine(400, (found) => found.some((s) => s.hashValue <= upstreamTarget));
}

/** What the pool must have received for a miner share: the upstream's extranonce2 = suffix ‖ miner extranonce2. */
function expectedUpstream(share: MinedShare, upstreamExtranonce1: string): Partial<ReceivedShare> {
  const suffix = share.extranonce1.slice(upstreamExtranonce1.length);
  return {
    jobId: share.jobId,
    extranonce1: upstreamExtranonce1,
    extranonce2: suffix + share.extranonce2,
    ntime: share.ntime,
    nonce: share.nonce,
    ...(share.versionBits === undefined ? {} : { versionBits: share.versionBits }),
    worker: 'proxy.main',
    accepted: true,
  };
}

function shareKey(s: { jobId?: string; extranonce2?: string; nonce?: number; versionBits?: number }): string {
  return `${s.jobId}|${s.extranonce2}|${s.nonce}|${s.versionBits ?? 0}`;
}

describe('the bitcoin proxy', () => {
  describe('when several miners mine through it', () => {
    it('uses one upstream connection, gives each miner a distinct extranonce1 and forwards only upstream-worthy shares', async () => {
      // upstream extranonce2 of 8 bytes: a 4-byte suffix per miner, 4 bytes left to roll
      const upstream = await pool(8);
      const url = await start([upstream]);
      const a = await miner(url, 'farm.a', { versionRolling: true });
      const b = await miner(url, 'farm.b', { versionRolling: true });
      const c = await miner(url, 'farm.c');

      expect(upstream.live).toHaveLength(1);
      const upstreamEn1 = upstream.live[0].extranonce1.toString('hex');
      expect(upstreamEn1).toBe('a0000001');
      const en1s = [a, b, c].map((m) => m.extranonce1);
      expect(new Set(en1s).size).toBe(3);
      for (const en1 of en1s) {
        expect(en1).toHaveLength(16);
        expect(en1.startsWith(upstreamEn1)).toBe(true);
      }
      expect([a, b, c].map((m) => m.extranonce2Size)).toEqual([4, 4, 4]);
      // the upstream's jobs go down as they came, at the miners' own difficulty
      expect(a.job.params.jobId).toBe(upstream.currentJobId);
      expect(a.job.difficulty).toBe(MINER_DIFFICULTY);
      // the proxy negotiated ffffffff & 1fffe000 upstream; the miner asked ffffffff
      expect(a.client.versionMask).toBe(0x1fffe000);

      // a and b mine until one of their forwarded shares rolled the version (bit 13)
      const rolled = (m: TestMiner) => m.mine(2000, (found) => found.some((s) => s.hashValue <= upstreamTarget && s.versionBits !== undefined));
      const mined = (await Promise.all([rolled(a), rolled(b), mineUntilWorthy(c)])).flat();
      // every share met the miner's own target and was accepted at it
      expect(mined.every((s) => s.accepted && s.hashValue <= minerTarget)).toBe(true);
      const worthy = mined.filter((s) => s.hashValue <= upstreamTarget);
      expect(worthy.length).toBeGreaterThanOrEqual(3);
      expect(mined.length).toBeGreaterThan(worthy.length);
      expect(worthy.filter((s) => s.versionBits === 0x2000).length).toBeGreaterThanOrEqual(2);

      await eventually(() => upstream.shares.length >= worthy.length, 'the forwarded shares');
      expect(upstream.shares.map(shareKey).sort()).toEqual(worthy.map((s) => shareKey(expectedUpstream(s, upstreamEn1))).sort());
      for (const s of worthy) {
        expect(upstream.shares.find((r) => shareKey(r) === shareKey(expectedUpstream(s, upstreamEn1)))).toMatchObject(expectedUpstream(s, upstreamEn1));
      }
      expect(upstream.shares.every((r) => r.connection === 1)).toBe(true);
      await eventually(() => (proxy?.upstreams()[0].shares.accepted ?? 0) === worthy.length, 'the upstream verdicts');
      expect(proxy?.upstreams()[0]).toMatchObject({
        name: 'primary',
        state: 'up',
        extranonce1: 'a0000001',
        miners: 3,
        shares: { forwarded: worthy.length, accepted: worthy.length, rejected: 0, failed: 0 },
      });
      const stats = proxy?.miners() ?? [];
      expect(stats.map((m) => m.extranonce1).sort()).toEqual([...en1s].sort());
      expect(stats.map((m) => m.accepted).reduce((x, y) => x + y, 0)).toBe(mined.length);
      expect(logger.messages()).toEqual(expect.arrayContaining(['upstream connected', 'proxy listening', 'miner subscribed', 'share accepted']));
    });

    it('refuses a share under the miner\'s own target and forwards nothing for it', async () => {
      const upstream = await pool(8);
      const url = await start([upstream]);
      const a = await miner(url, 'farm.a');
      // nonces whose header hash is above the miner's target: the proxy answers 23
      const found = await a.mine(1);
      await expect(
        a.client.submit({ workerName: 'farm.a', jobId: found[0].jobId, extranonce2: Buffer.from(found[0].extranonce2, 'hex'), ntime: found[0].ntime, nonce: (found[0].nonce + 1) >>> 0 }),
      ).rejects.toMatchObject({ kind: 'share', code: 23 });
      await eventually(() => (proxy?.miners()[0]?.rejected ?? 0) === 1, 'the rejection in the stats');
      const forwarded = found[0].hashValue <= upstreamTarget ? 1 : 0;
      await eventually(() => upstream.shares.length === forwarded, 'the forwards');
    });
  });

  describe('when credentials pass through', () => {
    it('authorizes each worker upstream and forwards its shares under its own name', async () => {
      const upstream = await pool(8);
      const url = await start([upstream], { credentials: 'passthrough' });
      const a = await miner(url, 'alice.rig1');
      expect(upstream.live[0].workers).toEqual(['proxy.main', 'alice.rig1']);
      const worthy = (await mineUntilWorthy(a)).filter((s) => s.hashValue <= upstreamTarget);
      await eventually(() => upstream.shares.length >= worthy.length, 'the forwarded shares');
      expect(upstream.shares.map((r) => [r.worker, r.accepted])).toEqual(worthy.map(() => ['alice.rig1', true]));
    });
  });

  describe('when the upstream changes its version mask or extranonce', () => {
    it('passes set_version_mask down and moves the miners onto the new extranonce1', async () => {
      const upstream = await pool(8);
      const url = await start([upstream]);
      const a = await miner(url, 'farm.a', { versionRolling: true, extranonceSubscribe: true });
      const b = await miner(url, 'farm.b');
      const link = upstream.live[0];

      upstream.setVersionMask(link, 0x00ffe000);
      // ffffffff (the proxy's ask) & 00ffe000 upstream; ffffffff (the miner's ask) & 00ffe000 downstream
      await eventually(() => a.client.versionMask === 0x00ffe000, 'set_version_mask downstream');
      expect(a.versionMasks).toEqual([0x1fffe000, 0x00ffe000]);

      expect(upstream.setExtranonce(link, Buffer.from('c0ffee01', 'hex'), 8)).toBe(true);
      await a.until(() => a.extranonceUpdates.length === 1, 'set_extranonce downstream');
      expect(a.extranonce1.startsWith('c0ffee01')).toBe(true);
      expect(a.extranonce2Size).toBe(4);
      await b.until(() => b.reconnects.length === 1, 'client.reconnect');
      expect(upstream.live).toHaveLength(1);

      const worthy = (await mineUntilWorthy(a)).filter((s) => s.hashValue <= upstreamTarget);
      await eventually(() => upstream.shares.length >= worthy.length, 'the forwarded shares');
      expect(upstream.shares.map(shareKey).sort()).toEqual(worthy.map((s) => shareKey(expectedUpstream(s, 'c0ffee01'))).sort());
      expect(upstream.shares.every((r) => r.accepted && r.extranonce1 === 'c0ffee01')).toBe(true);
    });
  });

  describe('when a subscription is full', () => {
    it('opens a second upstream connection for the next miner', async () => {
      // upstream extranonce2 of 4 bytes: no suffix, one miner per subscription
      const upstream = await pool(4);
      const url = await start([upstream]);
      const a = await miner(url, 'farm.a');
      expect(upstream.live).toHaveLength(1);
      const b = await miner(url, 'farm.b');
      expect(upstream.live).toHaveLength(2);
      expect([a.extranonce1, b.extranonce1]).toEqual(['a0000001', 'a0000002']);
      expect([a.extranonce2Size, b.extranonce2Size]).toEqual([4, 4]);

      const mined = [...(await mineUntilWorthy(a)), ...(await mineUntilWorthy(b))];
      const worthy = mined.filter((s) => s.hashValue <= upstreamTarget);
      await eventually(() => upstream.shares.length >= worthy.length, 'the forwarded shares');
      for (const s of worthy) {
        const connection = s.extranonce1 === 'a0000001' ? 1 : 2;
        expect(upstream.shares.find((r) => shareKey(r) === shareKey(expectedUpstream(s, s.extranonce1)))).toMatchObject({
          ...expectedUpstream(s, s.extranonce1),
          connection,
        });
      }
      expect(proxy?.upstreams()[0].subscriptions.map((s) => [s.id, s.suffixBytes, s.capacity, s.miners])).toEqual([
        ['primary#1', 0, 1, 1],
        ['primary#2', 0, 1, 1],
      ]);
    });
  });

  describe('when the primary pool stops and comes back', () => {
    it('moves miners to the backup (set_extranonce or reconnect) and back to the primary', async () => {
      const primary = await pool(8, 0xa0);
      const backup = await pool(8, 0xb0);
      const url = await start([primary, backup]);
      const a = await miner(url, 'farm.a', { extranonceSubscribe: true });
      let b = await miner(url, 'farm.b');
      expect(a.extranonce1.startsWith('a0000001')).toBe(true);
      expect(b.extranonce1.startsWith('a0000001')).toBe(true);
      expect(backup.live).toHaveLength(1);

      await primary.stop();
      // a subscribed to extranonce changes: set_extranonce onto the backup, then a clean job
      await a.until(() => a.extranonceUpdates.length === 1 && a.jobs.at(-1)?.params.cleanJobs === true, 'set_extranonce and a clean job');
      expect(a.extranonce1.startsWith('b0000001')).toBe(true);
      expect(a.extranonce2Size).toBe(4);
      // b did not: client.reconnect, and it comes back to the proxy
      await b.until(() => b.reconnects.length === 1 && b.closed !== undefined, 'client.reconnect');
      b = await miner(url, 'farm.b');
      expect(b.extranonce1.startsWith('b0000001')).toBe(true);
      expect(logger.messages()).toEqual(expect.arrayContaining(['upstream lost', 'failover to backup']));

      let mined = [...(await mineUntilWorthy(a)), ...(await mineUntilWorthy(b))];
      let worthy = mined.filter((s) => s.hashValue <= upstreamTarget);
      await eventually(() => backup.shares.length >= worthy.length, 'shares forwarded to the backup');
      expect(backup.shares.map(shareKey).sort()).toEqual(worthy.map((s) => shareKey(expectedUpstream(s, 'b0000001'))).sort());
      expect(backup.shares.every((r) => r.accepted)).toBe(true);

      await primary.restart();
      await a.until(() => a.extranonceUpdates.length === 2, 'set_extranonce back onto the primary');
      await a.until(() => a.jobs.at(-1)?.params.jobId === primary.currentJobId, 'the primary job');
      expect(a.extranonce1.startsWith('a0000002')).toBe(true);
      await b.until(() => b.reconnects.length === 1 && b.closed !== undefined, 'client.reconnect for the fail-back');
      b = await miner(url, 'farm.b');
      expect(b.extranonce1.startsWith('a0000002')).toBe(true);
      expect(logger.messages()).toContain('fail-back to primary');

      const before = primary.shares.length;
      mined = [...(await mineUntilWorthy(a)), ...(await mineUntilWorthy(b))];
      worthy = mined.filter((s) => s.hashValue <= upstreamTarget);
      await eventually(() => primary.shares.length >= before + worthy.length, 'shares forwarded to the primary again');
      expect(primary.shares.slice(before).map(shareKey).sort()).toEqual(worthy.map((s) => shareKey(expectedUpstream(s, 'a0000002'))).sort());
    });
  });
});
