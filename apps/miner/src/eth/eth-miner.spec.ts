import { EthStratumServerSession, type EthStratumServerHandler, type EthSubmitRequest } from '@lode/dialect-ethstratum';
import type { CoinPlugin, EpochHasher, EpochScanRequest, EpochScanResult } from '@lode/plugin-api';
import { eip1571Codec, RpcPeer, StratumServer, type Eip1571Params } from '@lode/stratum-core';
import { filter, firstValueFrom } from 'rxjs';
import { EthMiner, type EthMinerEvent } from './eth-miner';

/**
 * A fake epoch hasher: every scan request "finds" its first nonce, so the
 * test knows exactly which nonce the miner must submit.
 */
class FakeEpochHasher implements EpochHasher {
  readonly implementation = 'fake';
  readonly prepared: string[] = [];
  readonly scans: EpochScanRequest[] = [];

  async prepare(algo: 'ethash' | 'etchash', epoch: number, options: { onProgress?: (f: number) => void } = {}): Promise<void> {
    options.onProgress?.(0.5);
    options.onProgress?.(1);
    this.prepared.push(`${algo}:${epoch}`);
  }

  async scan(request: EpochScanRequest): Promise<EpochScanResult> {
    this.scans.push(request);
    await new Promise((resolve) => setTimeout(resolve, 20));
    return { hits: [{ nonce: request.startNonce, mix: Buffer.alloc(32, 1), final: Buffer.alloc(32, 0) }], hashes: request.count };
  }

  readonly retained: string[][] = [];

  retain(keep: readonly { algo: string; epoch: number }[]): void {
    this.retained.push(keep.map((k) => `${k.algo}:${k.epoch}`));
  }
}

function fakeCoin(hasher: EpochHasher): CoinPlugin {
  return { id: 'eth', name: 'Fake ethash', dialects: ['ethstratum'], epochHasher: hasher } as unknown as CoinPlugin;
}

describe('EthMiner', () => {
  let server: StratumServer;
  let port: number;
  const submits: EthSubmitRequest[] = [];
  const hashrates: bigint[] = [];
  const sessions: EthStratumServerSession[] = [];
  let closedWithBye: boolean | undefined;

  beforeAll(async () => {
    server = new StratumServer({ host: '127.0.0.1', port: 0, maxLineBytes: 16384, idleTimeoutMs: 60000 });
    server.connections$.subscribe((conn) => {
      const peer = new RpcPeer<Eip1571Params>(conn, eip1571Codec, { firstRequestId: 0, maxRequestId: 65535 });
      const handler: EthStratumServerHandler = {
        subscribe: async () => ({ sessionId: '00112233445566aa', extranonce: Buffer.from('a1b2', 'hex'), workers: [], resumed: false }),
        authorize: async () => true,
        submit: async (req) => {
          submits.push(req);
          return submits.length === 2
            ? { accepted: true, difficulty: 1, shareDifficulty: 1, block: false, hash: '00'.repeat(32), stale: true }
            : { accepted: true, difficulty: 1, shareDifficulty: 1, block: false, hash: '00'.repeat(32) };
        },
        hashrate: (req) => {
          hashrates.push(req.hashrate);
          return undefined;
        },
        closed: (info) => {
          closedWithBye = info.bye;
        },
      };
      const session = new EthStratumServerSession(peer, handler, { node: 'test node', resume: true, hashrateMinIntervalMs: 0 });
      sessions.push(session);
    });
    port = (await server.listen()).port;
  });

  afterAll(async () => {
    server.closeAll('test over');
    await server.stopAccepting();
  });

  it('says hello, authorizes, scans the job with its epoch context inside the extranonce segment, submits the suffix, reports hashrate, says bye', async () => {
    const hasher = new FakeEpochHasher();
    const miner = new EthMiner({
      url: `stratum3+tcp://127.0.0.1:${port}`,
      user: '0xabc.rig1',
      coin: fakeCoin(hasher),
      threads: 1,
      statsIntervalMs: 50,
      hashrateReportSeconds: 0.1,
    });
    const events: EthMinerEvent[] = [];
    miner.events$.subscribe((e) => events.push(e));
    const accepted = firstValueFrom(miner.events$.pipe(filter((e) => e.type === 'accepted' && e.accepted >= 2)));
    miner.start();
    // the pool's first job: epoch 7, a target, the session's extranonce a1b2
    await firstValueFrom(miner.events$.pipe(filter((e) => e.type === 'authorized')));
    sessions[0]?.sendJob({
      jobId: 'j1',
      height: 210_001,
      headerHash: 'ab'.repeat(32),
      clean: true,
      epoch: 7,
      algo: 'ethash',
      target: 1n << 240n,
      extranonce: Buffer.from('a1b2', 'hex'),
    });
    await accepted;
    await new Promise((resolve) => setTimeout(resolve, 250));
    await miner.stop('test done');

    expect(hasher.prepared).toEqual(['ethash:7']);
    expect(hasher.retained).toEqual([['ethash:7']]);
    const scan = hasher.scans[0] as EpochScanRequest;
    expect(scan).toMatchObject({ algo: 'ethash', epoch: 7, target: 1n << 240n, threads: 1 });
    expect(scan.headerHash.toString('hex')).toBe('ab'.repeat(32));
    // the search stays inside the segment 0xa1b2000000000000..0xa1b2ffffffffffff
    expect(scan.startNonce >> 48n).toBe(0xa1b2n);
    // the first submit is the first scanned nonce without its extranonce: 6 bytes
    const first = submits[0] as EthSubmitRequest;
    expect(first.jobId).toBe('j1');
    expect(first.workerName).toBe('0xabc.rig1');
    expect(first.minerNonce.toString('hex')).toBe((scan.startNonce & ((1n << 48n) - 1n)).toString(16).padStart(12, '0'));
    expect(events.filter((e) => e.type === 'accepted').map((e) => (e as { stale: boolean }).stale).slice(0, 2)).toEqual([false, true]);
    expect(events.some((e) => e.type === 'epoch' && e.progress === 1)).toBe(true);
    expect(hashrates.length).toBeGreaterThan(0);
    // the pool sees mining.bye, then the close
    for (let i = 0; i < 100 && closedWithBye === undefined; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(closedWithBye).toBe(true);
  });

  it('refuses a coin that does not speak the Ethereum dialects and a URL scheme that is not stratum', () => {
    const bitcoinish = { id: 'btc', dialects: ['bitcoin'] } as unknown as CoinPlugin;
    expect(() => new EthMiner({ url: 'stratum3+tcp://127.0.0.1:1', user: 'a', coin: bitcoinish, threads: 1 })).toThrow(
      `coin 'btc' does not speak the Ethereum stratum dialects`,
    );
    expect(() => new EthMiner({ url: 'http://127.0.0.1:1', user: 'a', coin: fakeCoin(new FakeEpochHasher()), threads: 1 })).toThrow(
      'has scheme "http"',
    );
  });
});
