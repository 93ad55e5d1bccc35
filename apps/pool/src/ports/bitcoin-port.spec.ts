import { connect, type Socket } from 'node:net';
import { BehaviorSubject } from 'rxjs';
import { BITCOIN_DIFF1_TARGET } from '@lode/mining';
import type { CoinJob, CoinNode, CoinPlugin, CoinTemplate } from '@lode/plugin-api';
import { MemorySessionStore, MemoryShareStore, PoolEngine } from '@lode/pool-engine';
import { silentLogger } from '@lode/stratum-core';
import type { PortConfig } from '../config/pool-config';
import { BitcoinPort } from './bitcoin-port';

/** A coin whose jobs carry Stratum v1 work with a chosen version; hashing is never reached here. */
function fakeCoin(jobVersion: number): { plugin: CoinPlugin; node: CoinNode } {
  const template: CoinTemplate = { height: 1, prevHash: '00'.repeat(32), networkTarget: 1n, raw: {} };
  const node: CoinNode = {
    templates$: new BehaviorSubject(template),
    start: async () => undefined,
    stop: async () => undefined,
    submitBlock: async () => ({ accepted: false, hash: '', reason: 'fake' }),
  };
  const plugin = {
    id: 'fake',
    name: 'Fake',
    algorithm: 'none',
    dialects: ['bitcoin'],
    diff1Target: BITCOIN_DIFF1_TARGET,
    configSchema: {},
    hasher: { implementation: 'none', hash: () => Buffer.alloc(32, 0xff), scan: async () => ({ hits: [], hashes: 0 }) },
    createNode: () => node,
    createJob: (t: CoinTemplate, ctx: { jobId: string }): CoinJob => ({
      id: ctx.jobId,
      coin: 'fake',
      height: t.height,
      prevHash: t.prevHash,
      networkTarget: t.networkTarget,
      ntimeMin: 0,
      ntimeMax: 0xffffffff,
      createdAt: Date.now(),
      work: { dialect: 'bitcoin', prevhash: '00'.repeat(32), coinb1: '01', coinb2: '02', merkleBranches: [], version: jobVersion, nbits: 0x1d00ffff, ntime: 0x5f5e1000 },
    }),
    checkShare: () => undefined,
    buildHeader: () => Buffer.alloc(80),
    buildBlock: () => '',
    displayHash: (h: Buffer) => Buffer.from(h).reverse().toString('hex'),
  } as CoinPlugin;
  return { plugin, node };
}

const portConfig: PortConfig = {
  name: 'test',
  host: '127.0.0.1',
  port: 0,
  coin: 'fake',
  dialect: 'bitcoin',
  difficulty: { initial: 1 },
  versionRolling: { allowWithoutConfigure: false },
  maxLineBytes: 16384,
  idleTimeoutSeconds: 0,
};

/** A raw JSON-lines miner. */
class RawMiner {
  private buffer = '';
  readonly lines: Record<string, unknown>[] = [];
  /** the same lines as received, without the newline */
  readonly raw: string[] = [];
  private wake?: () => void;
  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      let i: number;
      while ((i = this.buffer.indexOf('\n')) >= 0) {
        this.raw.push(this.buffer.slice(0, i));
        this.lines.push(JSON.parse(this.buffer.slice(0, i)) as Record<string, unknown>);
        this.buffer = this.buffer.slice(i + 1);
        this.wake?.();
      }
    });
  }
  static open(port: number): Promise<RawMiner> {
    return new Promise((resolve) => {
      const socket = connect({ host: '127.0.0.1', port }, () => resolve(new RawMiner(socket)));
    });
  }
  send(msg: unknown): void {
    this.socket.write(`${JSON.stringify(msg)}\n`);
  }
  /** waits for the first line (from `from` on) matching `pick` */
  async until(pick: (m: Record<string, unknown>) => boolean, from = 0): Promise<Record<string, unknown>> {
    for (;;) {
      const found = this.lines.slice(from).find(pick);
      if (found) return found;
      await new Promise<void>((r) => (this.wake = r));
    }
  }
  close(): void {
    this.socket.destroy();
  }
}

