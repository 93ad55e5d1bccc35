import { firstValueFrom, ReplaySubject, Subject, take, toArray } from 'rxjs';
import { LodeError } from '../errors';
import { createLinePair } from '../transport/line-pair';
import type { CloseInfo, LineSink, LineTransport } from '../transport/line-transport';
import { classicCodec } from './classic-codec';
import { RpcPeer, type RpcPeerOptions } from './rpc-peer';

describe('RpcPeer', () => {
  let client: RpcPeer;
  let server: RpcPeer;
  let clientEnd: LineTransport;
  let serverEnd: LineTransport;

  function setup(options: RpcPeerOptions = {}): void {
    [clientEnd, serverEnd] = createLinePair();
    client = new RpcPeer(clientEnd, classicCodec, options);
    server = new RpcPeer(serverEnd, classicCodec);
  }

  afterEach(() => {
    client.close('test over');
    server.close('test over');
  });

  describe('when a request is answered with a result', () => {
    it('delivers the request with ids 1, 2, … and resolves with the result', async () => {
      setup();
      const seen: Array<{ id: number | string; method: string; params: unknown[] }> = [];
      server.requests$.subscribe((req) => {
        seen.push(req);
        server.respond(req.id, [req.method, req.params.length]);
      });
      await expect(client.request('mining.subscribe', ['cpuminer/2.5.1'])).resolves.toEqual(['mining.subscribe', 1]);
      await expect(client.request('mining.authorize', ['w', 'x'])).resolves.toEqual(['mining.authorize', 2]);
      expect(seen.map((r) => r.id)).toEqual([1, 2]);
      expect(server.counters.requestsIn).toBe(2);
      expect(client.counters.responsesIn).toBe(2);
      expect(client.pendingRequests).toBe(0);
    });

    it('matches responses that arrive out of order', async () => {
      setup();
      const held: Array<number | string> = [];
      server.requests$.subscribe((req) => {
        held.push(req.id);
        if (held.length === 2) {
          server.respond(held[1], 'second');
          server.respond(held[0], 'first');
        }
      });
      await expect(Promise.all([client.request('a', []), client.request('b', [])])).resolves.toEqual([
        'first',
        'second',
      ]);
    });
  });

  describe('when the peer answers with an error', () => {
    it('rejects with LodeError(protocol) carrying the code and data', async () => {
      setup();
      server.requests$.subscribe((req) => server.respondError(req.id, { code: 21, message: 'Job not found', data: 'j9' }));
      const err = await client.request('mining.submit', ['w', 'j9', '00', '00', '00']).catch((e: unknown) => e);
      expect(LodeError.is(err, 'protocol')).toBe(true);
      expect(err).toMatchObject({ message: 'Job not found', code: 21, data: 'j9' });
    });
  });

  describe('when notifications are exchanged', () => {
    it('delivers them on notifications$', async () => {
      setup();
      const got = firstValueFrom(client.notifications$);
      server.notify('mining.set_difficulty', [0.001]);
      await expect(got).resolves.toEqual({ method: 'mining.set_difficulty', params: [0.001] });
      expect(client.counters.notificationsIn).toBe(1);
    });
  });

  describe('when no response arrives in time', () => {
    it('rejects with LodeError(connection) naming the method, id and timeout', async () => {
      setup({ requestTimeoutMs: 20 });
      const err = await client.request('mining.subscribe', []).catch((e: unknown) => e);
      expect(LodeError.is(err, 'connection')).toBe(true);
      expect((err as Error).message).toBe('mining.subscribe (id 1) got no response within 20 ms');
      expect(client.pendingRequests).toBe(0);
    });

    it('surfaces a late response on invalid$', async () => {
      setup();
      const req = firstValueFrom(server.requests$);
      await expect(client.request('slow', [], 5).catch((e: unknown) => (e as Error).message)).resolves.toMatch(
        'got no response within 5 ms',
      );
      const invalid = firstValueFrom(client.invalid$);
      server.respond((await req).id, true);
      await expect(invalid).resolves.toEqual({
        id: 1,
        reason: 'response id 1 matches no pending request',
        line: '{"id":1,"result":true,"error":null}',
      });
    });
  });

  describe('when the connection closes with requests pending', () => {
    it('rejects them, emits closed$ and completes every stream', async () => {
      setup();
      const requestsDone = firstValueFrom(client.requests$.pipe(toArray()));
      const notificationsDone = firstValueFrom(client.notifications$.pipe(toArray()));
      const invalidDone = firstValueFrom(client.invalid$.pipe(toArray()));
      const pending = client.request('mining.subscribe', []).catch((e: unknown) => e);
      const closed = firstValueFrom(client.closed$);
      server.close('shutting down');
      const err = await pending;
      expect(LodeError.is(err, 'connection')).toBe(true);
      expect((err as Error).message).toBe('mining.subscribe (id 1) got no response: connection closed (shutting down)');
      await expect(closed).resolves.toEqual({ reason: 'shutting down', byPeer: true });
      await expect(Promise.all([requestsDone, notificationsDone, invalidDone])).resolves.toEqual([[], [], []]);
      expect(client.isClosed).toBe(true);
    });

    it('rejects new requests at once and drops writes silently', async () => {
      setup();
      client.close('done');
      await expect(client.request('x', [])).rejects.toThrow('cannot send x: connection closed (done)');
      expect(() => {
        client.notify('n', []);
        client.respond(1, true);
        client.respondError(1, { code: 20, message: 'x' });
      }).not.toThrow();
      await expect(firstValueFrom(client.closed$)).resolves.toEqual({ reason: 'done', byPeer: false });
    });
  });

  describe('when an owner is linked by handle()', () => {
    it('calls it just before each stream, the close once, and takes only one owner', async () => {
      setup();
      const seen: string[] = [];
      const linked = server.handle({
        request: (req) => seen.push(`handler request ${req.method} ${req.id}`),
        notification: (n) => seen.push(`handler notification ${n.method}`),
        invalid: (bad) => seen.push(`handler invalid ${bad.reason}`),
        closed: (info) => seen.push(`handler closed ${info.reason}`),
      });
      expect(linked).toBe(true);
      expect(server.handle({ request: () => 0, notification: () => 0, invalid: () => 0, closed: () => 0 })).toBe(false);
      server.requests$.subscribe({ next: (req) => seen.push(`requests$ ${req.id}`), complete: () => seen.push('requests$ complete') });
      server.closed$.subscribe((info) => seen.push(`closed$ ${info.reason}`));
      void client.request('mining.subscribe', []).catch(() => undefined);
      client.notify('mining.suggest_difficulty', [0.5]);
      clientEnd.send('not json');
      client.close('bye');
      await firstValueFrom(server.closed$);
      expect(seen).toEqual([
        'handler request mining.subscribe 1',
        'requests$ 1',
        'handler notification mining.suggest_difficulty',
        expect.stringMatching(/^handler invalid /),
        'handler closed bye',
        'closed$ bye',
        'requests$ complete',
      ]);
    });

    it('tells an owner linked after the close at once, and streams first read then are complete', async () => {
      setup();
      server.close('gone');
      const closed: string[] = [];
      server.handle({ request: () => 0, notification: () => 0, invalid: () => 0, closed: (info) => closed.push(info.reason) });
      expect(closed).toEqual(['gone']);
      await expect(firstValueFrom(server.closed$)).resolves.toEqual({ reason: 'gone', byPeer: false });
      await expect(firstValueFrom(server.requests$.pipe(toArray()))).resolves.toEqual([]);
      await expect(firstValueFrom(server.invalid$.pipe(toArray()))).resolves.toEqual([]);
    });
  });

  describe('when watchers are added by watch()', () => {
    it('calls them after the owner and before the streams, in the order added, and drops them on close', async () => {
      setup();
      const seen: string[] = [];
      server.handle({
        request: (req) => seen.push(`handler request ${req.id}`),
        notification: (n) => seen.push(`handler notification ${n.method}`),
        invalid: () => seen.push('handler invalid'),
        closed: (info) => seen.push(`handler closed ${info.reason}`),
      });
      server.watch({
        request: (req) => seen.push(`A request ${req.method} ${req.id}`),
        notification: (n) => seen.push(`A notification ${n.method}`),
        invalid: (bad) => seen.push(`A invalid ${bad.id}`),
        closed: (info) => seen.push(`A closed ${info.reason}`),
      });
      // only some callbacks: the others are skipped
      server.watch({ request: (req) => seen.push(`B request ${req.id}`), closed: () => seen.push('B closed') });
      server.requests$.subscribe((req) => seen.push(`requests$ ${req.id}`));
      server.invalid$.subscribe((bad) => seen.push(`invalid$ ${bad.id}`));
      server.closed$.subscribe((info) => seen.push(`closed$ ${info.reason}`));
      void client.request('mining.subscribe', []).catch(() => undefined);
      client.notify('mining.suggest_difficulty', [0.5]);
      clientEnd.send('{"id":7,"method":5}');
      client.close('bye');
      await firstValueFrom(server.closed$);
      expect(seen).toEqual([
        'handler request 1',
        'A request mining.subscribe 1',
        'B request 1',
        'requests$ 1',
        'handler notification mining.suggest_difficulty',
        'A notification mining.suggest_difficulty',
        'handler invalid',
        'A invalid 7',
        'invalid$ 7',
        'handler closed bye',
        'A closed bye',
        'B closed',
        'closed$ bye',
      ]);
    });

    it('stops calling a watcher once its unwatch function ran, even from inside a callback', async () => {
      setup();
      const seen: string[] = [];
      const unwatchA = server.watch({
        request: (req) => {
          seen.push(`A ${req.id}`);
          unwatchA();
          unwatchA(); // idempotent
        },
      });
      const unwatchB = server.watch({ request: (req) => seen.push(`B ${req.id}`), closed: () => seen.push('B closed') });
      const done = firstValueFrom(server.requests$.pipe(take(2), toArray()));
      void client.request('one', []).catch(() => undefined);
      void client.request('two', []).catch(() => undefined);
      await done;
      unwatchB();
      client.close('bye');
      await firstValueFrom(server.closed$);
      expect(seen).toEqual(['A 1', 'B 1', 'B 2']);
    });

    it('tells a watcher added after the close at once and keeps it no longer', async () => {
      setup();
      server.close('gone');
      const seen: string[] = [];
      const unwatch = server.watch({ closed: (info) => seen.push(`closed ${info.reason}`) });
      expect(seen).toEqual(['closed gone']);
      expect(() => unwatch()).not.toThrow();
    });
  });

  describe('when the transport reports a framing error', () => {
    it('passes it to the owner before framingErrors$ on a transport without attach, and stops at the close', async () => {
      const framing = new Subject<LodeError>();
      const closed = new ReplaySubject<CloseInfo>(1);
      const transport: LineTransport = {
        lines$: new Subject<string>(),
        framingErrors$: framing,
        closed$: closed,
        isClosed: false,
        send: () => undefined,
        close: () => undefined,
      };
      const peer = new RpcPeer(transport, classicCodec);
      const seen: string[] = [];
      peer.handle({
        request: () => 0,
        notification: () => 0,
        invalid: () => 0,
        closed: (info) => seen.push(`closed ${info.reason}`),
        framingError: (err) => seen.push(`handler ${err.message}`),
      });
      peer.framingErrors$.subscribe((err) => seen.push(`framingErrors$ ${err.message}`));
      framing.next(new LodeError('framing', 'line over 64 bytes'));
      closed.next({ reason: 'line over 64 bytes', byPeer: false });
      framing.next(new LodeError('framing', 'after the close'));
      expect(seen).toEqual([
        'handler line over 64 bytes',
        'framingErrors$ line over 64 bytes',
        'closed line over 64 bytes',
        'framingErrors$ after the close',
      ]);
    });

    it('passes it to the owner from a transport it is attached to', () => {
      let sink: LineSink | undefined;
      const transport: LineTransport = {
        lines$: new Subject<string>(),
        framingErrors$: new Subject<LodeError>(),
        closed$: new ReplaySubject<CloseInfo>(1),
        isClosed: false,
        send: () => undefined,
        close: () => undefined,
        attach: (s) => {
          sink = s;
          return true;
        },
      };
      const peer = new RpcPeer(transport, classicCodec);
      const seen: string[] = [];
      // before an owner is linked: nobody to tell
      sink?.framingError?.(new LodeError('framing', 'early'));
      peer.handle({ request: () => 0, notification: () => 0, invalid: () => 0, closed: () => 0, framingError: (err) => seen.push(err.message) });
      sink?.framingError?.(new LodeError('framing', 'line over 64 bytes'));
      expect(seen).toEqual(['line over 64 bytes']);
    });
  });

  describe('when a line cannot be decoded', () => {
    it('emits it on invalid$ with the id when one was readable', async () => {
      setup();
      const invalid = firstValueFrom(server.invalid$.pipe(toArray()));
      clientEnd.send('not json');
      clientEnd.send('{"id":5,"method":"mining.submit","params":{}}');
      clientEnd.close('bye');
      const got = await invalid;
      expect(got).toHaveLength(2);
      expect(got[0]).toMatchObject({ id: null, line: 'not json' });
      expect(got[0].reason).toMatch(/^invalid JSON: /);
      expect(got[1]).toEqual({
        id: 5,
        reason: 'params of mining.submit is an object, expected an array',
        line: '{"id":5,"method":"mining.submit","params":{}}',
      });
      expect(server.counters.invalidIn).toBe(2);
    });
  });

  describe('when a response matches no request', () => {
    it('emits it on invalid$', async () => {
      setup();
      const invalid = firstValueFrom(client.invalid$);
      serverEnd.send('{"id":99,"result":true,"error":null}');
      await expect(invalid).resolves.toEqual({
        id: 99,
        reason: 'response id 99 matches no pending request',
        line: '{"id":99,"result":true,"error":null}',
      });
    });
  });

  describe('when maxPendingRequests are already pending', () => {
    it('rejects the next request at once', async () => {
      setup({ maxPendingRequests: 2 });
      const first = client.request('a', []).catch(() => undefined);
      const second = client.request('b', []).catch(() => undefined);
      await expect(client.request('c', [])).rejects.toThrow(
        'cannot send c: 2 requests already await a response, the cap is 2',
      );
      expect(client.pendingRequests).toBe(2);
      client.close('test over');
      await Promise.all([first, second]);
    });
  });

  describe('when the transport is closed before the peer is built', () => {
    it('starts closed', async () => {
      [clientEnd, serverEnd] = createLinePair();
      clientEnd.close('early');
      client = new RpcPeer(clientEnd, classicCodec);
      server = new RpcPeer(serverEnd, classicCodec);
      expect(client.isClosed).toBe(true);
      await expect(firstValueFrom(client.closed$)).resolves.toEqual({ reason: 'early', byPeer: false });
    });
  });
});
