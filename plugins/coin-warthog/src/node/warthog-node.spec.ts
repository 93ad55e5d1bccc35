import { firstValueFrom, type Subscription } from 'rxjs';
import { LodeError, type CoinTemplate } from '@lode/plugin-api';
import { FakeWarthogNode, ok, refused, type FakeAnswer, type SeenRequest } from '../testing/fake-warthog-node.fixture';
import { memoryLogger } from '../testing/memory-logger.fixture';
import { CHAIN_HEAD, MINING_STATE } from '../testing/warthog-node-answers.fixture';
import { A2, SESSION, SHARE_PREFIX, SHARES } from '../testing/warthog-vectors.fixture';
import { WarthogNode, type WarthogNodeOptions } from './warthog-node';

/** Polls a condition on the event loop (no timed assertion: it waits as long as jest lets it). */
async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 2));
}

/** A second template: block 1950121's header (§6-A A2) with its nonce zeroed, one block on. */
const NEXT_STATE = { ...MINING_STATE, header: `${A2.header.slice(0, 152)}00000000`, height: MINING_STATE.height + 1 };
const NEXT_HEAD = { ...CHAIN_HEAD, hash: A2.header.slice(0, 64), height: CHAIN_HEAD.height + 1 };

/** The block of the §6-H winning share, as buildBlock writes it. */
const WINNING_BLOCK = { height: MINING_STATE.height, header: SHARE_PREFIX + SHARES[0].nonce, body: SESSION.winningBody };