describe('BitcoinPort', () => {
  let engine: PoolEngine;
  let port: BitcoinPort;
  let address: { port: number };
  const miners: RawMiner[] = [];

  async function start(jobVersion: number, serverMask = 0x1fffe000): Promise<void> {
    const { plugin, node } = fakeCoin(jobVersion);
    engine = new PoolEngine({ plugin, node, coinConfig: {}, shareStore: new MemoryShareStore(), sessionStore: new MemorySessionStore() });
    await engine.start();
    port = new BitcoinPort(portConfig, engine, silentLogger, false, serverMask);
    address = await port.listen();
  }

  async function miner(): Promise<RawMiner> {
    const m = await RawMiner.open(address.port);
    miners.push(m);
    return m;
  }

  afterEach(async () => {
    for (const m of miners.splice(0)) m.close();
    port.closeAll('test over');
    await port.stopAccepting();
    await engine.stop();
  });

  describe('when a job is fanned out to several sessions', () => {
    it('writes every session the same mining.notify line, byte for byte the wire form', async () => {
      await start(0x20000000);
      const [a, b] = [await miner(), await miner()];
      for (const m of [a, b]) {
        m.send({ id: 1, method: 'mining.subscribe', params: ['cpuminer/2.5.1'] });
        m.send({ id: 2, method: 'mining.authorize', params: ['worker', 'x'] });
      }
      const lines: string[] = [];
      for (const m of [a, b]) {
        const notify = await m.until((l) => l['method'] === 'mining.notify');
        lines.push(m.raw[m.lines.indexOf(notify)] as string);
      }
      // facts/bitcoin-stratum.md rule 2: [job_id, prevhash, coinb1, coinb2, branches, version, nbits, ntime, clean]
      const jobId = JSON.stringify((JSON.parse(lines[0] as string) as { params: unknown[] }).params[0]);
      const expected = `{"id":null,"method":"mining.notify","params":[${jobId},"${'00'.repeat(32)}","01","02",[],"20000000","1d00ffff","5f5e1000",true]}`;
      expect(lines).toEqual([expected, expected]);
    });
  });

  describe('when a Bitaxe-style miner configures version rolling', () => {
    it('answers exactly the requested extension with the coin mask, then notifies with that mask in force', async () => {
      await start(0x20000000);
      const m = await miner();
      m.send({ id: 1, method: 'mining.configure', params: [['version-rolling'], { 'version-rolling.mask': 'ffffffff' }] });
      expect(await m.until((l) => l['id'] === 1)).toEqual({ id: 1, result: { 'version-rolling': true, 'version-rolling.mask': '1fffe000' }, error: null });
    });

    it('takes job version bits out of the mask and says so with set_version_mask before the job', async () => {
      await start(0x20800000);
      const m = await miner();
      m.send({ id: 1, method: 'mining.configure', params: [['version-rolling'], {}] });
      m.send({ id: 2, method: 'mining.subscribe', params: ['test/1'] });
      m.send({ id: 3, method: 'mining.authorize', params: ['w', 'x'] });
      const notify = await m.until((l) => l['method'] === 'mining.notify');
      const notifyAt = m.lines.indexOf(notify);
      const setMask = m.lines.findIndex((l) => l['method'] === 'mining.set_version_mask');
      expect(setMask).toBeGreaterThanOrEqual(0);
      expect(setMask).toBeLessThan(notifyAt);
      expect(m.lines[setMask]?.['params']).toEqual(['1f7fe000']);
    });
  });

  describe('when the pool moves sessions to new extranonce1 values', () => {
    it('sends set_extranonce to a miner that subscribed to it and client.reconnect to one that did not', async () => {
      await start(0x20000000);
      const subscribed = await miner();
      subscribed.send({ id: 1, method: 'mining.configure', params: [['subscribe-extranonce'], {}] });
      subscribed.send({ id: 2, method: 'mining.subscribe', params: ['test/1'] });
      subscribed.send({ id: 3, method: 'mining.authorize', params: ['a', 'x'] });
      const plain = await miner();
      plain.send({ id: 1, method: 'mining.subscribe', params: ['test/1'] });
      plain.send({ id: 2, method: 'mining.authorize', params: ['b', 'x'] });
      const sub = await subscribed.until((l) => l['id'] === 2);
      await subscribed.until((l) => l['method'] === 'mining.notify');
      await plain.until((l) => l['method'] === 'mining.notify');
      const before = subscribed.lines.length;

      expect(port.moveExtranonces()).toEqual({ moved: 1, reconnected: 1 });

      const setExtranonce = await subscribed.until((l) => l['method'] === 'mining.set_extranonce', before);
      const [extranonce1, extranonce2Size] = setExtranonce['params'] as [string, number];
      expect(extranonce1).not.toBe((sub['result'] as unknown[])[1]);
      expect(extranonce2Size).toBe((sub['result'] as unknown[])[2]);
      // the clean job that carries the new extranonce1 comes after set_extranonce
      const cleanJob = await subscribed.until((l) => l['method'] === 'mining.notify', subscribed.lines.indexOf(setExtranonce));
      expect((cleanJob['params'] as unknown[])[8]).toBe(true);
      expect(await plain.until((l) => l['method'] === 'client.reconnect')).toMatchObject({ method: 'client.reconnect' });
    });
  });
});
