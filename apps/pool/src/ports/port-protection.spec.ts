import { BanManager, type BanEvent, type PoolEngine } from '@lode/pool-engine';
import { silentLogger, type RefusedConnection } from '@lode/stratum-core';
import { BitcoinPort } from './bitcoin-port';
import { EthStratumPort } from './ethstratum-port';
import { capturingLogger, LineMiner, manualClock, proxyV1, proxyV2, rejectingEngine, testPortConfig, type LogEntry } from './protection.test-helper';
import type { StratumPort } from './stratum-port';
import { WarthogPort } from './warthog-port';

/** a BanManager with no allow-list (the tests connect from 127.0.0.1) and every rule off unless given */
function banList(rules: ConstructorParameters<typeof BanManager>[0] = {}): { bans: BanManager; events: BanEvent[] } {
  const bans = new BanManager({ allowList: [], invalidShares: false, malformedMessages: false, authFailures: false, connectionRate: false, ...rules });
  const events: BanEvent[] = [];
  bans.bans$.subscribe((e) => events.push(e));
  return { bans, events };
}

describe('pool port protection (issue 10)', () => {
  const engines: PoolEngine[] = [];
  const ports: StratumPort[] = [];
  const miners: LineMiner[] = [];

  async function engine(dialect: 'bitcoin' | 'warthog' | 'ethstratum', extranonce1Size?: number): Promise<PoolEngine> {
    const e = await rejectingEngine(dialect, extranonce1Size);
    engines.push(e);
    return e;
  }

  async function listen<P extends StratumPort>(port: P): Promise<{ port: P; at: number; refused: RefusedConnection[] }> {
    ports.push(port);
    const refused: RefusedConnection[] = [];
    port.refused$.subscribe((r) => refused.push(r));
    return { port, at: (await port.listen()).port, refused };
  }

  async function miner(at: number, preamble?: Buffer | string): Promise<LineMiner> {
    const m = await LineMiner.open(at, preamble);
    miners.push(m);
    return m;
  }

  /** subscribe + authorize on a Stratum v1 or Warthog port; resolves with the first job's id */
  async function handshake(m: LineMiner, worker = 'w'): Promise<string> {
    m.send({ id: 1, method: 'mining.subscribe', params: ['test/1'] });
    m.send({ id: 2, method: 'mining.authorize', params: [worker, 'x'] });
    const notify = await m.until((l) => l['method'] === 'mining.notify');
    return (notify['params'] as string[])[0] as string;
  }

  afterEach(async () => {
    for (const m of miners.splice(0)) m.close();
    for (const p of ports.splice(0)) {
      p.closeAll('test over');
      p.dispose?.();
      await p.stopAccepting();
    }
    for (const e of engines.splice(0)) await e.stop();
  });

  describe('BitcoinPort: reject escalation (ckpool: 60 s, 120 s, 180 s)', () => {
    it('re-sends the job clean, then sends client.reconnect, then drops a session whose shares are all invalid', async () => {
      const clock = manualClock();
      const { bans } = banList();
      const { at } = await listen(new BitcoinPort(testPortConfig('bitcoin'), await engine('bitcoin'), silentLogger, false, 0, { protection: { bans, escalation: { now: clock.now } } }));
      const m = await miner(at);
      const jobId = await handshake(m);
      const submit = async (id: number, nonce: string): Promise<Record<string, unknown>> => {
        m.send({ id, method: 'mining.submit', params: ['w', jobId, '00000000', '5f5e1000', nonce] });
        return m.until((l) => l['id'] === id);
      };

      clock.at(0);
      expect(await submit(10, '00000001')).toMatchObject({ id: 10, result: null, error: [23, expect.any(String), null] });
      clock.at(59);
      const beforeResend = m.lines.length;
      await submit(11, '00000002');
      expect(m.lines.slice(beforeResend).filter((l) => l['method'] === 'mining.notify')).toEqual([]);

      clock.at(60);
      await submit(12, '00000003');
      const resent = await m.until((l) => l['method'] === 'mining.notify', beforeResend);
      expect((resent['params'] as unknown[])[0]).toBe(jobId);
      expect((resent['params'] as unknown[])[8]).toBe(true);

      clock.at(120);
      const beforeReconnect = m.lines.length;
      await submit(13, '00000004');
      expect(await m.until((l) => l['method'] === 'client.reconnect', beforeReconnect)).toEqual({ id: null, method: 'client.reconnect', params: [] });
      expect(m.isClosed).toBe(false);

      clock.at(180);
      m.send({ id: 14, method: 'mining.submit', params: ['w', jobId, '00000000', '5f5e1000', '00000005'] });
      await m.closed;
      expect(m.lines.some((l) => l['id'] === 14)).toBe(false);
    });
  });

  describe('BitcoinPort: bans', () => {
    it('refuses a banned address on connect', async () => {
      const { bans } = banList();
      const { at, refused } = await listen(new BitcoinPort(testPortConfig('bitcoin'), await engine('bitcoin'), silentLogger, false, 0, { protection: { bans } }));
      bans.ban('127.0.0.1', 60, 'test');
      const m = await miner(at);
      m.send({ id: 1, method: 'mining.subscribe', params: [] });
      await m.closed;
      expect(m.lines).toEqual([]);
      expect(refused).toEqual([{ peer: { address: '127.0.0.1', port: expect.any(Number) }, kind: 'admit', reason: expect.stringMatching(/^banned until .* \(manual: test\)$/) }]);
    });

    it('bans on failed authorisations, closing the connection and refusing the next', async () => {
      const { bans, events } = banList({ authFailures: { max: 2, windowSeconds: 60, banSeconds: 60 } });
      const { at } = await listen(new BitcoinPort(testPortConfig('bitcoin'), await engine('bitcoin'), silentLogger, false, 0, { protection: { bans } }));
      const m = await miner(at);
      m.send({ id: 1, method: 'mining.subscribe', params: [] });
      const tooLong = 'w'.repeat(200); // the engine refuses worker names over 128 characters
      for (const id of [2, 3]) {
        m.send({ id, method: 'mining.authorize', params: [tooLong, 'x'] });
        expect(await m.until((l) => l['id'] === id)).toMatchObject({ result: null, error: [24, expect.any(String), null] });
      }
      m.send({ id: 4, method: 'mining.authorize', params: [tooLong, 'x'] });
      await m.closed;
      expect(events).toEqual([{ address: '127.0.0.1', rule: 'auth-failures', until: expect.any(Number), reason: 'more than 2 failed authorisations in 60 s' }]);
      const next = await miner(at);
      await next.closed;
    });

    it('bans on malformed messages and closes the address’s sessions on every port', async () => {
      const { bans, events } = banList({ malformedMessages: { max: 3, windowSeconds: 60, banSeconds: 60 } });
      const one = await listen(new BitcoinPort(testPortConfig('bitcoin'), await engine('bitcoin'), silentLogger, false, 0, { protection: { bans } }));
      const two = await listen(new WarthogPort(testPortConfig('warthog'), await engine('warthog'), silentLogger, false, { protection: { bans } }));
      const working = await miner(one.at);
      await handshake(working);
      const noisy = await miner(two.at);
      noisy.send('this is not json');
      noisy.send({ id: 1, method: 'mining.frobnicate', params: [] });
      noisy.send({ id: 2, method: 'mining.authorize', params: [] });
      const replies = await Promise.all([1, 2].map((id) => noisy.until((l) => l['id'] === id)));
      expect(replies.map((r) => (r['error'] as unknown[])[0])).toEqual([-32601, -32602]);
      expect(events).toEqual([]);
      noisy.send({ id: 3, method: 'mining.frobnicate', params: [] });
      await Promise.all([noisy.closed, working.closed]);
      expect(events).toEqual([{ address: '127.0.0.1', rule: 'malformed-messages', until: expect.any(Number), reason: 'more than 3 malformed messages in 60 s' }]);
    });

    it('counts the connection rate per address at admission', async () => {
      const { bans, events } = banList({ connectionRate: { max: 2, windowSeconds: 60, banSeconds: 60 } });
      const { at } = await listen(new BitcoinPort(testPortConfig('bitcoin'), await engine('bitcoin'), silentLogger, false, 0, { protection: { bans } }));
      const first = await miner(at);
      const second = await miner(at);
      await Promise.all([handshake(first), handshake(second)]);
      const third = await miner(at);
      await Promise.all([first.closed, second.closed, third.closed]);
      expect(events.map((e) => e.rule)).toEqual(['connection-rate']);
    });
  });

  describe('BitcoinPort: connection limits', () => {
    it('holds at most maxConnectionsPerAddress connections from one address', async () => {
      const { at, refused } = await listen(new BitcoinPort(testPortConfig('bitcoin', { maxConnectionsPerAddress: 2 }), await engine('bitcoin'), silentLogger, false, 0));
      const first = await miner(at);
      const second = await miner(at);
      await Promise.all([handshake(first), handshake(second)]);
      const third = await miner(at);
      await third.closed;
      expect(refused.map((r) => r.kind)).toEqual(['address-full']);
      expect(first.isClosed || second.isClosed).toBe(false);
      first.close();
      await first.closed;
      // a slot is free again once the pool saw the close
      for (let i = 0; ; i++) {
        const again = await miner(at);
        again.send({ id: 1, method: 'mining.subscribe', params: [] });
        const answered = await Promise.race([again.until((l) => l['id'] === 1).then(() => true), again.closed.then(() => false)]).catch(() => false);
        if (answered) break;
        if (i > 20) throw new Error('no slot freed');
      }
    });

    it('holds at most maxConnections connections on the port', async () => {
      const { at, refused } = await listen(new BitcoinPort(testPortConfig('bitcoin', { maxConnections: 1 }), await engine('bitcoin'), silentLogger, false, 0));
      const first = await miner(at);
      await handshake(first);
      const second = await miner(at);
      await second.closed;
      expect(refused.map((r) => r.kind)).toEqual(['port-full']);
    });
  });

  describe.each([
    ['v1', (src: string, srcPort: number) => proxyV1(src, '127.0.0.1', srcPort, 3333)],
    ['v2', (src: string, srcPort: number) => proxyV2(src, '127.0.0.1', srcPort, 3333)],
  ] as const)('BitcoinPort behind PROXY protocol %s', (version, header) => {
    it("logs and bans the header's source address, not the proxy's", async () => {
      const entries: LogEntry[] = [];
      const { bans, events } = banList({ malformedMessages: { max: 1, windowSeconds: 60, banSeconds: 60 } });
      const { at, refused } = await listen(
        new BitcoinPort(testPortConfig('bitcoin', { proxyProtocol: version }), await engine('bitcoin'), capturingLogger(entries), false, 0, { protection: { bans } }),
      );
      const m = await miner(at, header('203.0.113.7', 40000));
      await handshake(m);
      const subscribed = entries.find((e) => e.msg === 'miner subscribed');
      expect(subscribed?.fields['remote']).toBe('203.0.113.7:40000');

      m.send('garbage');
      m.send('more garbage');
      await m.closed;
      expect(events).toEqual([{ address: '203.0.113.7', rule: 'malformed-messages', until: expect.any(Number), reason: 'more than 1 malformed messages in 60 s' }]);
      expect(bans.isBanned('127.0.0.1')).toBe(false);

      // the same source is refused on connect; another one behind the same proxy is not
      const again = await miner(at, header('203.0.113.7', 40001));
      await again.closed;
      expect(refused).toEqual([{ peer: { address: '203.0.113.7', port: 40001 }, kind: 'admit', reason: expect.stringMatching(/^banned until /) }]);
      const other = await miner(at, header('203.0.113.8', 40002));
      await handshake(other);
    });

    it('refuses a connection without the header', async () => {
      const { at, refused } = await listen(new BitcoinPort(testPortConfig('bitcoin', { proxyProtocol: version }), await engine('bitcoin'), silentLogger, false, 0));
      const m = await miner(at);
      m.send({ id: 1, method: 'mining.subscribe', params: [] });
      await m.closed;
      expect(m.lines).toEqual([]);
      expect(refused.map((r) => r.kind)).toEqual(['proxy-header']);
    });
  });

  describe('WarthogPort: reject escalation', () => {
    it('re-sends the job clean, then sends client.reconnect, then drops', async () => {
      const clock = manualClock();
      const escalation = { now: clock.now, resendWorkSeconds: 1, reconnectSeconds: 2, dropSeconds: 3 };
      const { at } = await listen(new WarthogPort(testPortConfig('warthog'), await engine('warthog'), silentLogger, false, { protection: { escalation } }));
      const m = await miner(at);
      const jobId = await handshake(m);
      const submit = async (id: number, nonce: string): Promise<void> => {
        m.send({ id, method: 'mining.submit', params: [jobId, '000000000000', '66f2fefb', nonce] });
        await m.until((l) => l['id'] === id && l['error'] !== null);
      };
      clock.at(0);
      await submit(10, '00000001');
      clock.at(1);
      const before = m.lines.length;
      await submit(11, '00000002');
      const resent = await m.until((l) => l['method'] === 'mining.notify', before);
      expect((resent['params'] as unknown[])[0]).toBe(jobId);
      expect((resent['params'] as unknown[])[6]).toBe(true);
      clock.at(2);
      await submit(12, '00000003');
      expect(await m.until((l) => l['method'] === 'client.reconnect')).toEqual({ id: null, method: 'client.reconnect', params: [] });
      clock.at(3);
      m.send({ id: 13, method: 'mining.submit', params: [jobId, '000000000000', '66f2fefb', '00000004'] });
      await m.closed;
    });
  });

  describe('EthStratumPort: reject escalation', () => {
    const escalationFor = (clock: ReturnType<typeof manualClock>) => ({ now: clock.now, resendWorkSeconds: 1, reconnectSeconds: 2, dropSeconds: 3 });

    it('EthereumStratum/2.0.0: job again clean, then mining.reconnect to this port', async () => {
      const clock = manualClock();
      const { at } = await listen(
        new EthStratumPort(testPortConfig('ethstratum'), await engine('ethstratum', 2), 1n << 256n, silentLogger, false, { protection: { escalation: escalationFor(clock) } }),
      );
      const m = await miner(at);
      m.send({ id: 0, method: 'mining.hello', params: { agent: 'test/1', host: '127.0.0.1', port: 'd05', proto: 'EthereumStratum/2.0.0' } });
      m.send({ id: 1, method: 'mining.subscribe' });
      m.send({ id: 2, method: 'mining.authorize', params: ['rig1', 'x'] });
      const token = (await m.until((l) => l['id'] === 2))['result'] as string;
      const notify = await m.until((l) => l['method'] === 'mining.notify');
      const jobId = (notify['params'] as string[])[0] as string;
      const submit = async (id: number, nonce: string): Promise<void> => {
        m.send({ id, method: 'mining.submit', params: [jobId, nonce, token] });
        await m.until((l) => l['id'] === id);
      };
      clock.at(0);
      await submit(10, '000000000001');
      clock.at(1);
      const before = m.lines.length;
      await submit(11, '000000000002');
      const resent = await m.until((l) => l['method'] === 'mining.notify', before);
      expect(resent['params']).toEqual([jobId, expect.any(String), expect.any(String), '1']);
      clock.at(2);
      await submit(12, '000000000003');
      expect(await m.until((l) => l['method'] === 'mining.reconnect')).toEqual({
        method: 'mining.reconnect',
        params: { host: '127.0.0.1', port: at.toString(16), resume: '1' },
      });
    });

    it('EthereumStratum/1.0.0 has no reconnect: the reconnect step drops the connection', async () => {
      const clock = manualClock();
      const { at } = await listen(
        new EthStratumPort(testPortConfig('ethstratum'), await engine('ethstratum', 2), 1n << 256n, silentLogger, false, { protection: { escalation: escalationFor(clock) } }),
      );
      const m = await miner(at);
      m.send({ id: 1, method: 'mining.subscribe', params: ['test/1', 'EthereumStratum/1.0.0'] });
      m.send({ id: 2, method: 'mining.authorize', params: ['rig1', 'x'] });
      const notify = await m.until((l) => l['method'] === 'mining.notify');
      const jobId = (notify['params'] as string[])[0] as string;
      const submit = (id: number, nonce: string): void => m.send({ id, method: 'mining.submit', params: ['rig1', jobId, nonce] });
      clock.at(0);
      submit(10, '000000000001');
      await m.until((l) => l['id'] === 10);
      clock.at(1);
      const before = m.lines.length;
      submit(11, '000000000002');
      await m.until((l) => l['id'] === 11);
      const resent = await m.until((l) => l['method'] === 'mining.notify', before);
      expect((resent['params'] as unknown[])[0]).toBe(jobId);
      expect((resent['params'] as unknown[])[3]).toBe(true);
      clock.at(2);
      submit(12, '000000000003');
      await m.closed;
      expect(m.lines.some((l) => l['method'] === 'client.reconnect' || l['method'] === 'mining.reconnect')).toBe(false);
    });
  });

  describe('malformed messages, as the dialect sessions report them', () => {
    it('tells the port\'s malformed observer each one once, by kind, and never a rejected share (Stratum v1)', async () => {
      const kinds: string[] = [];
      const { at } = await listen(new BitcoinPort(testPortConfig('bitcoin'), await engine('bitcoin'), silentLogger, false, 0, { protection: { malformed: (k) => kinds.push(k) } }));
      const m = await miner(at);
      const jobId = await handshake(m);
      m.send({ id: 3, method: 'mining.submit', params: ['w', jobId, '00000000', '504e86b9', '00000001'] });
      expect(await m.until((l) => l['id'] === 3)).toMatchObject({ result: null, error: [23, expect.any(String), null] });
      m.send('{"id":4,"method":"mining.submit","params":[');
      m.send({ id: 5, method: 'mining.frobnicate', params: [] });
      m.send({ id: 6, method: 'mining.submit', params: ['w'] });
      m.send({ id: 7, params: [] });
      expect(await m.until((l) => l['id'] === 7)).toMatchObject({ error: [-32600, expect.any(String), null] });
      // JSON-RPC 2.0 §5.1: -32700 parse error, -32601 method not found, -32602 invalid params, -32600 invalid request
      expect(kinds).toEqual(['not-json', 'unknown-method', 'bad-params', 'not-request']);
    });

    it('counts plain stratum\'s unanswerable lines too (an id-less message, a line that is not JSON), which the error counters could not tell from share rejections', async () => {
      const { bans, events } = banList({ malformedMessages: { max: 2, windowSeconds: 60, banSeconds: 60 } });
      const kinds: string[] = [];
      const { at } = await listen(
        new EthStratumPort(testPortConfig('ethstratum'), await engine('ethstratum', 2), 1n << 256n, silentLogger, false, { protection: { bans, malformed: (k) => kinds.push(k) } }),
      );
      const m = await miner(at);
      m.send({ id: 1, method: 'mining.subscribe', params: [] });
      await m.until((l) => l['id'] === 1);
      m.send({ method: 'mining.frobnicate', params: [] });
      m.send('not json');
      m.send({ id: 2, method: 'mining.frobnicate', params: [] });
      await m.closed;
      expect(kinds).toEqual(['notification', 'not-json', 'unknown-method']);
      expect(events.map((e) => [e.address, e.rule, e.reason])).toEqual([['127.0.0.1', 'malformed-messages', 'more than 2 malformed messages in 60 s']]);
    });
  });

  describe('EthStratumPort: malformed messages', () => {
    it('counts first lines no dialect starts with toward the malformed-message ban', async () => {
      const { bans, events } = banList({ malformedMessages: { max: 2, windowSeconds: 60, banSeconds: 60 } });
      const { at } = await listen(new EthStratumPort(testPortConfig('ethstratum'), await engine('ethstratum', 2), 1n << 256n, silentLogger, false, { protection: { bans } }));
      const m = await miner(at);
      m.send({ id: 1, method: 'nonsense', params: [] });
      m.send({ id: 2, method: 'nonsense', params: [] });
      await m.until((l) => l['id'] === 2);
      m.send({ id: 3, method: 'nonsense', params: [] });
      await m.closed;
      expect(events.map((e) => [e.address, e.rule])).toEqual([['127.0.0.1', 'malformed-messages']]);
    });

    it('counts EthereumStratum/1.0.0 unknown methods and wrong params (error 20), not its rejected shares', async () => {
      const { bans, events } = banList({ malformedMessages: { max: 2, windowSeconds: 60, banSeconds: 60 } });
      const { at } = await listen(new EthStratumPort(testPortConfig('ethstratum'), await engine('ethstratum', 2), 1n << 256n, silentLogger, false, { protection: { bans } }));
      const m = await miner(at);
      m.send({ id: 1, method: 'mining.subscribe', params: ['test/1', 'EthereumStratum/1.0.0'] });
      m.send({ id: 2, method: 'mining.authorize', params: ['rig1', 'x'] });
      const jobId = ((await m.until((l) => l['method'] === 'mining.notify'))['params'] as string[])[0] as string;
      for (const [id, nonce] of [[3, '000000000001'], [4, '000000000002'], [5, '000000000003']] as const) {
        m.send({ id, method: 'mining.submit', params: ['rig1', jobId, nonce] });
        expect(await m.until((l) => l['id'] === id)).toMatchObject({ result: null, error: [23, expect.any(String), null] });
      }
      m.send({ id: 6, method: 'mining.frobnicate', params: [] });
      m.send({ id: 7, method: 'mining.submit', params: ['rig1'] });
      const replies = await Promise.all([6, 7].map((id) => m.until((l) => l['id'] === id)));
      expect(replies.map((r) => (r['error'] as unknown[])[0])).toEqual([20, 20]);
      expect(events).toEqual([]);
      m.send({ id: 8, method: 'mining.frobnicate', params: [] });
      await m.closed;
      expect(events.map((e) => [e.address, e.rule, e.reason])).toEqual([['127.0.0.1', 'malformed-messages', 'more than 2 malformed messages in 60 s']]);
    });
  });
});
