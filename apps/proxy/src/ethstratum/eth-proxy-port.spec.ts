import { resolve } from 'node:path';
import { EthStratumClientSession, type EthClientJob } from '@lode/dialect-ethstratum';
import { discoverPlugins, loadPlugins, selectCoin, type CoinJob, type CoinPlugin } from '@lode/plugin-api';
import { connectStratum, eip1571Codec, RpcPeer, silentLogger, type Eip1571Params } from '@lode/stratum-core';
import { Container } from 'inversify';
import { firstValueFrom } from 'rxjs';
import type { ProxyPortConfig } from '../config/proxy-config';
import type { ProxyPort } from '../core/proxy-port';
import { Router } from '../core/router';
import { UpstreamGroup } from '../core/upstream-group';
import { ethstratumDialect } from './index';
import { FakeEthPool, type FakeEthJob } from './testing/fake-eth-pool';

/** facts/ethash.md §4.1, chfast test_cases row "0 | 0": block 0, epoch 0, its header, nonce and final hash */
const HEADER_0 = '2a8de2adf89af77358250bf908bf04ba94a6e8c3ba87775564a41d269a05e4ce';
const NONCE_0 = '4242424242424242';
const FINAL_0 = 'dd47fd2d98db51078356852d7c4014e6a5d6c387c35f40e2875b74a256ed7906';
const TWO_256 = 1n << 256n;
/** the upstream share target (mining.set sends a boundary), and the miners' difficulty (lower) */
const UPSTREAM_TARGET = TWO_256 / 8n;
const MINER_DIFFICULTY = 2;
/** the upstream's mining.set extranonce: 1 byte, leaving 7 nonce bytes, of which the proxy lends 2 to each miner */
const UPSTREAM_EXTRANONCE = Buffer.from('a1', 'hex');
const FIRST_JOB: FakeEthJob = { jobId: 'bf0488aa', height: 0, headerHash: HEADER_0, clean: true, epoch: 0, algo: 'ethash', target: UPSTREAM_TARGET };
const USER = '0x8c5eaec0.proxy';

/** A job as a miner works it (EthashWork from the notify and the mining.set before it). */
function coinJobOf(plugin: CoinPlugin, job: Pick<EthClientJob, 'jobId' | 'headerHash' | 'epoch' | 'height'>): CoinJob {
  return {
    id: job.jobId,
    coin: plugin.id,
    height: job.height,
    prevHash: '',
    networkTarget: 0n,
    ntimeMin: 0,
    ntimeMax: 0,
    createdAt: 0,
    work: { dialect: 'ethstratum', headerHash: job.headerHash, seedHash: '', epoch: job.epoch, seedEpoch: job.epoch, algo: 'ethash' },
  };
}

/** The final hash of one share read big-endian, computed by the coin plugin (the proxy's dependency, not the code under test). */
async function finalOf(plugin: CoinPlugin, job: CoinJob, extranonce: Buffer, minerNonce: Buffer): Promise<bigint> {
  const share = { jobId: job.id, extranonce1: extranonce, extranonce2: minerNonce, ntime: 0, nonce: 0 };
  const pow = await (plugin.hashShare as NonNullable<CoinPlugin['hashShare']>).call(plugin, job, plugin.buildHeader(job, share));
  return (plugin.hashValue as NonNullable<CoinPlugin['hashValue']>).call(plugin, pow.hash);
}

interface Miner {
  session: EthStratumClientSession;
  token: string;
  job: EthClientJob;
}

