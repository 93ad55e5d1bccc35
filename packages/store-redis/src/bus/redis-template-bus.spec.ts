import { Subject, type Subscription } from 'rxjs';
import type { BlockSubmitResult, CoinNode, CoinTemplate } from '@lode/plugin-api';
import { startTestRedis, type TestRedis } from '../testing/redis-server';
import type { RedisBusNode } from './redis-bus-node';
import { RedisTemplateBus, type RedisTemplateBusOptions } from './redis-template-bus';

/** One simulated chain that every fake node talks to. */
class FakeChain {
  current?: CoinTemplate;
  readonly nodes: FakeNode[] = [];
  push(template: CoinTemplate): void {
    this.current = template;
    for (const node of this.nodes) node.emit(template);
  }
}

/** A Subject-driven CoinNode that counts its starts and stops, and emits only while running. */
class FakeNode implements CoinNode {
  readonly templates$ = new Subject<CoinTemplate>();
  starts = 0;
  stops = 0;
  running = false;
  failStart = false;
  /** resolves start() only when this settles (a node that takes long to start) */
  startGate?: Promise<void>;
  readonly submitted: string[] = [];
  constructor(private readonly chain: FakeChain) {
    chain.nodes.push(this);
  }
  emit(template: CoinTemplate): void {
    if (this.running) this.templates$.next(template);
  }
  async start(): Promise<void> {
    this.starts++;
    if (this.startGate !== undefined) await this.startGate;
    if (this.failStart) throw new Error('node unreachable');
    this.running = true;
    if (this.chain.current !== undefined) this.templates$.next(this.chain.current);
  }
  async stop(): Promise<void> {
    this.stops++;
    this.running = false;
  }
  async submitBlock(blockHex: string): Promise<BlockSubmitResult> {
    this.submitted.push(blockHex);
    return { accepted: true, hash: '00'.repeat(32) };
  }
}

const PREV_A = '00000000000000000001a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7';
const PREV_B = '00000000000000000000ffeeddccbbaa99887766554433221100ffeeddccbbaa';
const TARGET = 0x00000000000000000004fa6e0000000000000000000000000000000000000000n;

function template(height: number, prevHash: string, tag = ''): CoinTemplate {
  return { height, prevHash, networkTarget: TARGET, raw: { height, previousblockhash: prevHash, tag, transactions: [] } };
}

