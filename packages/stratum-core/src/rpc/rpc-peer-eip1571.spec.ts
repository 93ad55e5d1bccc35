import { firstValueFrom, Observable, ReplaySubject, Subject } from 'rxjs';
import { LodeError } from '../errors';
import { createLinePair } from '../transport/line-pair';
import type { CloseInfo, LineTransport } from '../transport/line-transport';
import { eip1571Codec, type Eip1571Params } from './eip1571-codec';
import { gzipLineCodec } from './gzip-line-codec';
import { RpcPeer } from './rpc-peer';

/**
 * A transport whose far side answers every EIP-1571 request at once with
 * `{"id":n}`, except the ids in `hold`; it records the ids it was sent.
 */
class AnsweringTransport implements LineTransport {
  readonly lines$: Observable<string>;
  readonly framingErrors$ = new Subject<LodeError>().asObservable();
  readonly closed$: Observable<CloseInfo>;
  readonly ids: number[] = [];
  readonly hold = new Set<number>();
  isClosed = false;
  private readonly lines = new Subject<string>();
  private readonly closed = new ReplaySubject<CloseInfo>(1);

  constructor() {
    this.lines$ = this.lines.asObservable();
    this.closed$ = this.closed.asObservable();
  }

  send(line: string): void {
    // JSON.parse rather than the codec: this runs 65538 times in one test.
    const { id } = JSON.parse(line) as { id: number };
    this.ids.push(id);
    if (!this.hold.has(id)) this.lines.next(`{"id":${id}}`);
  }

  /** Answers a held request now. */
  answer(id: number): void {
    this.hold.delete(id);
    this.lines.next(`{"id":${id}}`);
  }

  close(reason: string): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.closed.next({ reason, byPeer: false });
    this.closed.complete();
    this.lines.complete();
  }
}

/** Records the raw lines one end of a pair receives, before its peer decodes them. */
function tap(end: LineTransport): string[] {
  const seen: string[] = [];
  end.lines$.subscribe((line) => seen.push(line));
  return seen;
}

