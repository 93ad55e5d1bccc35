import { fakeCoin } from '../testing/fake-coin';
import { FakeUpstream } from '../testing/fake-upstream';
import { eventually } from '../testing/eventually';
import { RecordingLogger } from '../testing/recording-logger';
import type { DownstreamMiner } from './downstream-miner';
import type { OpenedSession } from './opened-session';
import { Router } from './router';
import type { Subscription } from './subscription';
import { UpstreamGroup } from './upstream-group';

const create = { remoteAddress: '127.0.0.1', port: 3333, initialDifficulty: 1 };
let now = 1_700_000_000_000;
const clock = (): number => now;
const routers: Router[] = [];

afterEach(async () => {
  for (const r of routers.splice(0)) await r.stop('test over');
});

/** A downstream miner as a port would be: moves by opening a session on the target group. */
class FakeMiner implements DownstreamMiner {
  readonly moves: string[] = [];
  readonly reconnects: string[] = [];
  opened: OpenedSession | undefined;

  constructor(
    readonly id: string,
    readonly acceptsExtranonceChange: boolean,
    private readonly router: Router,
  ) {}

  get subscription(): Subscription | undefined {
    return this.opened?.subscription;
  }

  /** the group it mines on */
  get on(): string | undefined {
    return this.opened?.subscription.group;
  }

  async join(): Promise<this> {
    this.opened = await this.router.openSession(this, create, {});
    return this;
  }

  async moveTo(group: UpstreamGroup): Promise<void> {
    const opened = await group.openSession(create, {});
    void this.opened?.session.close({ abandon: true });
    this.opened = opened;
    this.moves.push(group.name);
  }

  reconnect(reason: string): void {
    this.reconnects.push(reason);
    void this.opened?.session.close({ abandon: true });
    this.opened = undefined;
    this.router.release(this);
  }
}

function group(name: string, upstream: FakeUpstream, priority: number, weight = 1): UpstreamGroup {
  return new UpstreamGroup({
    upstream: { name, url: 'stratum+tcp://127.0.0.1:1', user: 'proxy.main', password: 'x', priority, weight, dialect: 'bitcoin' },
    connector: upstream.connector,
    plugin: fakeCoin(),
    credentials: 'proxy',
    userAgent: 'lode-proxy/test',
    connectTimeoutMs: 1000,
    emptyGraceMs: 3_600_000,
    backoffMinMs: 1000,
    backoffMaxMs: 1000,
    clock,
  });
}

async function router(groups: UpstreamGroup[], logger = new RecordingLogger()): Promise<Router> {
  const r = new Router(groups, { failbackSeconds: 30, healthCheckSeconds: 0, logger, clock });
  routers.push(r);
  r.start();
  await eventually(() => groups.every((g) => g.healthy), 'every upstream up');
  return r;
}

async function miners(r: Router, count: number, subscribed = true): Promise<FakeMiner[]> {
  const out: FakeMiner[] = [];
  for (let i = 0; i < count; i++) out.push(await new FakeMiner(`m${i}`, subscribed, r).join());
  return out;
}