/** Polls `check` every 10 ms; fails naming `check` after 20 s (a slow CI machine, not a hang). */
async function until(check: () => boolean | Promise<boolean>, timeoutMs = 20000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${check.toString()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** What a wrapped node emitted, recorded by a subscription ended in afterEach. */
interface Seen {
  node: RedisBusNode;
  fake: FakeNode;
  got: CoinTemplate[];
}

describe('RedisTemplateBus', () => {
  let redis: TestRedis;
  let chain: FakeChain;
  const nodes: RedisBusNode[] = [];
  const subscriptions: Subscription[] = [];

  const instance = (id: string, options: Partial<RedisTemplateBusOptions> = {}, fake = new FakeNode(chain)): Seen => {
    const bus = new RedisTemplateBus({ redis: redis.client(), instanceId: id, leaseMs: 600, ...options });
    const node = bus.wrap('btc', fake);
    nodes.push(node);
    const got: CoinTemplate[] = [];
    subscriptions.push(node.templates$.subscribe((t) => got.push(t)));
    return { node, fake, got };
  };
  const holders = (...seen: Seen[]): Seen[] => seen.filter((s) => s.node.holding);
  const last = (s: Seen): CoinTemplate | undefined => s.got[s.got.length - 1];
  const ids = (s: Seen): string[] => s.got.map((t) => t.jobId ?? '');

  beforeEach(async () => {
    redis = await startTestRedis();
    chain = new FakeChain();
  });
  afterEach(async () => {
    for (const s of subscriptions.splice(0)) s.unsubscribe();
    for (const n of nodes.splice(0)) await n.stop();
    await redis.stop();
  });

  describe('when two instances wrap the node of one coin', () => {
    it('starts the real node on only one of them', async () => {
      chain.push(template(100, PREV_A));
      const a = instance('a');
      const b = instance('b');
      await a.node.start();
      await b.node.start();
      expect(a.fake.starts + b.fake.starts).toBe(1);
      expect(holders(a, b)).toHaveLength(1);
      expect(await redis.client().get('lode:{btc}:bus:lease')).toBe(holders(a, b)[0] === a ? 'a' : 'b');
    });

    it('emits the same templates with the same hex job ids on both', async () => {
      chain.push(template(100, PREV_A));
      const a = instance('a');
      const b = instance('b');
      await a.node.start();
      await b.node.start();
      await until(() => a.got.length === 1 && b.got.length === 1);
      chain.push(template(101, PREV_B));
      await until(() => a.got.length === 2 && b.got.length === 2);
      chain.push(template(101, PREV_B, 'more transactions'));
      await until(() => a.got.length === 3 && b.got.length === 3);
      expect(ids(a)).toEqual(ids(b));
      expect(new Set(ids(a)).size).toBe(3);
      for (const id of ids(a)) expect(id).toMatch(/^[0-9a-f]+$/);
      expect(b.got.map((t) => [t.height, t.prevHash, t.networkTarget, t.raw])).toEqual(
        [template(100, PREV_A), template(101, PREV_B), template(101, PREV_B, 'more transactions')].map((t) => [
          t.height,
          t.prevHash,
          t.networkTarget,
          t.raw,
        ]),
      );
      // the job id is the hex of the bus sequence stored with the entry
      const entries = await redis.client().xrange('lode:{btc}:bus', '-', '+');
      expect(entries.map(([, fields]) => Number(fields[fields.indexOf('seq') + 1]).toString(16))).toEqual(ids(a));
    });

    it('sets clean on a new prevHash only', async () => {
      chain.push(template(100, PREV_A));
      const a = instance('a');
      const b = instance('b');
      await a.node.start();
      await b.node.start();
      for (const [n, t] of [template(100, PREV_A, 'refreshed'), template(101, PREV_B), template(101, PREV_B, 'refreshed')].entries()) {
        chain.push(t);
        await until(() => a.got.length === n + 2 && b.got.length === n + 2);
      }
      expect(a.got.map((t) => t.clean)).toEqual([true, false, true, false]);
      expect(b.got.map((t) => t.clean)).toEqual([true, false, true, false]);
    });
  });

  describe('when templates come faster than they are published', () => {
    it('publishes the newest, still clean when one skipped had the new prevHash', async () => {
      chain.push(template(100, PREV_A));
      const a = instance('a');
      await a.node.start();
      await until(() => a.got.length === 1);
      chain.push(template(101, PREV_B));
      chain.push(template(101, PREV_B, 'second'));
      chain.push(template(101, PREV_B, 'third'));
      await until(() => (last(a)?.raw as { tag: string }).tag === 'third');
      expect(a.got.map((t) => [(t.raw as { tag: string }).tag, t.clean])).toEqual([
        ['', true],
        ['', true],
        ['third', false],
      ]);
    });
  });

  describe('when Redis restarts empty', () => {
    it('has one instance take the lease again and publish at once, never repeating a job id', async () => {
      chain.push(template(100, PREV_A));
      // a lease long enough that a loaded 2-core machine renews it in time (no flapping between the two)
      const a = instance('a', { leaseMs: 1500 });
      const b = instance('b', { leaseMs: 1500 });
      await a.node.start();
      await b.node.start();
      await until(() => b.got.length === 1);
      const before = new Set(ids(b));
      await redis.kill();
      await redis.restart();
      await until(() => b.got.length === 2);
      expect(last(b)).toMatchObject({ height: 100, prevHash: PREV_A });
      expect(before.has(last(b)?.jobId ?? '')).toBe(false);
      expect(Number.parseInt(last(b)?.jobId ?? '0', 16)).toBeGreaterThan(Number.parseInt([...before][0], 16));
      // the lease vanished with the data: either instance may have taken it, never both for long
      await until(() => [a, b].filter((s) => s.fake.running).length === 1 && holders(a, b).length === 1);
    });
  });

  describe('when stopped while Redis is down', () => {
    it('still stops, the node included', async () => {
      chain.push(template(100, PREV_A));
      const a = instance('a');
      const b = instance('b');
      await a.node.start();
      await b.node.start();
      await redis.kill();
      // let both readers fall into reconnecting, where disconnect() settles nothing queued
      await new Promise((r) => setTimeout(r, 200));
      await Promise.all([a.node.stop(), b.node.stop()]);
      expect(a.fake.stops + b.fake.stops).toBe(1);
      expect(a.fake.running || b.fake.running).toBe(false);
    });
  });

  describe('when an instance starts after templates were published', () => {
    it('emits the current template at once, as clean', async () => {
      const a = instance('a');
      await a.node.start();
      chain.push(template(100, PREV_A));
      chain.push(template(100, PREV_A, 'refreshed'));
      await until(() => a.got.length === 2);
      const c = instance('c');
      await c.node.start();
      expect(c.got).toHaveLength(1);
      expect(c.got[0]).toMatchObject({ jobId: last(a)?.jobId, raw: template(100, PREV_A, 'refreshed').raw, clean: true });
      expect(c.fake.starts).toBe(0);
    });
  });

  describe('when the publisher stops', () => {
    it('releases the lease and the other instance takes over within leaseMs', async () => {
      chain.push(template(100, PREV_A));
      const a = instance('a', { leaseMs: 3000 });
      const b = instance('b', { leaseMs: 3000 });
      await a.node.start();
      await b.node.start();
      expect(a.node.holding).toBe(true);
      const stoppedAt = Date.now();
      await a.node.stop();
      expect(a.fake.stops).toBe(1);
      await until(() => b.fake.running);
      // released, not expired: the next lease try (every leaseMs / 3) wins
      expect(Date.now() - stoppedAt).toBeLessThan(3000);
      const before = b.got.length;
      chain.push(template(101, PREV_B));
      await until(() => b.got.length > before && last(b)?.height === 101);
      expect(last(b)?.clean).toBe(true);
      expect(ids(b)).toEqual([...new Set(ids(b))]);
    });
  });

  describe('when the publisher crashes', () => {
    it('lets another instance take over once the lease expires, and templates keep flowing', async () => {
      chain.push(template(100, PREV_A));
      const a = instance('a');
      const b = instance('b');
      await a.node.start();
      await b.node.start();
      a.node.crash();
      const pttl = await redis.client().pttl('lode:{btc}:bus:lease');
      expect(pttl).toBeGreaterThan(0);
      expect(pttl).toBeLessThanOrEqual(600);
      await until(() => b.fake.running);
      expect(await redis.client().get('lode:{btc}:bus:lease')).toBe('b');
      chain.push(template(101, PREV_B));
      await until(() => last(b)?.height === 101);
      expect(last(b)?.clean).toBe(true);
    });
  });

  describe('when no template comes for refreshIntervalMs', () => {
    it('republishes the current one with a new job id and clean false', async () => {
      chain.push(template(100, PREV_A));
      const a = instance('a', { refreshIntervalMs: 150 });
      const b = instance('b', { refreshIntervalMs: 150 });
      await a.node.start();
      await b.node.start();
      await until(() => b.got.length >= 3);
      expect(b.got.slice(0, 3).map((t) => [t.height, t.prevHash, t.raw, t.clean])).toEqual([
        [100, PREV_A, template(100, PREV_A).raw, true],
        [100, PREV_A, template(100, PREV_A).raw, false],
        [100, PREV_A, template(100, PREV_A).raw, false],
      ]);
      expect(new Set(ids(b).slice(0, 3)).size).toBe(3);
    });
  });

  describe('when a block is submitted', () => {
    it("goes through this instance's own node, publisher or not", async () => {
      chain.push(template(100, PREV_A));
      const a = instance('a');
      const b = instance('b');
      await a.node.start();
      await b.node.start();
      const [other] = [a, b].filter((s) => !s.node.holding);
      expect(await other.node.submitBlock('00ff')).toMatchObject({ accepted: true });
      expect(other.fake.submitted).toEqual(['00ff']);
    });
  });

  describe('when the lease is lost while the node runs', () => {
    it('stops the node, and for a second term uses createNode', async () => {
      const fresh: FakeNode[] = [];
      chain.push(template(100, PREV_A));
      const a = instance('a', { createNode: () => fresh[fresh.push(new FakeNode(chain)) - 1] });
      await a.node.start();
      const c = redis.client();
      await c.set('lode:{btc}:bus:lease', 'intruder', 'PX', 60_000);
      await until(() => !a.node.holding && a.fake.stops === 1);
      await c.del('lode:{btc}:bus:lease');
      await until(() => fresh.length === 1 && fresh[0].running);
      expect(a.fake.starts).toBe(1);
      chain.push(template(101, PREV_B));
      await until(() => last(a)?.height === 101);
    });
  });

  describe('when the node of the first publisher cannot start', () => {
    it('rejects start() and gives the lease back', async () => {
      const fake = new FakeNode(chain);
      fake.failStart = true;
      const a = instance('a', {}, fake);
      await expect(a.node.start()).rejects.toThrow('node unreachable');
      expect(await redis.client().exists('lode:{btc}:bus:lease')).toBe(0);
      expect(fake.stops).toBe(1);
    });
  });

  describe('when the node takes longer than leaseMs to start', () => {
    it('keeps the lease meanwhile', async () => {
      chain.push(template(100, PREV_A));
      let open = (): void => undefined;
      const slow = new FakeNode(chain);
      slow.startGate = new Promise((r) => (open = r));
      const a = instance('a', { leaseMs: 300 }, slow);
      const starting = a.node.start();
      await until(() => slow.starts === 1);
      const b = instance('b', { leaseMs: 300 });
      await b.node.start();
      // several lease periods pass while a's node is still starting
      await new Promise((r) => setTimeout(r, 1200));
      open();
      await starting;
      expect(b.fake.starts).toBe(0);
      expect(a.node.holding).toBe(true);
    });
  });

  describe('when a coin is wrapped twice on one bus', () => {
    it("throws LodeError('config') until the first is stopped", async () => {
      const bus = new RedisTemplateBus({ redis: redis.client(), instanceId: 'a' });
      const first = bus.wrap('btc', new FakeNode(chain));
      expect(() => bus.wrap('btc', new FakeNode(chain))).toThrow(expect.objectContaining({ kind: 'config' }));
      await first.stop();
      nodes.push(bus.wrap('btc', new FakeNode(chain)));
    });
  });
});