describe('WarthogNode', () => {
  let fake: FakeWarthogNode;
  let url: string;
  let node: WarthogNode | undefined;
  let subscription: Subscription | undefined;

  const make = (handler: (req: SeenRequest) => FakeAnswer, options: Partial<WarthogNodeOptions> = {}, logger = memoryLogger()): WarthogNode => {
    fake.setHandler(handler);
    node = new WarthogNode({ url, pollIntervalMs: 5, retryDelayMs: 1, maxRetryDelayMs: 5, ...options }, SESSION.address, logger);
    return node;
  };
  /** A node whose head and template are whatever `chain` holds at the time of the request. */
  const chain = { head: CHAIN_HEAD as Record<string, unknown>, state: MINING_STATE as Record<string, unknown> };
  const serve = (req: SeenRequest): FakeAnswer => {
    if (req.path === '/chain/head') return ok(chain.head);
    if (req.path === `/chain/mine/${SESSION.address}`) return ok(chain.state);
    if (req.path === '/chain/append') return { body: { code: 0, error: null } };
    return refused(404, `no route ${req.path}`);
  };
  const mines = (): number => fake.seen.filter((r) => r.path.startsWith('/chain/mine/')).length;

  beforeEach(async () => {
    chain.head = CHAIN_HEAD;
    chain.state = MINING_STATE;
    fake = new FakeWarthogNode(serve);
    url = await fake.listen();
  });

  afterEach(async () => {
    subscription?.unsubscribe();
    subscription = undefined;
    await node?.stop();
    node = undefined;
    await fake.close();
  });

  describe('when started on a synced node', () => {
    it('reads the head, then emits the /chain/mine template for the payout address', async () => {
      const n = make(serve, { refreshMs: 60_000 });
      await n.start();
      const template = await firstValueFrom(n.templates$);
      expect(template).toEqual<CoinTemplate>({
        height: MINING_STATE.height,
        prevHash: SESSION.prevHash,
        // 0ae7cde7: bits 0x27cde7 · 2^(234 - 43)
        networkTarget: 0x27cde7n << 191n,
        raw: {
          header: SESSION.templateHeader,
          body: SESSION.templateBody,
          merklePrefix: SESSION.merklePrefix,
          difficulty: MINING_STATE.difficulty,
          height: MINING_STATE.height,
        },
      });
      expect(fake.seen.slice(0, 2).map((r) => `${r.method} ${r.path}`)).toEqual(['GET /chain/head', `GET /chain/mine/${SESSION.address}`]);
    });

    it('refuses a second start', async () => {
      const n = make(serve);
      await n.start();
      await expect(n.start()).rejects.toThrow(`WarthogNode for ${url} is running; a node starts once`);
    });
  });

  describe('when the head does not move', () => {
    it('polls only the head until refreshMs has passed', async () => {
      const n = make(serve, { refreshMs: 60_000 });
      await n.start();
      const heads = fake.seen.length;
      await waitFor(() => fake.seen.length >= heads + 5);
      expect(mines()).toBe(1);
    });

    it('refetches on every refresh but emits only when the work changed', async () => {
      const n = make(serve, { refreshMs: 0 });
      const seen: CoinTemplate[] = [];
      subscription = n.templates$.subscribe((t) => seen.push(t));
      await n.start();
      // same work with a later timestamp: nothing new to mine
      chain.state = { ...MINING_STATE, header: `${SESSION.templateHeader.slice(0, 144)}66f2ff0000000000` };
      await waitFor(() => mines() >= 4);
      expect(seen).toHaveLength(1);
      // a new transaction: a new body and merkle prefix
      chain.state = { ...MINING_STATE, merklePrefix: `${'00'.repeat(32)}${SESSION.merklePrefix}`, body: `${SESSION.templateBody}00` };
      await waitFor(() => seen.length === 2);
      expect((seen[1]?.raw as { merklePrefix: string }).merklePrefix).toHaveLength(128);
    });
  });

  describe('when the head moves', () => {
    it('fetches /chain/mine at once and emits the new template', async () => {
      const n = make(serve, { refreshMs: 60_000 });
      const seen: CoinTemplate[] = [];
      subscription = n.templates$.subscribe((t) => seen.push(t));
      await n.start();
      chain.state = NEXT_STATE;
      chain.head = NEXT_HEAD;
      await waitFor(() => seen.length === 2);
      expect(seen.map((t) => [t.height, t.prevHash])).toEqual([
        [MINING_STATE.height, SESSION.prevHash],
        [MINING_STATE.height + 1, A2.header.slice(0, 64)],
      ]);
    });
  });

  describe('when the node is not synced', () => {
    it('makes start() fail after the attempts, saying so', async () => {
      chain.state = { ...MINING_STATE, synced: false };
      const n = make(serve, { startAttempts: 2 });
      await expect(n.start()).rejects.toThrow(`the warthog node at ${url} is not synced; Lode mines only on a synced node`);
      expect(mines()).toBe(2);
    });

    it('emits nothing while it syncs, logs it once, and resumes when it is synced', async () => {
      const logger = memoryLogger();
      const n = make(serve, { refreshMs: 60_000 }, logger);
      const seen: CoinTemplate[] = [];
      subscription = n.templates$.subscribe((t) => seen.push(t));
      await n.start();
      chain.head = { ...NEXT_HEAD, synced: false };
      chain.state = { ...NEXT_STATE, synced: false };
      await waitFor(() => mines() >= 4);
      expect(seen).toHaveLength(1);
      expect(logger.lines.filter((l) => l.level === 'warn').map((l) => l.msg)).toEqual([
        'the warthog node is not synced; no new templates until it is',
      ]);
      chain.head = NEXT_HEAD;
      chain.state = NEXT_STATE;
      await waitFor(() => seen.length === 2);
      expect(seen[1]?.height).toBe(NEXT_STATE.height);
      expect(logger.lines.some((l) => l.level === 'info' && l.msg === 'the warthog node is synced again')).toBe(true);
    });
  });

  describe('when polls fail', () => {
    it('logs one warning per streak, keeps the stream open and recovers', async () => {
      let failing = false;
      const logger = memoryLogger();
      const n = make((req) => (failing ? refused(1, 'database busy') : serve(req)), { refreshMs: 60_000 }, logger);
      const seen: CoinTemplate[] = [];
      let completed = false;
      subscription = n.templates$.subscribe({ next: (t) => seen.push(t), complete: () => (completed = true) });
      await n.start();
      failing = true;
      const before = fake.seen.length;
      await waitFor(() => fake.seen.length >= before + 4);
      chain.head = NEXT_HEAD;
      chain.state = NEXT_STATE;
      failing = false;
      await waitFor(() => seen.length === 2);
      const warnings = logger.lines.filter((l) => l.level === 'warn');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]?.obj).toMatchObject({ err: `warthog node at ${url} refused GET /chain/head: code 1 database busy` });
      expect(logger.lines.some((l) => l.level === 'info' && l.msg === 'the warthog node answers again')).toBe(true);
      expect(completed).toBe(false);
    });

    it('makes start() throw the last error after the start attempts', async () => {
      const n = make(() => refused(1, 'database busy'), { startAttempts: 3 });
      await expect(n.start()).rejects.toThrow(`warthog node at ${url} refused GET /chain/head: code 1 database busy`);
      expect(fake.seen).toHaveLength(3);
    });
  });

  describe('when a block is submitted', () => {
    it('posts {height, header, body} to /chain/append and reports the block id sha256d(header) (§6-E)', async () => {
      const n = make(serve, { refreshMs: 60_000 });
      await n.start();
      await expect(n.submitBlock(JSON.stringify(WINNING_BLOCK))).resolves.toEqual({ accepted: true, hash: SHARES[0].blockHash });
      expect(fake.seen.find((r) => r.path === '/chain/append')).toMatchObject({ method: 'POST', body: WINNING_BLOCK });
    });

    it('fetches the next template at once after an accepted block', async () => {
      const n = make(serve, { refreshMs: 60_000 });
      await n.start();
      await n.submitBlock(JSON.stringify(WINNING_BLOCK));
      await waitFor(() => mines() === 2);
      expect(mines()).toBe(2);
    });

    it("reports the node's refusal as the reason", async () => {
      const n = make((req) => (req.path === '/chain/append' ? refused(7, 'Invalid proof of work') : serve(req)));
      await n.start();
      await expect(n.submitBlock(JSON.stringify(WINNING_BLOCK))).resolves.toEqual({
        accepted: false,
        hash: SHARES[0].blockHash,
        reason: 'Invalid proof of work (code 7)',
      });
    });

    it('throws when the node cannot be reached (the block may be resubmitted)', async () => {
      const n = make((req) => (req.path === '/chain/append' ? { status: 502, body: 'Bad Gateway' } : serve(req)));
      await n.start();
      await expect(n.submitBlock(JSON.stringify(WINNING_BLOCK))).rejects.toThrow(
        expect.objectContaining({ kind: 'node' }) as unknown as Error,
      );
    });

    it('refuses what buildBlock cannot have written', async () => {
      const n = make(serve);
      await expect(n.submitBlock('not json')).rejects.toThrow(LodeError);
      await expect(n.submitBlock(JSON.stringify({ ...WINNING_BLOCK, header: 'ab' }))).rejects.toThrow(
        /the block to submit must be \{"height": uint32, "header": 160 lower-case hex/,
      );
    });
  });

  describe('when stopped', () => {
    it('completes templates$ and polls no more', async () => {
      const n = make(serve);
      let completed = false;
      subscription = n.templates$.subscribe({ complete: () => (completed = true) });
      await n.start();
      await n.stop();
      expect(completed).toBe(true);
      const after = fake.seen.length;
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(fake.seen.length).toBe(after);
    });

    it('refuses a malformed payout address at construction', () => {
      expect(() => new WarthogNode({ url }, 'xyz', memoryLogger())).toThrow(expect.objectContaining({ kind: 'config' }) as unknown as Error);
    });
  });
});