describe('EthProxyPort with two miners on one upstream connection', () => {
  let plugin: CoinPlugin;
  let pool: FakeEthPool;
  let router: Router;
  let port: ProxyPort;
  let proxyPort: number;
  const miners: Miner[] = [];

  beforeAll(async () => {
    // The plugin is discovered at run time, as the proxy does (apps never import plugins).
    const found = discoverPlugins({ from: resolve(__dirname, '../..'), plugins: ['@lode/coin-ethereum'] });
    plugin = selectCoin(loadPlugins(new Container(), found), 'eth');
    pool = await FakeEthPool.start({ extranonce: UPSTREAM_EXTRANONCE, firstJob: FIRST_JOB });
    const group = new UpstreamGroup({
      upstream: { name: 'eth-a', url: pool.url, user: USER, password: 'x', priority: 0, weight: 1, dialect: 'ethstratum' },
      connector: ethstratumDialect.connect,
      plugin,
      credentials: 'proxy',
      userAgent: 'lode-proxy/test',
      connectTimeoutMs: 5000,
      emptyGraceMs: 60000,
      logger: silentLogger,
    });
    router = new Router([group], { failbackSeconds: 60, healthCheckSeconds: 0, logger: silentLogger });
    const config: ProxyPortConfig = {
      name: 'eth',
      host: '127.0.0.1',
      port: 0,
      coin: 'eth',
      dialect: 'ethstratum',
      difficulty: { initial: MINER_DIFFICULTY },
      versionRolling: { allowWithoutConfigure: false },
      maxLineBytes: 16384,
      idleTimeoutSeconds: 0,
    };
    port = ethstratumDialect.createPort({ config, router, plugin, logger: silentLogger, logShares: false, credentials: 'proxy' });
    router.start();
    expect(await router.whenHealthy(5000)).toBe(true);
    proxyPort = (await port.listen()).port;
  });

  afterAll(async () => {
    for (const m of miners) m.session.close('test over');
    port.closeAll('test over');
    await port.stopAccepting();
    await router.stop('test over');
    await pool.stop();
  });

  async function connectMiner(worker: string): Promise<Miner> {
    const conn = await connectStratum(`stratum3+tcp://127.0.0.1:${proxyPort}`);
    const session = new EthStratumClientSession(new RpcPeer<Eip1571Params>(conn, eip1571Codec, { firstRequestId: 0, maxRequestId: 65535 }));
    const firstJob = firstValueFrom(session.jobs$);
    const hello = await session.hello({ agent: 'ethminer-0.19.0', host: '127.0.0.1', port: proxyPort });
    expect(hello).toMatchObject({ proto: 'EthereumStratum/2.0.0', encoding: 'plain', resume: false });
    await session.subscribe();
    const token = await session.authorize(worker, 'x');
    const miner = { session, token, job: await firstJob };
    miners.push(miner);
    return miner;
  }

  it('the coin plugin used as the oracle reproduces facts/ethash.md §4.1 (block 0, nonce 4242424242424242)', async () => {
    const job = coinJobOf(plugin, { jobId: 'j', headerHash: HEADER_0, epoch: 0, height: 0 });
    const nonce = Buffer.from(NONCE_0, 'hex');
    await expect(finalOf(plugin, job, nonce.subarray(0, 3), nonce.subarray(3))).resolves.toBe(BigInt(`0x${FINAL_0}`));
  }, 60000);

  it('gives both miners the upstream extranonce with distinct suffixes in mining.set, on one upstream connection', async () => {
    const a = await connectMiner('0x8c5eaec0.rigA');
    const b = await connectMiner('0x8c5eaec0.rigB');
    expect(pool.connections).toBe(1);
    for (const m of [a, b]) {
      expect(m.job.extranonce.length).toBe(3);
      expect(m.job.extranonce.subarray(0, 1)).toEqual(UPSTREAM_EXTRANONCE);
      // the upstream's job, at the miner's own target
      expect(m.job).toMatchObject({ jobId: 'bf0488aa', height: 0, headerHash: HEADER_0, epoch: 0, algo: 'ethash', clean: true });
      expect(m.job.target).toBe(TWO_256 / BigInt(MINER_DIFFICULTY));
    }
    expect(a.job.extranonce.equals(b.job.extranonce)).toBe(false);
  });

  it('answers every share at the miner target and forwards exactly the upstream-worthy ones, with the suffix before the miner nonce', async () => {
    const minerTarget = TWO_256 / BigInt(MINER_DIFFICULTY);
    const expectedForwards: { minerNonce: string; nonce: string }[] = [];
    for (const m of miners) {
      const job = coinJobOf(plugin, m.job);
      // One share of each kind: above the miner's target, within it but not the upstream's, within the upstream's.
      const picked = new Map<'low' | 'miner' | 'upstream', Buffer>();
      for (let i = 0; picked.size < 3 && i < 512; i++) {
        const minerNonce = Buffer.alloc(5);
        minerNonce.writeUInt32BE(i, 1);
        const final = await finalOf(plugin, job, m.job.extranonce, minerNonce);
        const kind = final > minerTarget ? 'low' : final > UPSTREAM_TARGET ? 'miner' : 'upstream';
        if (!picked.has(kind)) picked.set(kind, minerNonce);
      }
      expect([...picked.keys()].sort()).toEqual(['low', 'miner', 'upstream']);
      const submit = (n: Buffer | undefined) => m.session.submit('bf0488aa', n as Buffer, m.token);
      await expect(submit(picked.get('low'))).resolves.toMatchObject({ accepted: false, code: 406 });
      await expect(submit(picked.get('miner'))).resolves.toEqual({ accepted: true, stale: false });
      await expect(submit(picked.get('upstream'))).resolves.toEqual({ accepted: true, stale: false });
      const worthy = picked.get('upstream') as Buffer;
      expectedForwards.push({
        minerNonce: Buffer.concat([m.job.extranonce.subarray(1), worthy]).toString('hex'),
        nonce: Buffer.concat([m.job.extranonce, worthy]).toString('hex'),
      });
    }
    // The last share sent was upstream-worthy, and forwards go out in order: once it arrived, every forward did.
    while (pool.submits.length < expectedForwards.length) await new Promise((r) => setImmediate(r));
    expect(pool.connections).toBe(1);
    expect(
      pool.submits.map((s) => ({ workerName: s.workerName, jobId: s.jobId, extranonce: s.extranonce.toString('hex'), minerNonce: s.minerNonce.toString('hex'), nonce: s.nonce.toString('hex') })),
    ).toEqual(expectedForwards.map((f) => ({ workerName: USER, jobId: 'bf0488aa', extranonce: 'a1', ...f })));
    expect(port.counters).toMatchObject({ sharesAccepted: 4, sharesRejected: 2 });
  }, 60000);

  it('follows an upstream extranonce change: each miner gets a mining.set with the new extranonce on its connection', async () => {
    const moved = miners.map(
      (m) =>
        new Promise<EthClientJob>((done) => {
          m.session.jobs$.subscribe((j) => {
            if (j.jobId === 'c-1') done(j);
          });
        }),
    );
    pool.sendJob({ ...FIRST_JOB, jobId: 'c-1', clean: false, extranonce: Buffer.from('c3', 'hex') });
    const jobs = await Promise.all(moved);
    for (const job of jobs) {
      expect(job.extranonce.length).toBe(3);
      expect(job.extranonce.subarray(0, 1)).toEqual(Buffer.from('c3', 'hex'));
      expect(job.clean).toBe(true);
    }
    expect(jobs[0].extranonce.equals(jobs[1].extranonce)).toBe(false);
    expect(miners.every((m) => !m.session.isClosed)).toBe(true);
    expect(pool.connections).toBe(1);
  });
});

