import { resolve } from 'node:path';
import { WarthogClientSession, type WarthogClientJob, type WarthogNotifyParams } from '@lode/dialect-warthog';
import { discoverPlugins, loadPlugins, selectCoin, type CoinJob, type CoinPlugin } from '@lode/plugin-api';
import { classicCodec, connectStratum, RpcPeer, silentLogger } from '@lode/stratum-core';
import { Container } from 'inversify';
import { firstValueFrom } from 'rxjs';
import type { ProxyPortConfig } from '../config/proxy-config';
import type { ProxyPort } from '../core/proxy-port';
import { Router } from '../core/router';
import { UpstreamGroup } from '../core/upstream-group';
import { warthogDialect } from './index';
import { FakeWarthogPool } from './testing/fake-warthog-pool';

/** facts/warthog.md §6-H: the job of the synthetic session (block 1949766's fields, §6-C case-1 merkle prefix) */
const H6_JOB: WarthogNotifyParams = {
  jobId: '195376b1b447d59c316400e809d29a67eaeec334c6c2b58baae2b91e203e1895',
  prevHash: '05b42d206f8a4b2b8094199fd28423151af8aa54a5073ac6e6805f42096dc3a2',
  merklePrefix: '33fdd49cb7a62536f3c56e5c62d809518871632bba3f9a399bf4c13aeeb464dc',
  version: 0x00000003,
  nbits: 0x0ae7cde7,
  ntime: 0x66f2fefb,
  clean: true,
};
/** facts/warthog.md §6-H: the subscribe reply's extranonce1 (and extranonce2 size 6) */
const UPSTREAM_EN1 = Buffer.from('00000001', 'hex');
const USER = '3661579d61abde5837a8686dc4d65348a2fc61b1fe5f4093.proxy';
const TWO_256 = 1n << 256n;
/** the upstream share difficulty, and the miners' (lower: the proxy forwards only what meets the upstream's) */
const UPSTREAM_DIFFICULTY = 8;
const MINER_DIFFICULTY = 2;

/** The Janushash comparison value of one share, computed by the coin plugin (the proxy's dependency, not the code under test). */
async function shareValue(plugin: CoinPlugin, job: CoinJob, extranonce1: Buffer, extranonce2: Buffer, nonce: number): Promise<bigint> {
  const share = { jobId: job.id, extranonce1, extranonce2, ntime: H6_JOB.ntime, nonce };
  const pow = await (plugin.hashShare as NonNullable<CoinPlugin['hashShare']>).call(plugin, job, plugin.buildHeader(job, share));
  return (plugin.hashValue as NonNullable<CoinPlugin['hashValue']>).call(plugin, pow.hash);
}

/** A job as a miner builds it from a notify (apps/miner's WarthogMiner does the same). */
function coinJobOf(plugin: CoinPlugin, job: WarthogClientJob): CoinJob {
  const p = job.params;
  return {
    id: p.jobId,
    coin: plugin.id,
    height: 0,
    prevHash: p.prevHash,
    networkTarget: 0n,
    ntimeMin: p.ntime,
    ntimeMax: p.ntime,
    createdAt: 0,
    work: { dialect: 'warthog', prevHash: p.prevHash, merklePrefix: p.merklePrefix, version: p.version, nbits: p.nbits, ntime: p.ntime },
  };
}

interface Miner {
  session: WarthogClientSession;
  extranonce1: Buffer;
  extranonce2Size: number;
  job: WarthogClientJob;
}