describe('Router', () => {
  describe('when upstreams have priorities', () => {
    it('sends new miners to the best healthy priority', async () => {
      const r = await router([group('backup', new FakeUpstream(0xb0, 8), 1), group('primary', new FakeUpstream(0xa0, 8), 0)]);
      const ms = await miners(r, 3);
      expect(ms.map((m) => m.on)).toEqual(['primary', 'primary', 'primary']);
    });
  });

  describe('when upstreams of one priority have weights', () => {
    it('spreads new miners by weight: 3 to 1 gives 6 and 2 of 8', async () => {
      const r = await router([group('big', new FakeUpstream(0xa0, 8), 0, 3), group('small', new FakeUpstream(0xb0, 8), 0, 1)]);
      const ms = await miners(r, 8);
      // (miners + 1) / weight, ties to the first: big, big, big, small, big, big, big, small
      expect(ms.map((m) => m.on)).toEqual(['big', 'big', 'big', 'small', 'big', 'big', 'big', 'small']);
    });
  });

  describe('when the active upstream dies', () => {
    it('moves miners that take extranonce changes to the next healthy one and tells the others to reconnect', async () => {
      const primaryPool = new FakeUpstream(0xa0, 8);
      const logger = new RecordingLogger();
      const primary = group('primary', primaryPool, 0);
      const backup = group('backup', new FakeUpstream(0xb0, 8), 1);
      const r = await router([primary, backup], logger);
      const [a, b] = await miners(r, 2);
      const c = await new FakeMiner('c', false, r).join();

      primaryPool.down();
      await eventually(() => a.moves.length === 1 && b.moves.length === 1, 'the moves');
      expect([a.on, b.on]).toEqual(['backup', 'backup']);
      expect(a.opened?.result.extranonce1.subarray(0, 4).toString('hex')).toBe('b0000001');
      expect(c.reconnects).toEqual(['failover to backup']);
      expect(r.minerCount).toBe(2);
      expect(logger.messages()).toContain('failover to backup');
      // a miner that reconnects now lands on the backup too
      expect((await new FakeMiner('c2', false, r).join()).on).toBe('backup');
    });

    it('keeps miners waiting when no upstream is healthy, and moves them when one comes up', async () => {
      const primaryPool = new FakeUpstream(0xa0, 8);
      const primary = group('primary', primaryPool, 0);
      const r = await router([primary]);
      const [a] = await miners(r, 1);
      primaryPool.down();
      await eventually(() => primary.state === 'down', 'the retry to fail');
      expect(a.moves).toEqual([]);
      await expect(new FakeMiner('late', true, r).join()).rejects.toThrow('no upstream is available; try again later');
      primaryPool.recover();
      now += 1000;
      r.check();
      await eventually(() => a.moves.length === 1, 'the move onto the reconnected upstream');
      expect(a.opened?.result.extranonce1.subarray(0, 4).toString('hex')).toBe('a0000002');
    });
  });

  describe('when a better upstream comes back', () => {
    it('fails back after it has been healthy for failbackSeconds', async () => {
      const primaryPool = new FakeUpstream(0xa0, 8);
      const logger = new RecordingLogger();
      const primary = group('primary', primaryPool, 0);
      const backup = group('backup', new FakeUpstream(0xb0, 8), 1);
      const r = await router([primary, backup], logger);
      const [a] = await miners(r, 1);
      const b = await new FakeMiner('b', false, r).join();

      primaryPool.down();
      await eventually(() => a.moves.length === 1, 'the failover');
      const b2 = await new FakeMiner('b2', false, r).join();
      expect(b.reconnects).toHaveLength(1);
      expect([a.on, b2.on]).toEqual(['backup', 'backup']);

      primaryPool.recover();
      now += 1000;
      r.check();
      await eventually(() => primary.healthy, 'the primary reconnected');
      // healthy again, but not for 30 s yet: nobody moves, new miners still go to the backup
      r.check();
      expect(a.moves).toEqual(['backup']);
      expect((await new FakeMiner('b3', false, r).join()).on).toBe('backup');

      now += 30_000;
      r.check();
      await eventually(() => a.moves.length === 2, 'the fail-back');
      expect(a.on).toBe('primary');
      expect(b2.reconnects).toEqual(['fail-back to primary']);
      expect(logger.messages()).toContain('fail-back to primary');
      expect((await new FakeMiner('b4', false, r).join()).on).toBe('primary');
    });
  });

  describe('when the upstream moves a link to another extranonce', () => {
    it('moves the miners on it to the fresh subscription of the same upstream', async () => {
      const pool = new FakeUpstream(0xa0, 8);
      const primary = group('primary', pool, 0);
      const r = await router([primary]);
      const [a] = await miners(r, 1);
      const c = await new FakeMiner('c', false, r).join();
      pool.links[0].setExtranonce(Buffer.from('c0ffee01', 'hex'), 8);
      await eventually(() => a.moves.length === 1, 'the move');
      expect(a.opened?.subscription.id).toBe('primary#2');
      expect(a.opened?.result.extranonce1.subarray(0, 4).toString('hex')).toBe('c0ffee01');
      expect(c.reconnects).toEqual(['upstream extranonce changed']);
    });
  });
});
