import { firstValueFrom, filter, toArray, type Subscription } from 'rxjs';
import type { CoinTemplate } from '@lode/plugin-api';
import { FakeBitcoind, ok, rpcError, type FakeAnswer, type SeenRequest } from '../testing/fake-bitcoind.fixture';
import { memoryLogger } from '../testing/memory-logger.fixture';
import { TESTNET3_1263442 } from '../testing/real-blocks.fixture';
import { BitcoinNode, type BitcoinNodeOptions } from './bitcoin-node';

const PREV_A = '00000000b428e0bdccda662987a251a62f15ecd534b22ddb96a3399c521a8d1c';
const PREV_B = '000000006f27ddfe1dd680044a34548f41bed47eba9e6f0b310da21423bc5f33';

function template(previousblockhash: string, height: number, longpollid?: string): Record<string, unknown> {
  return {
    version: 0x20000000,
    previousblockhash,
    transactions: [],
    coinbasevalue: 5_000_000_000,
    target: '00000000ffff0000000000000000000000000000000000000000000000000000',
    mintime: 1_700_000_000,
    curtime: 1_700_000_100,
    bits: '1d00ffff',
    height,
    ...(longpollid !== undefined ? { longpollid } : {}),
  };
}

const isLongpoll = (req: SeenRequest): boolean =>
  req.method === 'getblocktemplate' && (req.params[0] as { longpollid?: string }).longpollid !== undefined;

/** Polls a condition on the event loop (no timed assertion: it waits as long as jest lets it). */
async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 2));
}