describe('WarthogProxyPort with two miners on one upstream connection', () => {
  let plugin: CoinPlugin;
  let pool: FakeWarthogPool;
  let router: Router;
  let port: ProxyPort;
  let url: string;
  const miners: Miner[] = [];

  beforeAll(async () => {
    // The plugin is discovered at run time, as the proxy does (apps never import plugins).
    const found = discoverPlugins({ from: resolve(__dirname, '../..'), plugins: ['@lode/coin-warthog'] });
    plugin = selectCoin(loadPlugins(new Container(), found), 'wart');
    pool = await FakeWarthogPool.start({ extranonce1: UPSTREAM_EN1, extranonce2Size: 6, difficulty: UPSTREAM_DIFFICULTY, firstJob: H6_JOB });
    const group = new UpstreamGroup({
      upstream: { name: 'wart-a', url: pool.url, user: USER, password: 'x', priority: 0, weight: 1, dialect: 'warthog' },
      connector: warthogDialect.connect,
      plugin,
      credentials: 'proxy',
      userAgent: 'lode-proxy/test',
      connectTimeoutMs: 5000,
      emptyGraceMs: 60000,
      logger: silentLogger,
    });
    router = new Router([group], { failbackSeconds: 60, healthCheckSeconds: 0, logger: silentLogger });
    const config: ProxyPortConfig = {
      name: 'wart',
      host: '127.0.0.1',
      port: 0,
      coin: 'wart',
      dialect: 'warthog',
      difficulty: { initial: MINER_DIFFICULTY },
      versionRolling: { allowWithoutConfigure: false },
      maxLineBytes: 16384,
      idleTimeoutSeconds: 0,
    };
    port = warthogDialect.createPort({ config, router, plugin, logger: silentLogger, logShares: false, credentials: 'proxy' });
    router.start();
    expect(await router.whenHealthy(5000)).toBe(true);
    url = `stratum+tcp://127.0.0.1:${(await port.listen()).port}`;
  });

  afterAll(async () => {
    for (const m of miners) m.session.close('test over');
    port.closeAll('test over');
    await port.stopAccepting();
    await router.stop('test over');
    await pool.stop();
  });

  async function connectMiner(worker: string): Promise<Miner> {
    const session = new WarthogClientSession(new RpcPeer(await connectStratum(url), classicCodec));
    const firstJob = firstValueFrom(session.jobs$);
    const sub = await session.subscribe('janusminer/0.0.1');
    expect(await session.authorize(worker, 'x')).toBe(true);
    const miner = { session, extranonce1: sub.extranonce1, extranonce2Size: sub.extranonce2Size, job: await firstJob };
    miners.push(miner);
    return miner;
  }

  it('the coin plugin used as the oracle reproduces facts/warthog.md §6-E: nonce 00002df1 is a share at 640000 and not at 700000', async () => {
    const job = coinJobOf(plugin, { params: H6_JOB, difficulty: 1, receivedAt: 0 });
    const value = await shareValue(plugin, job, UPSTREAM_EN1, Buffer.from('000000000002', 'hex'), 0x00002df1);
    expect(value <= TWO_256 / 640000n).toBe(true);
    expect(value <= TWO_256 / 700000n).toBe(false);
  });

  it('gives both miners the upstream extranonce1 with distinct suffixes, on one upstream connection', async () => {
    const a = await connectMiner(`${USER.split('.')[0]}.rigA`);
    const b = await connectMiner(`${USER.split('.')[0]}.rigB`);
    expect(pool.connections).toBe(1);
    for (const m of [a, b]) {
      expect(m.extranonce1.length).toBe(6);
      expect(m.extranonce1.subarray(0, 4)).toEqual(UPSTREAM_EN1);
      expect(m.extranonce2Size).toBe(4);
      // the upstream's job, at the miner's own difficulty
      expect(m.job.params).toEqual(H6_JOB);
      expect(m.job.difficulty).toBe(MINER_DIFFICULTY);
    }
    expect(a.extranonce1.equals(b.extranonce1)).toBe(false);
  });

  it('answers every share at the miner difficulty and forwards exactly the upstream-worthy ones, mapped into the upstream extranonce2', async () => {
    const minerTarget = TWO_256 / BigInt(MINER_DIFFICULTY);
    const upstreamTarget = TWO_256 / BigInt(UPSTREAM_DIFFICULTY);
    const expectedForwards: { extranonce2: string; nonce: number }[] = [];
    for (const m of miners) {
      const job = coinJobOf(plugin, m.job);
      const extranonce2 = Buffer.from('0000002a', 'hex');
      // One share of each kind: below the miner's difficulty, the miner's but not the upstream's, the upstream's.
      const picked = new Map<'low' | 'miner' | 'upstream', { nonce: number; value: bigint }>();
      for (let nonce = 0; picked.size < 3 && nonce < 4096; nonce++) {
        const value = await shareValue(plugin, job, m.extranonce1, extranonce2, nonce);
        const kind = value > minerTarget ? 'low' : value > upstreamTarget ? 'miner' : 'upstream';
        if (!picked.has(kind)) picked.set(kind, { nonce, value });
      }
      expect([...picked.keys()].sort()).toEqual(['low', 'miner', 'upstream']);
      const share = { jobId: H6_JOB.jobId, extranonce2, ntime: H6_JOB.ntime };
      await expect(m.session.submit({ ...share, nonce: picked.get('low')?.nonce as number })).resolves.toMatchObject({ accepted: false, code: 23 });
      await expect(m.session.submit({ ...share, nonce: picked.get('miner')?.nonce as number })).resolves.toEqual({ accepted: true });
      await expect(m.session.submit({ ...share, nonce: picked.get('upstream')?.nonce as number })).resolves.toEqual({ accepted: true });
      expectedForwards.push({ extranonce2: Buffer.concat([m.extranonce1.subarray(4), extranonce2]).toString('hex'), nonce: picked.get('upstream')?.nonce as number });
    }
    // The last share sent was upstream-worthy, and forwards go out in order: once it arrived, every forward did.
    while (pool.submits.length < expectedForwards.length) await new Promise((r) => setImmediate(r));
    expect(pool.connections).toBe(1);
    expect(pool.submits.map((s) => ({ workerName: s.workerName, jobId: s.jobId, extranonce2: s.extranonce2.toString('hex'), ntime: s.ntime, nonce: s.nonce }))).toEqual(
      expectedForwards.map((f) => ({ workerName: USER, jobId: H6_JOB.jobId, ntime: H6_JOB.ntime, ...f })),
    );
    expect(port.counters).toMatchObject({ sharesAccepted: 4, sharesRejected: 2 });
    expect(port.miners().map((m) => m.extranonce1).sort()).toEqual(miners.map((m) => m.extranonce1.toString('hex')).sort());
  });
});

