import { fakeCoin } from '../testing/fake-coin';
import { FakeUpstream } from '../testing/fake-upstream';
import { eventually } from '../testing/eventually';
import { UpstreamGroup, type UpstreamGroupEvent } from './upstream-group';

const create = { remoteAddress: '127.0.0.1', port: 3333, initialDifficulty: 1 };
const groups: UpstreamGroup[] = [];
let now = 1_700_000_000_000;

afterEach(async () => {
  for (const g of groups.splice(0)) await g.stop('test over');
});

function group(upstream: FakeUpstream, name = 'primary'): { group: UpstreamGroup; events: UpstreamGroupEvent[] } {
  const g = new UpstreamGroup({
    upstream: { name, url: 'stratum+tcp://127.0.0.1:1', user: 'proxy.main', password: 'x', priority: 0, weight: 1, dialect: 'bitcoin' },
    connector: upstream.connector,
    plugin: fakeCoin(),
    credentials: 'proxy',
    userAgent: 'lode-proxy/test',
    connectTimeoutMs: 1000,
    emptyGraceMs: 60_000,
    backoffMinMs: 1000,
    backoffMaxMs: 8000,
    clock: () => now,
  });
  groups.push(g);
  const events: UpstreamGroupEvent[] = [];
  g.events$.subscribe((e) => events.push(e));
  return { group: g, events };
}

function kinds(events: UpstreamGroupEvent[]): string[] {
  return events.map((e) => (e.type === 'lost' ? `lost ${e.subscription.id}` : e.type === 'moved' ? `moved ${e.from.id}->${e.to.id}` : e.type));
}

describe('UpstreamGroup', () => {
  describe('when it starts', () => {
    it('connects one subscription and says up', async () => {
      const upstream = new FakeUpstream(0xa0, 8);
      const { group: g, events } = group(upstream);
      g.start();
      await eventually(() => g.healthy, 'the first subscription');
      expect(g.state).toBe('up');
      expect(kinds(events)).toEqual(['up']);
      expect(g.subscriptions.map((s) => [s.id, s.extranonce1.toString('hex'), s.suffixBytes])).toEqual([['primary#1', 'a0000001', 4]]);
    });
  });

  describe('when every subscription is full', () => {
    it('opens a second upstream connection for the next miner', async () => {
      // 4 bytes of upstream extranonce2: no suffix, one miner per subscription
      const upstream = new FakeUpstream(0xa0, 4);
      const { group: g } = group(upstream);
      g.start();
      const first = await g.openSession(create, {});
      expect(upstream.links).toHaveLength(1);
      const second = await g.openSession(create, {});
      expect(upstream.links).toHaveLength(2);
      expect([first.subscription.id, first.result.extranonce1.toString('hex')]).toEqual(['primary#1', 'a0000001']);
      expect([second.subscription.id, second.result.extranonce1.toString('hex')]).toEqual(['primary#2', 'a0000002']);
      expect(g.minerCount).toBe(2);
    });

    it('closes an extra subscription that stayed empty for the grace period, keeping the first', async () => {
      const upstream = new FakeUpstream(0xa0, 4);
      const { group: g } = group(upstream);
      g.start();
      const first = await g.openSession(create, {});
      const second = await g.openSession(create, {});
      await second.session.close();
      await first.session.close();
      g.check(now);
      now += 60_000;
      g.check(now);
      await eventually(() => upstream.live.length === 1, 'the extra link closed');
      expect(upstream.links[1].closedWith).toBe('no miners');
      expect(g.subscriptions.map((s) => s.id)).toEqual(['primary#1']);
    });
  });

  describe('when the upstream goes down', () => {
    it('says lost and down, and reconnects with backoff', async () => {
      const upstream = new FakeUpstream(0xa0, 8);
      const { group: g, events } = group(upstream);
      g.start();
      const opened = await g.openSession(create, {});
      upstream.down();
      expect(kinds(events)).toEqual(['up', 'lost primary#1', 'down']);
      // the lost subscription stays until its miner has moved away
      expect(g.subscriptions.map((s) => [s.id, s.alive])).toEqual([['primary#1', false]]);
      await eventually(() => g.state === 'down', 'the immediate retry to fail');
      expect(g.lastFailure).toBe('connect refused: pool down');
      upstream.recover();
      g.check(now + 999);
      expect(g.state).toBe('down');
      g.check(now + 1000);
      await eventually(() => g.healthy, 'the reconnect');
      expect(kinds(events)).toEqual(['up', 'lost primary#1', 'down', 'up']);
      await opened.session.close();
      g.check(now + 1000);
      await eventually(() => g.subscriptions.length === 1, 'the drained subscription dropped');
      expect(g.subscriptions.map((s) => [s.id, s.alive, s.extranonce1.toString('hex')])).toEqual([['primary#2', true, 'a0000002']]);
    });
  });

  describe('when the upstream changes a link\'s extranonce', () => {
    it('retires the subscription and serves the same link with a fresh one', async () => {
      const upstream = new FakeUpstream(0xa0, 8);
      const { group: g, events } = group(upstream);
      g.start();
      const opened = await g.openSession(create, {});
      upstream.links[0].setExtranonce(Buffer.from('c0ffee01', 'hex'), 6);
      await eventually(() => events.some((e) => e.type === 'moved'), 'the moved event');
      expect(kinds(events)).toEqual(['up', 'moved primary#1->primary#2']);
      const [old, fresh] = g.subscriptions;
      expect([old.alive, fresh.alive]).toEqual([false, true]);
      expect([fresh.extranonce1.toString('hex'), fresh.extranonce2Size, fresh.suffixBytes]).toEqual(['c0ffee01', 6, 2]);
      expect(fresh.link).toBe(old.link);
      await opened.session.close();
      g.check(now);
      await eventually(() => g.subscriptions.length === 1, 'the retired subscription dropped');
      // the link stays: the fresh subscription uses it
      expect(upstream.links[0].closedWith).toBeUndefined();
    });
  });
});
