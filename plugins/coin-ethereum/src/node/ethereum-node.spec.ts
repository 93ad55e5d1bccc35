import { firstValueFrom, type Subscription } from 'rxjs';
import { LodeError, type CoinTemplate } from '@lode/plugin-api';
import { CHFAST_BLOCK_0, CHFAST_BLOCK_2, EPOCH_SEEDS } from '../testing/ethash-vectors.fixture';
import { FakeEthNode, ok, rpcError, type FakeAnswer, type SeenRequest } from '../testing/fake-eth-node.fixture';
import { memoryLogger } from '../testing/memory-logger.fixture';
import { EthereumNode, type EthereumNodeOptions } from './ethereum-node';

const BOUNDARY = `0x00000001${'0'.repeat(56)}`;
const SEED_0 = `0x${EPOCH_SEEDS[0]}`;
const work = (header: string, height?: number): unknown[] =>
  height === undefined ? [`0x${header}`, SEED_0, BOUNDARY] : [`0x${header}`, SEED_0, BOUNDARY, `0x${height.toString(16)}`];

/** Polls a condition on the event loop (no timed assertion: it waits as long as jest lets it). */
async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 2));
}

describe('EthereumNode', () => {
  let fake: FakeEthNode;
  let url: string;
  let node: EthereumNode | undefined;
  let subscription: Subscription | undefined;

  const make = (handler: (req: SeenRequest) => FakeAnswer, options: Partial<EthereumNodeOptions> = {}, logger = memoryLogger()): EthereumNode => {
    fake.setHandler(handler);
    node = new EthereumNode({ url, pollIntervalMs: 5, retryDelayMs: 1, maxRetryDelayMs: 5, ...options }, logger);
    return node;
  };

  beforeEach(async () => {
    fake = new FakeEthNode(() => ok(null));
    url = await fake.listen();
  });

  afterEach(async () => {
    subscription?.unsubscribe();
    subscription = undefined;
    await node?.stop();
    node = undefined;
    await fake.close();
  });

  describe('when the node sends the height (4 elements)', () => {
    it('emits a template with the height, height - 1 as prevHash, the boundary as network target, and raw work', async () => {
      const n = make(() => ok(work(CHFAST_BLOCK_2.header, 2)));
      await n.start();
      const template = await firstValueFrom(n.templates$);
      expect(template).toEqual<CoinTemplate>({
        height: 2,
        prevHash: `${'0'.repeat(63)}1`,
        networkTarget: 2n ** 224n,
        raw: { headerHash: CHFAST_BLOCK_2.header, seedHash: EPOCH_SEEDS[0], boundary: `00000001${'0'.repeat(56)}`, height: 2 },
      });
      expect(fake.seen.some((r) => r.method === 'eth_blockNumber')).toBe(false);
    });
  });

  describe('when the node sends 3 elements', () => {
    it('asks eth_blockNumber and mines head + 1', async () => {
      const n = make((req) => (req.method === 'eth_blockNumber' ? ok('0x1') : ok(work(CHFAST_BLOCK_2.header))));
      await n.start();
      expect((await firstValueFrom(n.templates$)).height).toBe(2);
    });
  });

  describe('when the header hash changes', () => {
    it('emits once per header hash, not once per poll', async () => {
      let header = CHFAST_BLOCK_0.header;
      const n = make(() => ok(work(header, header === CHFAST_BLOCK_0.header ? 1 : 2)));
      const seen: CoinTemplate[] = [];
      subscription = n.templates$.subscribe((t) => seen.push(t));
      await n.start();
      const polls = fake.seen.length;
      await waitFor(() => fake.seen.length >= polls + 3);
      expect(seen).toHaveLength(1);
      header = CHFAST_BLOCK_2.header;
      await waitFor(() => seen.length === 2);
      expect(seen.map((t) => [t.height, (t.raw as { headerHash: string }).headerHash])).toEqual([
        [1, CHFAST_BLOCK_0.header],
        [2, CHFAST_BLOCK_2.header],
      ]);
    });
  });

  describe('when polls fail', () => {
    it('logs one warning per streak, keeps the stream open and recovers', async () => {
      let failing = false;
      let header = CHFAST_BLOCK_0.header;
      const logger = memoryLogger();
      const n = make(() => (failing ? rpcError(-32000, 'no mining work available yet') : ok(work(header, 7))), {}, logger);
      const seen: CoinTemplate[] = [];
      let completed = false;
      subscription = n.templates$.subscribe({ next: (t) => seen.push(t), complete: () => (completed = true) });
      await n.start();
      failing = true;
      const polls = fake.seen.length;
      await waitFor(() => fake.seen.length >= polls + 4);
      header = CHFAST_BLOCK_2.header;
      failing = false;
      await waitFor(() => seen.length === 2);
      const warnings = logger.lines.filter((l) => l.level === 'warn');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]?.obj).toMatchObject({ err: expect.stringContaining('no mining work available yet') as unknown });
      expect(logger.lines.some((l) => l.level === 'info' && /answers eth_getWork again/.test(l.msg ?? ''))).toBe(true);
      expect(completed).toBe(false);
    });

    it('makes start() throw the last error after the start attempts', async () => {
      const n = make(() => rpcError(-32000, 'no mining work available yet'), { startAttempts: 2 });
      await expect(n.start()).rejects.toThrow(`eth node at ${url} refused eth_getWork: -32000 no mining work available yet`);
      expect(fake.seen).toHaveLength(2);
    });
  });

  describe('when a block is submitted', () => {
    const params = JSON.stringify([`0x${CHFAST_BLOCK_2.nonce}`, `0x${CHFAST_BLOCK_2.header}`, `0x${CHFAST_BLOCK_2.mix}`]);

    it('sends the parameters to eth_submitWork and reports the header hash', async () => {
      const n = make((req) => (req.method === 'eth_submitWork' ? ok(true) : ok(work(CHFAST_BLOCK_2.header, 2))));
      await n.start();
      await expect(n.submitBlock(params)).resolves.toEqual({ accepted: true, hash: CHFAST_BLOCK_2.header });
      expect(fake.seen.find((r) => r.method === 'eth_submitWork')?.params).toEqual(JSON.parse(params));
    });

    it('reports a false answer as refused, stale or invalid', async () => {
      const n = make((req) => (req.method === 'eth_submitWork' ? ok(false) : ok(work(CHFAST_BLOCK_2.header, 2))));
      await n.start();
      await expect(n.submitBlock(params)).resolves.toEqual({
        accepted: false,
        hash: CHFAST_BLOCK_2.header,
        reason: 'node answered false (stale or invalid work)',
      });
    });

    it("reports the node's JSON-RPC error as the reason", async () => {
      const n = make((req) => (req.method === 'eth_submitWork' ? rpcError(-32602, 'invalid argument 0') : ok(work(CHFAST_BLOCK_2.header, 2))));
      await n.start();
      const result = await n.submitBlock(params);
      expect(result).toMatchObject({ accepted: false, reason: expect.stringContaining('-32602 invalid argument 0') as unknown });
    });

    it('refuses what buildBlock cannot have written', async () => {
      const n = make(() => ok(work(CHFAST_BLOCK_2.header, 2)));
      await expect(n.submitBlock('not json')).rejects.toThrow(LodeError);
      await expect(n.submitBlock(JSON.stringify([`0x${CHFAST_BLOCK_2.nonce}`, `0x${CHFAST_BLOCK_2.header}`]))).rejects.toThrow(
        /must be \["0x" \+ 16 hex nonce/,
      );
    });
  });

  describe('when a hashrate is reported', () => {
    it('passes it to eth_submitHashrate', async () => {
      const n = make((req) => (req.method === 'eth_submitHashrate' ? ok(true) : ok(work(CHFAST_BLOCK_2.header, 2))));
      await expect(n.submitHashrate(1_000_000n, Buffer.alloc(32, 1))).resolves.toBe(true);
      expect(fake.seen[0]?.params).toEqual(['0xf4240', `0x${'01'.repeat(32)}`]);
    });
  });

  describe('when stopped', () => {
    it('completes templates$, stops polling, and refuses a second start', async () => {
      const n = make(() => ok(work(CHFAST_BLOCK_2.header, 2)));
      let completed = false;
      subscription = n.templates$.subscribe({ complete: () => (completed = true) });
      await n.start();
      await n.stop();
      expect(completed).toBe(true);
      const polls = fake.seen.length;
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(fake.seen).toHaveLength(polls);
      await expect(n.start()).rejects.toThrow('a node starts once');
    });
  });
});
