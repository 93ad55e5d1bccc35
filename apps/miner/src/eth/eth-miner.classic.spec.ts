import type { CoinPlugin, EpochHasher, EpochScanRequest, EpochScanResult, SeedWork } from '@lode/plugin-api';
import { StratumServer, type StratumConnection } from '@lode/stratum-core';
import { filter, firstValueFrom } from 'rxjs';
import { EthMiner, type EthMinerEvent } from './eth-miner';

// Seeds from facts/ethash.md §4.5 (epoch 50, the NiceHash ES1 example), §4.6 (epoch 1) and §4.7 (ETChash epoch 195 = ethash seed epoch 390).
const SEED_1 = '290decd9548b62a8d60345a988386fc84ba6bc95484008f6362f93160ef3e563';
const SEED_50 = 'abad8f99f3918bf903c6a909d9bbc0fdfa5a2f4b9cb1196175ec825c6610126c';
const SEED_ETCHASH_195 = 'e79f0f63030bf691445c2b9d0266b24a9619e355194067f2ad2c73a8e0a26c65';
const HEADER = 'fc12eb20c58158071c956316cdcd12a22dd8bf126ac4aee559f0ffe4df11f279';
const MIX = Buffer.alloc(32, 0x5a);

/** Every scan "finds" its first nonce with the mix MIX, so the test knows what the miner must submit. */
class FakeEpochHasher implements EpochHasher {
  readonly implementation = 'fake';
  readonly prepared: string[] = [];
  readonly scans: EpochScanRequest[] = [];

  async prepare(algo: 'ethash' | 'etchash', epoch: number): Promise<void> {
    this.prepared.push(`${algo}:${epoch}`);
  }

  async scan(request: EpochScanRequest): Promise<EpochScanResult> {
    this.scans.push(request);
    await new Promise((resolve) => setTimeout(resolve, 20));
    return { hits: [{ nonce: request.startNonce, mix: MIX, final: Buffer.alloc(32) }], hashes: request.count };
  }

  retain(): void {
    // the fake keeps no contexts
  }
}

/** Seed epochs of the seeds above (what the real plugin's native chain walk gives; tested in plugins/coin-ethereum). */
const SEED_EPOCHS = new Map([
  [SEED_1, 1],
  [SEED_50, 50],
  [SEED_ETCHASH_195, 390],
]);

/** A coin with the fake hasher; workOfSeed reads the table above by the plugin's rule (etc: even seed epochs from 390 on are ETChash). */
function fakeCoin(hasher: EpochHasher, id = 'eth', algorithm = 'ethash'): CoinPlugin {
  const workOfSeed = (seed: Buffer, algo?: 'ethash' | 'etchash'): SeedWork | undefined => {
    const seedEpoch = SEED_EPOCHS.get(seed.toString('hex'));
    if (seedEpoch === undefined) return undefined;
    const chosen = algo ?? (id === 'etc' && seedEpoch >= 390 && seedEpoch % 2 === 0 ? 'etchash' : 'ethash');
    if (chosen === 'ethash') return { algo: 'ethash', epoch: seedEpoch, seedEpoch };
    return seedEpoch % 2 === 0 ? { algo: 'etchash', epoch: seedEpoch / 2, seedEpoch } : undefined;
  };
  return { id, name: 'Fake', algorithm, dialects: ['ethstratum'], epochHasher: hasher, workOfSeed } as unknown as CoinPlugin;
}

type Message = Record<string, unknown> & { id?: unknown; method?: string; params?: unknown[] };

/** A pool scripted line by line: `answer` returns the lines to send for each message of the miner. */
async function scriptedPool(answer: (m: Message, conn: StratumConnection) => string[]): Promise<{ port: number; received: Message[]; close: () => Promise<void> }> {
  const server = new StratumServer({ host: '127.0.0.1', port: 0, maxLineBytes: 16384, idleTimeoutMs: 60000 });
  const received: Message[] = [];
  server.connections$.subscribe((conn) => {
    conn.lines$.subscribe((line) => {
      const m = JSON.parse(line) as Message;
      received.push(m);
      for (const out of answer(m, conn)) conn.send(out);
    });
  });
  const { port } = await server.listen();
  return {
    port,
    received,
    close: async () => {
      server.closeAll('test over');
      await server.stopAccepting();
    },
  };
}