describe('EthProxyPort when the upstream fails over', () => {
  let plugin: CoinPlugin;
  let primary: FakeEthPool;
  let backup: FakeEthPool;
  let groups: UpstreamGroup[];
  let router: Router;
  let port: ProxyPort;
  let session: EthStratumClientSession;

  beforeAll(async () => {
    const found = discoverPlugins({ from: resolve(__dirname, '../..'), plugins: ['@lode/coin-ethereum'] });
    plugin = selectCoin(loadPlugins(new Container(), found), 'eth');
    primary = await FakeEthPool.start({ extranonce: UPSTREAM_EXTRANONCE, firstJob: FIRST_JOB });
    backup = await FakeEthPool.start({ extranonce: Buffer.from('b2', 'hex'), firstJob: { ...FIRST_JOB, jobId: 'b-1' } });
    groups = [
      { name: 'primary', url: primary.url, priority: 0 },
      { name: 'backup', url: backup.url, priority: 1 },
    ].map(
      (u) =>
        new UpstreamGroup({
          upstream: { ...u, user: USER, password: 'x', weight: 1, dialect: 'ethstratum' },
          connector: ethstratumDialect.connect,
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
      name: 'eth',
      host: '127.0.0.1',
      port: 0,
      coin: 'eth',
      dialect: 'ethstratum',
      difficulty: { initial: MINER_DIFFICULTY },
      versionRolling: { allowWithoutConfigure: false },
      maxLineBytes: 16384,
      idleTimeoutSeconds: 0,
    };
    port = ethstratumDialect.createPort({ config, router, plugin, logger: silentLogger, logShares: false, credentials: 'proxy' });
    router.start();
    while (!groups.every((g) => g.healthy)) await new Promise((r) => setImmediate(r));
    const proxyPort = (await port.listen()).port;
    const conn = await connectStratum(`stratum3+tcp://127.0.0.1:${proxyPort}`);
    session = new EthStratumClientSession(new RpcPeer<Eip1571Params>(conn, eip1571Codec, { firstRequestId: 0, maxRequestId: 65535 }));
  });

  afterAll(async () => {
    session.close('test over');
    port.closeAll('test over');
    await port.stopAccepting();
    await router.stop('test over');
    await primary.stop();
    await backup.stop();
  });

  it('moves the miner to the backup on the same connection: a mining.set with the backup extranonce, then its job', async () => {
    const jobs: EthClientJob[] = [];
    const onBackup = new Promise<void>((done) => {
      session.jobs$.subscribe((j) => {
        jobs.push(j);
        if (j.jobId === 'b-1') done();
      });
    });
    await session.hello({ agent: 'ethminer-0.19.0', host: '127.0.0.1', port: 4444 });
    await session.subscribe();
    await session.authorize('0x8c5eaec0.rigA', 'x');
    while (jobs.length === 0) await new Promise((r) => setImmediate(r));
    expect(jobs[0].extranonce.subarray(0, 1)).toEqual(UPSTREAM_EXTRANONCE);

    await primary.stop();
    await onBackup;
    const moved = jobs[jobs.length - 1];
    expect(moved).toMatchObject({ jobId: 'b-1', clean: true, epoch: 0, target: TWO_256 / BigInt(MINER_DIFFICULTY) });
    expect(moved.extranonce.length).toBe(3);
    expect(moved.extranonce.subarray(0, 1)).toEqual(Buffer.from('b2', 'hex'));
    expect(session.isClosed).toBe(false);
    expect(backup.connections).toBe(1);
  });
});