describe('WarthogProxyPort when the upstream fails over', () => {
  let plugin: CoinPlugin;
  let primary: FakeWarthogPool;
  let backup: FakeWarthogPool;
  let groups: UpstreamGroup[];
  let router: Router;
  let port: ProxyPort;
  let url: string;

  beforeAll(async () => {
    const found = discoverPlugins({ from: resolve(__dirname, '../..'), plugins: ['@lode/coin-warthog'] });
    plugin = selectCoin(loadPlugins(new Container(), found), 'wart');
    primary = await FakeWarthogPool.start({ extranonce1: UPSTREAM_EN1, extranonce2Size: 6, difficulty: UPSTREAM_DIFFICULTY, firstJob: H6_JOB });
    backup = await FakeWarthogPool.start({ extranonce1: Buffer.from('00000002', 'hex'), extranonce2Size: 6, difficulty: UPSTREAM_DIFFICULTY, firstJob: H6_JOB });
    groups = [
      { name: 'primary', url: primary.url, priority: 0 },
      { name: 'backup', url: backup.url, priority: 1 },
    ].map(
      (u) =>
        new UpstreamGroup({
          upstream: { ...u, user: USER, password: 'x', weight: 1, dialect: 'warthog' },
          connector: warthogDialect.connect,
          plugin,
          credentials: 'proxy',
          userAgent: 'lode-proxy/test',
          connectTimeoutMs: 5000,
          emptyGraceMs: 60000,
          logger: silentLogger,
        }),
    );
    router = new Router(groups, { failbackSeconds: 3600, healthCheckSeconds: 0, logger: silentLogger });
    const config: ProxyPortConfig = {
      name: 'wart',
      host: '127.0.0.1',
      port: 0,
      coin: 'wart',
      dialect: 'warthog',
      difficulty: { initial: MINER_DIFFICULTY },
      versionRolling: { allowWithoutConfigure: false },
      maxLineBytes: 16384,
      idleTimeoutSeconds: 0,
    };
    port = warthogDialect.createPort({ config, router, plugin, logger: silentLogger, logShares: false, credentials: 'proxy' });
    router.start();
    while (!groups.every((g) => g.healthy)) await new Promise((r) => setImmediate(r));
    url = `stratum+tcp://127.0.0.1:${(await port.listen()).port}`;
  });

  afterAll(async () => {
    port.closeAll('test over');
    await port.stopAccepting();
    await router.stop('test over');
    await primary.stop();
    await backup.stop();
  });

  it('asks the miner to reconnect (client.reconnect, then close), and the miner lands on the backup', async () => {
    const first = new WarthogClientSession(new RpcPeer(await connectStratum(url), classicCodec));
    const sub = await first.subscribe('janusminer/0.0.1');
    expect(await first.authorize(`${USER.split('.')[0]}.rigA`, 'x')).toBe(true);
    expect(sub.extranonce1.subarray(0, 4)).toEqual(UPSTREAM_EN1);
    const reconnect = firstValueFrom(first.reconnect$);
    const closed = firstValueFrom(first.closed$);

    await primary.stop();
    await expect(reconnect).resolves.toEqual({ waitSeconds: 0 });
    await expect(closed).resolves.toMatchObject({ byPeer: true });

    const again = new WarthogClientSession(new RpcPeer(await connectStratum(url), classicCodec));
    const resub = await again.subscribe('janusminer/0.0.1');
    again.close('test over');
    expect(resub.extranonce1.subarray(0, 4)).toEqual(Buffer.from('00000002', 'hex'));
    expect(resub.extranonce2Size).toBe(4);
  });
});