describe('RpcPeer with the EIP-1571 codec', () => {
  const peers: Array<RpcPeer<Eip1571Params>> = [];
  function track(peer: RpcPeer<Eip1571Params>): RpcPeer<Eip1571Params> {
    peers.push(peer);
    return peer;
  }

  afterEach(() => {
    for (const p of peers.splice(0)) p.close('test over');
  });

  describe('when request ids run from 0 to 65535', () => {
    it('wraps from 65535 to 0 and skips an id that still awaits a response', async () => {
      const transport = new AnsweringTransport();
      const peer = track(new RpcPeer(transport, eip1571Codec, { firstRequestId: 0, maxRequestId: 65535 }));
      transport.hold.add(1);
      const answered: Array<Promise<unknown>> = [peer.request('mining.noop', undefined)];
      const held = peer.request('mining.submit', ['bf0488aa', '68765fccd712', 'w-1']).catch((e: unknown) => e);
      expect(transport.ids).toEqual([0, 1]);
      for (let i = 0; i < 65536; i++) answered.push(peer.request('mining.noop', undefined));
      expect(transport.ids.slice(0, 3)).toEqual([0, 1, 2]);
      expect(transport.ids.slice(65534)).toEqual([65534, 65535, 0, 2]);
      expect(transport.ids.filter((id) => id === 1)).toHaveLength(1);
      await expect(Promise.all(answered)).resolves.toHaveLength(65537);
      expect(peer.pendingRequests).toBe(1);
      peer.close('test over');
      expect(LodeError.is(await held, 'connection')).toBe(true);
    });

    it('rejects a request when every id of a small range is pending, and reuses a freed one', async () => {
      const transport = new AnsweringTransport();
      const peer = track(new RpcPeer(transport, eip1571Codec, { firstRequestId: 0, maxRequestId: 2 }));
      for (const id of [0, 1, 2]) transport.hold.add(id);
      const pending = [0, 1, 2].map(() => peer.request('mining.noop', undefined).catch((e: unknown) => e));
      const err = await peer.request('mining.noop', undefined).catch((e: unknown) => e);
      expect(LodeError.is(err, 'connection')).toBe(true);
      expect((err as Error).message).toBe('no free request id: all 3 ids from 0 to 2 await a response');
      transport.answer(1);
      await expect(pending[1]).resolves.toBeUndefined();
      await expect(peer.request('mining.noop', undefined).catch((e: unknown) => e)).resolves.toBeUndefined();
      expect(transport.ids).toEqual([0, 1, 2, 1]);
      peer.close('test over');
      await Promise.all(pending);
    });

    it.each([
      [{ firstRequestId: -1 }, 'firstRequestId is -1, expected a safe integer >= 0'],
      [{ firstRequestId: 1.5 }, 'firstRequestId is 1.5, expected a safe integer >= 0'],
      [{ firstRequestId: 5, maxRequestId: 4 }, 'maxRequestId is 4, expected a safe integer >= firstRequestId (5)'],
    ])('refuses options %p with LodeError(config)', (options, message) => {
      const [a] = createLinePair();
      let thrown: unknown;
      try {
        new RpcPeer(a, eip1571Codec, options);
      } catch (e) {
        thrown = e;
      }
      a.close('test over');
      expect(LodeError.is(thrown, 'config')).toBe(true);
      expect((thrown as Error).message).toBe(message);
    });
  });

  describe('when responses take the EIP-1571 forms', () => {
    it('resolves {"id":n} with undefined and rejects a 202 Stale with its code', async () => {
      const [minerEnd, poolEnd] = createLinePair();
      const miner = track(new RpcPeer(minerEnd, eip1571Codec, { firstRequestId: 0, maxRequestId: 65535 }));
      const pool = track(new RpcPeer(poolEnd, eip1571Codec));
      const poolSaw = tap(poolEnd);
      const minerSaw = tap(minerEnd);
      pool.requests$.subscribe((req) => {
        if (req.id === 0) pool.respond(req.id, undefined);
        else pool.respondError(req.id, { code: 202, message: 'Stale' });
      });
      await expect(miner.request('mining.noop', undefined)).resolves.toBeUndefined();
      const err = await miner.request('mining.submit', ['bf0488aa', '68765fccd712', 'w-123']).catch((e: unknown) => e);
      expect(LodeError.is(err, 'protocol')).toBe(true);
      expect(err).toMatchObject({ message: 'Stale', code: 202 });
      expect(poolSaw).toEqual([
        '{"id":0,"method":"mining.noop"}',
        '{"id":1,"method":"mining.submit","params":["bf0488aa","68765fccd712","w-123"]}',
      ]);
      expect(minerSaw).toEqual(['{"id":0}', '{"id":1,"error":{"code":202,"message":"Stale"}}']);
    });

    it('emits an invalid line with the codec\'s code 400 and the id', async () => {
      const [minerEnd, poolEnd] = createLinePair();
      const pool = track(new RpcPeer(poolEnd, eip1571Codec));
      const invalid = firstValueFrom(pool.invalid$);
      minerEnd.send('{"id":7,"jsonrpc":"2.0","method":"mining.noop"}');
      await expect(invalid).resolves.toEqual({
        id: 7,
        code: 400,
        reason: 'member "jsonrpc" must be omitted in EthereumStratum/2.0.0',
        line: '{"id":7,"jsonrpc":"2.0","method":"mining.noop"}',
      });
      minerEnd.close('test over');
    });
  });

  describe('when the hello reply switches both sides to gzip', () => {
    it('sends the hello and its reply in plain text and every later line as base64 gzip', async () => {
      const [minerEnd, poolEnd] = createLinePair();
      const miner = track(new RpcPeer(minerEnd, eip1571Codec, { firstRequestId: 0, maxRequestId: 65535 }));
      const pool = track(new RpcPeer(poolEnd, eip1571Codec));
      const poolSaw = tap(poolEnd);
      const minerSaw = tap(minerEnd);
      const gzip = gzipLineCodec(eip1571Codec);
      const helloResult = {
        proto: 'EthereumStratum/2.0.0',
        encoding: 'gzip',
        resume: '0',
        timeout: 'b4',
        maxerrors: '5',
        node: 'lode-devnet/0.1.0',
      };

      pool.requests$.subscribe((req) => {
        if (req.method === 'mining.hello') {
          pool.respond(req.id, helloResult);
          pool.setCodec(gzip);
        } else if (req.method === 'mining.subscribe') {
          pool.respond(req.id, 's-1');
          pool.notify('mining.set', { epoch: '0', target: '00000000ffff', algo: 'ethash', extranonce: 'af4c' });
        }
      });
      const notified = firstValueFrom(miner.notifications$);

      const hello = { agent: 'lode-miner/0.1.0', host: 'localhost', port: 'd05', proto: 'EthereumStratum/2.0.0' };
      await expect(miner.request('mining.hello', hello)).resolves.toEqual(helloResult);
      expect(miner.codec).toBe(eip1571Codec);
      miner.setCodec(gzip);
      expect(miner.codec).toBe(gzip);
      await expect(miner.request('mining.subscribe', undefined)).resolves.toBe('s-1');
      await expect(notified).resolves.toEqual({
        method: 'mining.set',
        params: { epoch: '0', target: '00000000ffff', algo: 'ethash', extranonce: 'af4c' },
      });

      expect(poolSaw).toEqual([
        eip1571Codec.encodeRequest(0, 'mining.hello', hello),
        gzip.encodeRequest(1, 'mining.subscribe', undefined),
      ]);
      expect(minerSaw).toEqual([
        eip1571Codec.encodeResult(0, helloResult),
        gzip.encodeResult(1, 's-1'),
        gzip.encodeNotification('mining.set', { epoch: '0', target: '00000000ffff', algo: 'ethash', extranonce: 'af4c' }),
      ]);
      expect(minerSaw[1]).toMatch(/^H4sI[A-Za-z0-9+/]+=*$/);

      // A plain line after the switch is refused (the spec then has the pool close the connection).
      const invalid = firstValueFrom(pool.invalid$);
      minerEnd.send('{"id":2,"method":"mining.noop"}');
      await expect(invalid).resolves.toMatchObject({
        id: null,
        code: 400,
        reason: expect.stringMatching(/^expected a base64 gzip line \(encoding gzip\), got / ) as unknown,
      });
    });
  });
});