async function mineUntilAccepted(miner: EthMiner, shares: number): Promise<EthMinerEvent[]> {
  const events: EthMinerEvent[] = [];
  miner.events$.subscribe((e) => events.push(e));
  const accepted = firstValueFrom(miner.events$.pipe(filter((e) => e.type === 'accepted' && e.accepted >= shares)));
  miner.start();
  await accepted;
  await miner.stop('test done');
  return events;
}

describe('EthMiner over the classic dialects (scripted pools)', () => {
  it('EthProxy (stratum1): logs in, takes the eth_getWork job, finds the epoch from the seed, picks the whole nonce and submits it with the mix', async () => {
    const target = `0x${(1n << 240n).toString(16).padStart(64, '0')}`;
    const pool = await scriptedPool((m) => {
      if (m.method === 'eth_submitLogin') return [JSON.stringify({ id: m.id, jsonrpc: '2.0', result: true })];
      if (m.method === 'eth_getWork') return [JSON.stringify({ id: m.id, jsonrpc: '2.0', result: [`0x${HEADER}`, `0x${SEED_1}`, target, '0x7531'] })];
      if (m.method === 'eth_submitWork') return [JSON.stringify({ id: m.id, jsonrpc: '2.0', result: true })];
      return [JSON.stringify({ id: m.id, jsonrpc: '2.0', result: true })];
    });
    try {
      const hasher = new FakeEpochHasher();
      const miner = new EthMiner({ url: `stratum1+tcp://127.0.0.1:${pool.port}`, user: '0xabc.rig1', coin: fakeCoin(hasher), threads: 1, statsIntervalMs: 0, hashrateReportSeconds: 0 });
      expect(miner.dialect).toBe('ethproxy');
      const events = await mineUntilAccepted(miner, 1);

      expect(pool.received[0]).toMatchObject({ method: 'eth_submitLogin', params: ['0xabc.rig1', 'x'] });
      expect(hasher.prepared).toEqual(['ethash:1']);
      const scan = hasher.scans[0] as EpochScanRequest;
      expect(scan).toMatchObject({ algo: 'ethash', epoch: 1, target: 1n << 240n });
      expect(scan.headerHash.toString('hex')).toBe(HEADER);
      const submit = pool.received.find((m) => m.method === 'eth_submitWork') as Message;
      expect(submit.params).toEqual([`0x${scan.startNonce.toString(16).padStart(16, '0')}`, `0x${HEADER}`, `0x${MIX.toString('hex')}`]);
      expect(events.find((e) => e.type === 'job')).toMatchObject({ jobId: HEADER, height: 0x7531, epoch: 1, algo: 'ethash' });
    } finally {
      await pool.close();
    }
  });

  it('EthProxy for an ETChash coin without an algo member: the seed of ethash epoch 390 is ETChash epoch 195 (ECIP-1099)', async () => {
    const target = `0x${(1n << 240n).toString(16).padStart(64, '0')}`;
    const pool = await scriptedPool((m) => {
      if (m.method === 'eth_getWork') return [JSON.stringify({ id: m.id, jsonrpc: '2.0', result: [`0x${HEADER}`, `0x${SEED_ETCHASH_195}`, target] })];
      return [JSON.stringify({ id: m.id, jsonrpc: '2.0', result: true })];
    });
    try {
      const hasher = new FakeEpochHasher();
      const miner = new EthMiner({ url: `stratum1+tcp://127.0.0.1:${pool.port}`, user: '0xabc', coin: fakeCoin(hasher, 'etc', 'etchash'), threads: 1, statsIntervalMs: 0, hashrateReportSeconds: 0 });
      await mineUntilAccepted(miner, 1);
      expect(hasher.prepared).toEqual(['etchash:195']);
      expect(hasher.scans[0]).toMatchObject({ algo: 'etchash', epoch: 195 });
    } finally {
      await pool.close();
    }
  });

  it('EthereumStratum/1.0.0 (stratum2): subscribes with the protocol, scans inside the extranonce, submits the nonce without it; the difficulty sets the target', async () => {
    const pool = await scriptedPool((m) => {
      switch (m.method) {
        case 'mining.subscribe':
          return [JSON.stringify({ id: m.id, result: [['mining.notify', 'ae6812eb4cd7735a302a8a9dd95cf71f', 'EthereumStratum/1.0.0'], 'a2eea0'], error: null })];
        case 'mining.authorize':
          return [
            JSON.stringify({ id: m.id, result: true, error: null }),
            JSON.stringify({ id: null, method: 'mining.set_difficulty', params: [2] }),
            JSON.stringify({ id: null, method: 'mining.notify', params: ['bf0488aa', SEED_50, HEADER, true] }),
          ];
        default:
          return [JSON.stringify({ id: m.id, result: true, error: null })];
      }
    });
    try {
      const hasher = new FakeEpochHasher();
      const miner = new EthMiner({ url: `stratum2+tcp://127.0.0.1:${pool.port}`, user: 'test', coin: fakeCoin(hasher), threads: 1, statsIntervalMs: 0, hashrateReportSeconds: 0 });
      expect(miner.dialect).toBe('es1');
      await mineUntilAccepted(miner, 2);

      expect(pool.received[0]).toMatchObject({ method: 'mining.subscribe', params: [expect.stringMatching(/^lode-miner\//), 'EthereumStratum/1.0.0'] });
      expect(hasher.prepared).toEqual(['ethash:50']);
      const scan = hasher.scans[0] as EpochScanRequest;
      // diff 2 = 0x00000000ffff0000… / 2 (facts/ethash.md §1.2)
      expect(scan).toMatchObject({ algo: 'ethash', epoch: 50, target: (0xffffn << 208n) / 2n });
      expect(scan.startNonce >> 40n).toBe(0xa2eea0n);
      const submits = pool.received.filter((m) => m.method === 'mining.submit');
      expect(submits[0]?.params).toEqual(['test', 'bf0488aa', (scan.startNonce & ((1n << 40n) - 1n)).toString(16).padStart(10, '0')]);
    } finally {
      await pool.close();
    }
  });

  it('plain stratum (stratum+tcp): submits worker, job id, the full nonce, header and mix; a refusal counts as rejected', async () => {
    const target = `0x${(1n << 240n).toString(16).padStart(64, '0')}`;
    const pool = await scriptedPool((m) => {
      switch (m.method) {
        case 'mining.subscribe':
          return [JSON.stringify({ id: m.id, result: true, error: null })];
        case 'mining.authorize':
          return [
            JSON.stringify({ id: m.id, result: true, error: null }),
            JSON.stringify({ id: null, method: 'mining.notify', params: ['j7', `0x${HEADER}`, `0x${SEED_1}`, target] }),
          ];
        case 'mining.submit':
          return [JSON.stringify({ id: m.id, result: null, error: [23, 'Invalid share', null] })];
        default:
          return [JSON.stringify({ id: m.id, result: true, error: null })];
      }
    });
    try {
      const hasher = new FakeEpochHasher();
      const miner = new EthMiner({ url: `stratum+tcp://127.0.0.1:${pool.port}`, user: 'w1', coin: fakeCoin(hasher), threads: 1, statsIntervalMs: 0, hashrateReportSeconds: 0 });
      expect(miner.dialect).toBe('plain');
      const rejected = firstValueFrom(miner.events$.pipe(filter((e) => e.type === 'rejected')));
      miner.start();
      expect(await rejected).toMatchObject({ type: 'rejected', jobId: 'j7', code: 23, message: 'Invalid share' });
      await miner.stop('test done');
      const scan = hasher.scans[0] as EpochScanRequest;
      const submit = pool.received.find((m) => m.method === 'mining.submit') as Message;
      expect(submit.params).toEqual(['w1', 'j7', `0x${scan.startNonce.toString(16).padStart(16, '0')}`, `0x${HEADER}`, `0x${MIX.toString('hex')}`]);
    } finally {
      await pool.close();
    }
  });

  it('does not mine a job whose seed hash is no epoch\'s, and says so', async () => {
    const target = `0x${(1n << 240n).toString(16).padStart(64, '0')}`;
    const pool = await scriptedPool((m) => {
      if (m.method === 'eth_getWork') return [JSON.stringify({ id: m.id, jsonrpc: '2.0', result: [`0x${HEADER}`, `0x${'ab'.repeat(32)}`, target] })];
      return [JSON.stringify({ id: m.id, jsonrpc: '2.0', result: true })];
    });
    try {
      const hasher = new FakeEpochHasher();
      const miner = new EthMiner({ url: `stratum1+tcp://127.0.0.1:${pool.port}`, user: '0xabc', coin: fakeCoin(hasher), threads: 1, statsIntervalMs: 0, hashrateReportSeconds: 0 });
      const bad = firstValueFrom(miner.events$.pipe(filter((e) => e.type === 'bad-job')));
      miner.start();
      expect(await bad).toMatchObject({ jobId: HEADER, reason: expect.stringContaining('is the seed of no epoch') });
      await miner.stop('test done');
      expect(hasher.scans).toEqual([]);
    } finally {
      await pool.close();
    }
  });
});
