import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { Subject } from 'rxjs';
import { LodeError } from '../errors';
import type { CloseInfo, LineTransport } from '../transport/line-transport';
import { classicCodec, jsonRpc2Codec } from './classic-codec';
import { eip1571Codec } from './eip1571-codec';
import type { Eip1571Params } from './eip1571-codec';
import { gzipLineCodec } from './gzip-line-codec';
import type { RpcCodec, RpcMessage } from './messages';
import { RpcPeer } from './rpc-peer';

/*
 * Property-based tests of every JSON-RPC codec's decoder (fast-check): any
 * line decodes to one well-formed RpcMessage and nothing throws (the
 * RpcCodec contract), valid messages and their mutations included, and what
 * an encoder writes decodes back to what it was given. FUZZ_RUNS sets the
 * cases per property (default below); FUZZ_SEED replays a failure.
 */
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 300);
const SEED = process.env['FUZZ_SEED'] === undefined ? undefined : Number(process.env['FUZZ_SEED']);
const params = (numRuns = RUNS): fc.Parameters<unknown> => (SEED === undefined ? { numRuns } : { numRuns, seed: SEED });

const ethProxyCodec = jsonRpc2Codec({ pushMethod: 'eth_pushWork' });
const gzipCodec = gzipLineCodec(eip1571Codec);

type AnyCodec = RpcCodec<unknown[]> | RpcCodec<Eip1571Params>;
const CODECS: ReadonlyArray<[string, AnyCodec]> = [
  ['classicCodec', classicCodec],
  ['jsonRpc2Codec', ethProxyCodec],
  ['eip1571Codec', eip1571Codec],
  ['gzipLineCodec(eip1571Codec)', gzipCodec],
];

function isRpcId(id: unknown): boolean {
  return id === null || typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id));
}

/** The RpcMessage contract (messages.ts) for codec `name`; throws a readable assertion otherwise. */
function expectWellFormed(name: string, msg: RpcMessage<unknown>): void {
  const eip = name.startsWith('eip1571') || name.startsWith('gzip');
  switch (msg.type) {
    case 'request':
      expect(typeof msg.id === 'string' || (typeof msg.id === 'number' && Number.isFinite(msg.id))).toBe(true);
      if (eip) expect(Number.isInteger(msg.id) && (msg.id as number) >= 0 && (msg.id as number) <= 65535).toBe(true);
      expect(typeof msg.method).toBe('string');
      expect(msg.method.length).toBeGreaterThan(0);
      if (eip) expect(msg.params === undefined || typeof msg.params === 'string' || typeof msg.params === 'object').toBe(true);
      else expect(Array.isArray(msg.params)).toBe(true);
      return;
    case 'notification':
      expect(typeof msg.method).toBe('string');
      expect(msg.method.length).toBeGreaterThan(0);
      if (!eip) expect(Array.isArray(msg.params)).toBe(true);
      return;
    case 'response':
      expect(isRpcId(msg.id)).toBe(true);
      if (msg.error !== null) {
        expect(typeof msg.error.code).toBe('number');
        expect(Number.isFinite(msg.error.code)).toBe(true);
        expect(typeof msg.error.message).toBe('string');
      }
      return;
    case 'invalid':
      expect(isRpcId(msg.id)).toBe(true);
      expect(typeof msg.reason).toBe('string');
      if (eip) expect(msg.code).toBe(400);
      return;
    default:
      throw new Error(`${name} decoded to an unknown type: ${JSON.stringify(msg)}`);
  }
}

function decodeEverywhere(line: string): void {
  for (const [name, codec] of CODECS) {
    let msg: RpcMessage<unknown>;
    try {
      msg = codec.decode(line) as RpcMessage<unknown>;
    } catch (e) {
      throw new Error(`${name}.decode threw on ${JSON.stringify(line)}: ${(e as Error).stack}`);
    }
    expectWellFormed(name, msg);
  }
}

/** Valid messages of every dialect, as miners and pools send them (facts/bitcoin-stratum.md, facts/ethash.md §1). */
const VALID: readonly Record<string, unknown>[] = [
  { id: 1, method: 'mining.subscribe', params: ['cpuminer/2.5.1'] },
  { id: 2, method: 'mining.authorize', params: ['alice.rig1', 'x'] },
  { id: 4, method: 'mining.submit', params: ['alice.rig1', 'b125552', '00000000', '4dd7f5c7', '9546a142'] },
  { id: null, method: 'mining.set_difficulty', params: [0.001] },
  { id: 2, result: true, error: null },
  { id: 4, result: null, error: [21, 'Job not found', null] },
  { id: 0, method: 'mining.hello', params: { agent: 'ethminer-0.19.0', host: 'eth.pool.example', port: '4d2', proto: 'EthereumStratum/2.0.0' } },
  { id: 1, method: 'mining.subscribe' },
  { id: 31, method: 'mining.submit', params: ['bf0488aa', '68765fccd712', 'w-1'] },
  { method: 'mining.set', params: { epoch: 'dc', target: '112e0be826d694b2e62d01511f12a6061fbaec8bc02357593e70e52ba', algo: 'ethash', extranonce: 'af4c' } },
  { id: 31, error: { code: 406, message: 'Bad nonce' } },
  { id: 1, jsonrpc: '2.0', method: 'eth_submitLogin', params: ['0xb85150eb365e7df0941f0cf08235f987ba91506a'], worker: 'rig1' },
  { id: 0, jsonrpc: '2.0', result: ['0x' + 'ab'.repeat(32), '0x' + '00'.repeat(32), '0x' + '0f'.repeat(32)] },
];