describe('BitcoinNode', () => {
  let fake: FakeBitcoind;
  let url: string;
  let node: BitcoinNode | undefined;
  let subscription: Subscription | undefined;

  const make = (options: Partial<BitcoinNodeOptions> = {}, logger = memoryLogger()): BitcoinNode => {
    node = new BitcoinNode({ url, pollIntervalMs: 5, longpoll: false, retryDelayMs: 1, maxRetryDelayMs: 5, ...options }, logger);
    return node;
  };

  beforeEach(async () => {
    fake = new FakeBitcoind(() => ok(template(PREV_A, 100)));
    url = await fake.listen();
  });

  afterEach(async () => {
    subscription?.unsubscribe();
    subscription = undefined;
    await node?.stop();
    node = undefined;
    await fake.close();
  });

  describe('when started against a working node', () => {
    it('resolves after the first template and replays it to a later subscriber', async () => {
      const n = make();
      await n.start();
      const first = await firstValueFrom(n.templates$);
      expect(first).toMatchObject({ height: 100, prevHash: PREV_A, networkTarget: 0xffffn << 208n });
      expect((first.raw as { previousblockhash: string }).previousblockhash).toBe(PREV_A);
      expect(fake.seen[0]).toMatchObject({ method: 'getblocktemplate', params: [{ rules: ['segwit'] }] });
    });

    it('takes the network target from bits when the template has no target', async () => {
      fake.setHandler(() => {
        const t = template(PREV_A, 100);
        delete t['target'];
        t['bits'] = '1d00dcad';
        return ok(t);
      });
      const n = make();
      await n.start();
      // 0x1d00dcad -> 0xdcad * 256^(0x1d - 3) (facts/bitcoin-stratum.md "Targets")
      expect((await firstValueFrom(n.templates$)).networkTarget).toBe(0xdcadn << (8n * 26n));
    });
  });

  describe('when the node keeps answering the same template', () => {
    it('emits it once', async () => {
      const n = make();
      const seen: CoinTemplate[] = [];
      subscription = n.templates$.subscribe((t) => seen.push(t));
      await n.start();
      await waitFor(() => fake.seen.length >= 6);
      expect(seen).toHaveLength(1);
    });
  });

  describe('when the previous block changes', () => {
    it('emits the new template, and stop() completes the stream', async () => {
      const n = make();
      await n.start();
      const all = firstValueFrom(n.templates$.pipe(toArray()));
      fake.setHandler(() => ok(template(PREV_B, 101)));
      await firstValueFrom(n.templates$.pipe(filter((t) => t.prevHash === PREV_B)));
      await n.stop();
      expect((await all).map((t) => [t.height, t.prevHash])).toEqual([
        [100, PREV_A],
        [101, PREV_B],
      ]);
    });
  });

  describe('when an answer for a lower height arrives after a higher one', () => {
    it('drops it', async () => {
      const answers: FakeAnswer[] = [ok(template(PREV_B, 101)), ok(template(PREV_A, 100))];
      fake.setHandler(() => answers.shift() ?? ok(template(PREV_B, 101)));
      const n = make();
      const seen: CoinTemplate[] = [];
      subscription = n.templates$.subscribe((t) => seen.push(t));
      await n.start();
      await waitFor(() => fake.seen.length >= 4);
      expect(seen.map((t) => t.height)).toEqual([101]);
    });
  });

  describe('when the refresh interval has passed on the same previous block', () => {
    it('emits again only when the longpollid says the mempool changed', async () => {
      let id = 'tip-a:1';
      fake.setHandler(() => ok(template(PREV_A, 100, id)));
      const n = make({ refreshIntervalMs: 0 });
      const seen: CoinTemplate[] = [];
      subscription = n.templates$.subscribe((t) => seen.push(t));
      await n.start();
      await waitFor(() => fake.seen.length >= 4);
      expect(seen).toHaveLength(1);
      id = 'tip-a:2';
      await waitFor(() => seen.length === 2);
      expect((seen[1].raw as { longpollid: string }).longpollid).toBe('tip-a:2');
    });
  });

  describe('when long polling', () => {
    it('sends the last longpollid and emits what the long poll returns', async () => {
      fake.setHandler((req) => (isLongpoll(req) ? ok(template(PREV_B, 101, 'tip-b')) : ok(template(PREV_A, 100, 'tip-a'))));
      const n = make({ longpoll: true, pollIntervalMs: 60_000 });
      await n.start();
      const next = await firstValueFrom(n.templates$.pipe(filter((t) => t.height === 101)));
      expect(next.prevHash).toBe(PREV_B);
      expect(fake.seen.find(isLongpoll)?.params).toEqual([{ rules: ['segwit'], longpollid: 'tip-a' }]);
    });

    it('stop() ends the long poll in flight', async () => {
      fake.setHandler((req) => (isLongpoll(req) ? 'hold' : ok(template(PREV_A, 100, 'tip-a'))));
      const n = make({ longpoll: true, pollIntervalMs: 60_000 });
      await n.start();
      await waitFor(() => fake.seen.some(isLongpoll));
      const completed = firstValueFrom(n.templates$.pipe(toArray()));
      await n.stop();
      expect(await completed).toHaveLength(1);
    });
  });

  describe('when the node fails after start', () => {
    it('logs the first failure of a streak at warn, the rest at debug, the recovery at info, and keeps emitting', async () => {
      const logger = memoryLogger();
      const n = make({}, logger);
      await n.start();
      fake.setHandler(() => rpcError(-10, 'Bitcoin Core is in initial sync'));
      const start = fake.seen.length;
      await waitFor(() => fake.seen.length >= start + 4);
      fake.setHandler(() => ok(template(PREV_B, 101)));
      await firstValueFrom(n.templates$.pipe(filter((t) => t.height === 101)));
      const warns = logger.lines.filter((l) => l.level === 'warn');
      expect(warns).toHaveLength(1);
      expect(warns[0].obj).toMatchObject({ err: 'bitcoind getblocktemplate failed: -10 Bitcoin Core is in initial sync' });
      expect(logger.lines.filter((l) => l.level === 'debug').length).toBeGreaterThanOrEqual(2);
      expect(logger.lines.filter((l) => l.level === 'info')).toHaveLength(1);
    });
  });

  describe('when the first calls fail', () => {
    it('start() rejects with the node error after startAttempts tries', async () => {
      fake.setHandler(() => rpcError(-28, 'Loading block index...'));
      const n = make({ startAttempts: 2 });
      await expect(n.start()).rejects.toMatchObject({
        kind: 'node',
        code: -28,
        message: 'bitcoind getblocktemplate failed: -28 Loading block index...',
      });
      expect(fake.seen).toHaveLength(2);
    });

    it('start() rejects with LodeError(node) when the template is malformed', async () => {
      fake.setHandler(() => ok({ ...template(PREV_A, 100), bits: 'xyz' }));
      await expect(make({ startAttempts: 1 }).start()).rejects.toMatchObject({
        kind: 'node',
        message: 'getblocktemplate bits is "xyz", expected 8 hex digits',
      });
    });
  });

  describe('when a block is submitted', () => {
    it('reports acceptance with the block hash from its header', async () => {
      fake.setHandler((req) => (req.method === 'submitblock' ? ok(null) : ok(template(PREV_A, 100))));
      const n = make();
      await n.start();
      await expect(n.submitBlock(TESTNET3_1263442.rawBlock)).resolves.toEqual({
        accepted: true,
        hash: TESTNET3_1263442.hashDisplay,
      });
      expect(fake.seen.find((r) => r.method === 'submitblock')?.params).toEqual([TESTNET3_1263442.rawBlock]);
    });

    it('reports bitcoind\'s reason when refused', async () => {
      fake.setHandler((req) => (req.method === 'submitblock' ? ok('high-hash') : ok(template(PREV_A, 100))));
      const n = make();
      await expect(n.submitBlock(TESTNET3_1263442.rawBlock)).resolves.toEqual({
        accepted: false,
        hash: TESTNET3_1263442.hashDisplay,
        reason: 'high-hash',
      });
    });

    it('reports an RPC error as a refusal', async () => {
      fake.setHandler(() => rpcError(-22, 'Block decode failed'));
      const n = make();
      await expect(n.submitBlock(TESTNET3_1263442.rawBlock)).resolves.toMatchObject({
        accepted: false,
        reason: 'bitcoind submitblock failed: -22 Block decode failed',
      });
    });
  });
});