/** Arbitrary JSON values, plus the values hostile peers like: huge numbers, long hex, prototype keys. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(
    1e308,
    -1e308,
    Number.MAX_SAFE_INTEGER + 2,
    -1,
    0.5,
    65536,
    '',
    'zz',
    '0x',
    'f'.repeat(65),
    '__proto__',
    'constructor',
    { __proto__: null },
    [],
    [[]],
    { code: 'x' },
    true,
    false,
  ),
);
const hostileKey = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('id', 'method', 'params', 'result', 'error', 'jsonrpc', 'worker', '__proto__', 'constructor', 'toString', 'hasOwnProperty'),
);

type Mutation = { op: 'drop'; key: string } | { op: 'set'; key: string; value: unknown } | { op: 'retype'; key: string; value: unknown };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  hostileKey.map((key) => ({ op: 'drop' as const, key })),
  fc.tuple(hostileKey, hostileValue).map(([key, value]) => ({ op: 'set' as const, key, value })),
  fc.tuple(fc.constantFrom('id', 'method', 'params', 'result', 'error'), hostileValue).map(([key, value]) => ({ op: 'retype' as const, key, value })),
);

/** Applies mutations to a copy of `msg`; keys are defined as own properties ("__proto__" included). */
function mutate(msg: Record<string, unknown>, mutations: readonly Mutation[]): Record<string, unknown> {
  const out: Record<string, unknown> = Object.fromEntries(Object.entries(msg));
  for (const m of mutations) {
    if (m.op === 'drop') delete out[m.key];
    else Object.defineProperty(out, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

describe('RPC codecs (fuzz)', () => {
  describe('when a line is arbitrary text', () => {
    it('every codec decodes it to one well-formed message and never throws', () => {
      fc.assert(
        fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }), fc.base64String({ maxLength: 200 })), (line) =>
          decodeEverywhere(line),
        ),
        params(),
      );
    });
  });

  describe('when a line is arbitrary JSON', () => {
    it('every codec decodes it to one well-formed message and never throws', () => {
      fc.assert(
        fc.property(fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.dictionary(hostileKey, hostileValue, { maxKeys: 6 })), (value) =>
          decodeEverywhere(JSON.stringify(value)),
        ),
        params(),
      );
    });

    it('a deeply nested line does not exhaust the stack', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 5000 }), fc.constantFrom('[', '{"a":'), (depth, open) => {
          const close = open === '[' ? ']' : '}';
          decodeEverywhere(`{"id":1,"method":"m","params":${open.repeat(depth)}1${close.repeat(depth)}}`);
        }),
        params(Math.min(RUNS, 50)),
      );
    });
  });

  describe('when a valid message is mutated (fields dropped, retyped, added)', () => {
    it('every codec still decodes it to one well-formed message, and gzip-wrapped lines too', () => {
      fc.assert(
        fc.property(fc.constantFrom(...VALID), fc.array(mutation, { minLength: 1, maxLength: 4 }), (msg, mutations) => {
          const line = JSON.stringify(mutate(msg, mutations));
          decodeEverywhere(line);
          const gz = gzipCodec.decode(gzipSync(Buffer.from(line, 'utf8')).toString('base64'));
          expectWellFormed('gzip', gz as RpcMessage<unknown>);
        }),
        params(),
      );
    });
  });

  describe('when the classic codecs encode a message with extra members', () => {
    it('decode gives back the same id, method, params and extra members', () => {
      const extraKey = hostileKey.filter((k) => !['id', 'method', 'params', 'result', 'error', 'jsonrpc'].includes(k));
      fc.assert(
        fc.property(
          fc.constantFrom('classic', 'json-rpc-2.0'),
          fc.string({ minLength: 1, maxLength: 20 }).filter((m) => m !== 'eth_pushWork'),
          fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }),
          fc.uniqueArray(fc.tuple(extraKey, fc.jsonValue({ maxDepth: 1 })), { selector: ([k]) => k, minLength: 1, maxLength: 4 }),
          (which, method, ps, extraEntries) => {
            const codec = which === 'classic' ? classicCodec : ethProxyCodec;
            const extra = Object.fromEntries(extraEntries);
            const line = codec.encodeNotification(method, ps, extra);
            const back = codec.decode(line);
            const normalized = JSON.parse(JSON.stringify({ ps, extra: extraEntries.map(([k, v]) => [k, v]) })) as { ps: unknown[]; extra: [string, unknown][] };
            expect(back.type).toBe('notification');
            if (back.type !== 'notification') return;
            expect(back.method).toBe(method);
            expect(back.params).toEqual(normalized.ps);
            const byKey = (a: [string, unknown], b: [string, unknown]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
            expect(Object.entries(back.extra ?? {}).sort(byKey)).toEqual(normalized.extra.sort(byKey));
          },
        ),
        params(),
      );
    });
  });

  describe('regression: a top-level "__proto__" member replaced the prototype of the extra members', () => {
    it('keeps "__proto__" as an own extra member and reads nothing through it (EthProxy "worker")', () => {
      const line = '{"id":1,"method":"eth_submitLogin","params":["0xb85150eb365e7df0941f0cf08235f987ba91506a"],"__proto__":{"worker":"evil"}}';
      for (const codec of [classicCodec, ethProxyCodec]) {
        const msg = codec.decode(line);
        expect(msg.type).toBe('request');
        if (msg.type !== 'request') return;
        const extra = msg.extra as Record<string, unknown>;
        expect(Object.keys(extra)).toEqual(['__proto__']);
        expect(Object.getPrototypeOf(extra)).toBe(Object.prototype);
        expect(extra['worker']).toBeUndefined();
        expect(Object.getOwnPropertyDescriptor(extra, '__proto__')?.value).toEqual({ worker: 'evil' });
      }
    });

    it('writes an own "__proto__" extra member on the wire instead of dropping it', () => {
      const extra: Record<string, unknown> = {};
      Object.defineProperty(extra, '__proto__', { value: 'x', enumerable: true });
      expect(classicCodec.encodeNotification('m', [], extra)).toBe('{"id":null,"method":"m","params":[],"__proto__":"x"}');
    });
  });

  describe('when the EIP-1571 codecs encode requests', () => {
    it('either throw LodeError(protocol) or write a line that decodes back to the same request', () => {
      fc.assert(
        fc.property(
          fc.constantFrom('eip1571', 'gzip'),
          fc.oneof(fc.integer({ min: 0, max: 65535 }), hostileValue),
          fc.oneof(fc.constantFrom('mining.hello', 'mining.submit', 'mining.set'), fc.string({ maxLength: 20 })),
          fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 2 }), hostileValue),
          (which, id, method, p) => {
            const codec = which === 'gzip' ? gzipCodec : eip1571Codec;
            let line: string;
            try {
              line = codec.encodeRequest(id as number, method, p as Eip1571Params);
            } catch (e) {
              expect(LodeError.is(e, 'protocol')).toBe(true);
              return;
            }
            const back = codec.decode(line);
            // JSON has no -0: an id of -0 is written, and read back, as 0
            const wireId: unknown = JSON.parse(JSON.stringify(id));
            expect(back).toEqual(
              p === undefined
                ? { type: 'request', id: wireId, method, params: undefined }
                : { type: 'request', id: wireId, method, params: JSON.parse(JSON.stringify(p)) },
            );
          },
        ),
        params(),
      );
    });
  });

  describe('when an RpcPeer reads arbitrary lines', () => {
    it('never throws, routes every line to exactly one stream, and completes every stream on close', () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...CODECS.map(([name]) => name)),
          fc.array(fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom(...VALID).map((m) => JSON.stringify(m)), fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v))), {
            maxLength: 30,
          }),
          (name, lines) => {
            const codec = (CODECS.find(([n]) => n === name) as [string, AnyCodec])[1];
            const transport = new FakeTransport();
            const peer = new RpcPeer(transport, codec as RpcCodec<unknown>);
            let routed = 0;
            let completed = 0;
            const done = { complete: () => completed++ };
            peer.requests$.subscribe({ next: () => routed++, ...done });
            peer.notifications$.subscribe({ next: () => routed++, ...done });
            peer.invalid$.subscribe({ next: () => routed++, ...done });
            for (const line of lines) transport.receive(line);
            const { requestsIn, notificationsIn, invalidIn } = peer.counters;
            // A response matches no pending request here, so it is routed to invalid$ as well.
            expect(routed).toBe(lines.length);
            expect(requestsIn + notificationsIn + invalidIn).toBe(lines.length);
            transport.close('test over');
            expect(completed).toBe(3);
            expect(peer.isClosed).toBe(true);
          },
        ),
        params(),
      );
    });
  });
});

/** A synchronous LineTransport: `receive` delivers a line at once. */
class FakeTransport implements LineTransport {
  readonly linesSubject = new Subject<string>();
  readonly lines$ = this.linesSubject.asObservable();
  readonly framingErrors$ = new Subject<LodeError>().asObservable();
  private readonly closedSubject = new Subject<CloseInfo>();
  readonly closed$ = this.closedSubject.asObservable();
  isClosed = false;
  readonly sent: string[] = [];

  receive(line: string): void {
    this.linesSubject.next(line);
  }

  send(line: string): void {
    if (!this.isClosed) this.sent.push(line);
  }

  close(reason: string): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.closedSubject.next({ reason, byPeer: false });
    this.closedSubject.complete();
    this.linesSubject.complete();
  }
}
