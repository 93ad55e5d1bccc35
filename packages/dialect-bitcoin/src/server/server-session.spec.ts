import type { ShareRejectReason, ShareVerdict } from '@lode/mining';
import { SHARE_REJECT_REASONS } from '@lode/mining';
import { classicCodec, createLinePair, FramingTestTransport, LodeError, RpcPeer } from '@lode/stratum-core';
import type { CloseInfo, LineTransport, LodeLogger, MalformedMessage } from '@lode/stratum-core';
import type { AuthorizeRequest, NotifyParams, SubmitRequest, SubscribeRequest } from '../messages';
import type { BitcoinServerHandler, BitcoinServerSessionOptions } from './server-handler';
import { BitcoinServerSession } from './server-session';

/** The miner's end of the wire: raw lines out, raw lines in, so the format is asserted literally. */
class LineProbe {
  private readonly buffered: string[] = [];
  private readonly waiters: Array<{ resolve(line: string): void; reject(e: Error): void }> = [];
  closeInfo: CloseInfo | undefined;

  constructor(private readonly transport: LineTransport) {
    transport.lines$.subscribe((line) => {
      const w = this.waiters.shift();
      if (w) w.resolve(line);
      else this.buffered.push(line);
    });
    transport.closed$.subscribe((info) => {
      this.closeInfo = info;
      for (const w of this.waiters.splice(0)) w.reject(new Error(`closed: ${info.reason}`));
    });
  }

  send(message: string | object): void {
    this.transport.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  next(): Promise<string> {
    const line = this.buffered.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.closeInfo) return Promise.reject(new Error(`closed: ${this.closeInfo.reason}`));
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  async nextJson(): Promise<{ id: unknown; result?: unknown; error?: unknown; method?: string; params?: unknown[] }> {
    return JSON.parse(await this.next());
  }

  /** Sends a ping and returns every line that arrived before its reply (which is consumed). */
  async drainWithPing(id: number): Promise<string[]> {
    this.send({ id, method: 'mining.ping', params: [] });
    const before: string[] = [];
    for (;;) {
      const line = await this.next();
      if (line === `{"id":${id},"result":"pong","error":null}`) return before;
      before.push(line);
    }
  }

  close(): void {
    this.transport.close('test over');
  }
}

/** Block 125552 in stratum form (facts/bitcoin-stratum.md, "Test vectors"). */
const JOB_125552: NotifyParams = {
  jobId: 'b125552',
  prevhash: 'ab02cd818b9e567ee21793cddef299feb29ad444a41b85b8000008a300000000',
  coinb1: '01000000010000',
  coinb2: 'ffffffff00',
  merkleBranches: [],
  version: 0x00000001,
  nbits: 0x1a44b9f2,
  ntime: 0x4dd7f5c7,
  cleanJobs: true,
};
const JOB_125552_LINE =
  '{"id":null,"method":"mining.notify","params":["b125552","ab02cd818b9e567ee21793cddef299feb29ad444a41b85b8000008a300000000","01000000010000","ffffffff00",[],"00000001","1a44b9f2","4dd7f5c7",true]}';

interface FakePool extends BitcoinServerHandler {
  subscribes: SubscribeRequest[];
  authorizes: AuthorizeRequest[];
  submits: SubmitRequest[];
  suggested: number[];
  closedWith: CloseInfo[];
  verdict: ShareVerdict;
  onSubscribe?: () => void;
}

function fakePool(): FakePool {
  const pool: FakePool = {
    subscribes: [],
    authorizes: [],
    submits: [],
    suggested: [],
    closedWith: [],
    verdict: { accepted: true, difficulty: 1, shareDifficulty: 2, block: false, hash: '00'.repeat(32) },
    async subscribe(req) {
      pool.subscribes.push(req);
      pool.onSubscribe?.();
      return { extranonce1: Buffer.from('08000002', 'hex'), extranonce2Size: 4, sessionId: 's1' };
    },
    async authorize(req) {
      pool.authorizes.push(req);
      return req.password !== 'wrong';
    },
    async submit(req) {
      pool.submits.push(req);
      return pool.verdict;
    },
    suggestDifficulty(d) {
      pool.suggested.push(d);
    },
    closed(info) {
      pool.closedWith.push(info);
    },
  };
  return pool;
}

const opened: Array<{ close(): void }> = [];

function setup(options: BitcoinServerSessionOptions = {}) {
  const [minerEnd, poolEnd] = createLinePair();
  const peer = new RpcPeer(poolEnd, classicCodec);
  const pool = fakePool();
  const session = new BitcoinServerSession(peer, pool, options);
  const miner = new LineProbe(minerEnd);
  opened.push(miner);
  return { session, pool, miner, peer };
}

/** cpuminer's handshake: subscribe (id 1) and authorize (id 2), replies consumed. */
async function handshake(options: BitcoinServerSessionOptions = {}) {
  const ctx = setup(options);
  ctx.miner.send({ id: 1, method: 'mining.subscribe', params: ['cpuminer/2.5.1'] });
  await ctx.miner.next();
  ctx.miner.send({ id: 2, method: 'mining.authorize', params: ['alice.rig1', 'x'] });
  expect(await ctx.miner.next()).toBe('{"id":2,"result":true,"error":null}');
  return ctx;
}

function submitParams(overrides: Partial<Record<'worker' | 'job' | 'en2' | 'ntime' | 'nonce', unknown>> = {}): unknown[] {
  return [
    overrides.worker ?? 'alice.rig1',
    overrides.job ?? 'b125552',
    overrides.en2 ?? '00000001',
    overrides.ntime ?? '4dd7f5c7',
    overrides.nonce ?? '9546a142',
  ];
}

afterEach(() => {
  for (const o of opened.splice(0)) o.close();
});

/** Gives the pool a `malformed` callback; returns what it receives. */
function watchMalformed(pool: BitcoinServerHandler): MalformedMessage[] {
  const seen: MalformedMessage[] = [];
  pool.malformed = (message) => {
    seen.push(message);
  };
  return seen;
}

/** A logger that keeps its error calls. */
function errorLogger(): LodeLogger & { errors: Array<{ obj: object; msg?: string }> } {
  const errors: Array<{ obj: object; msg?: string }> = [];
  const logger: LodeLogger & { errors: typeof errors } = {
    errors,
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: (obj, msg) => {
      errors.push({ obj, msg });
    },
    child: () => logger,
  };
  return logger;
}

describe('BitcoinServerSession', () => {
  describe('when cpuminer connects (subscribe id 1, authorize id 2, submit with 5 params)', () => {
    it('answers the subscribe first even when the pool sends difficulty and a job from inside handler.subscribe', async () => {
      const { session, pool, miner } = setup();
      pool.onSubscribe = () => {
        session.sendDifficulty(0.001);
        session.sendNotify(JOB_125552);
      };

      miner.send('{"id": 1, "method": "mining.subscribe", "params": ["cpuminer/2.5.1"]}');
      expect(await miner.next()).toBe(
        '{"id":1,"result":[[["mining.set_difficulty","s1"],["mining.notify","s1"]],"08000002",4],"error":null}',
      );
      expect(await miner.next()).toBe('{"id":null,"method":"mining.set_difficulty","params":[0.001]}');
      expect(await miner.next()).toBe(JOB_125552_LINE);

      miner.send('{"id": 2, "method": "mining.authorize", "params": ["alice.rig1", "x"]}');
      expect(await miner.next()).toBe('{"id":2,"result":true,"error":null}');

      miner.send(
        '{"id": 4, "method": "mining.submit", "params": ["alice.rig1", "b125552", "00000001", "4dd7f5c7", "9546a142"]}',
      );
      expect(await miner.next()).toBe('{"id":4,"result":true,"error":null}');

      expect(pool.subscribes).toEqual([{ userAgent: 'cpuminer/2.5.1' }]);
      expect(pool.authorizes).toEqual([{ workerName: 'alice.rig1', password: 'x' }]);
      expect(pool.submits).toEqual([
        {
          workerName: 'alice.rig1',
          jobId: 'b125552',
          extranonce2: Buffer.from([0, 0, 0, 1]),
          ntime: 0x4dd7f5c7,
          nonce: 0x9546a142,
        },
      ]);
      expect(session.subscribed).toBe(true);
      expect(session.userAgent).toBe('cpuminer/2.5.1');
      expect(session.extranonce1?.toString('hex')).toBe('08000002');
      expect(session.extranonce2Size).toBe(4);
      expect([...session.authorizedWorkers]).toEqual(['alice.rig1']);
    });

    it('holds back messages sent before the miner even subscribed until the reply is out', async () => {
      const { session, miner } = setup();
      session.sendDifficulty(2);
      session.showMessage('welcome');
      miner.send({ id: 1, method: 'mining.subscribe', params: [] });
      expect((await miner.nextJson()).id).toBe(1);
      expect(await miner.next()).toBe('{"id":null,"method":"mining.set_difficulty","params":[2]}');
      expect(await miner.next()).toBe('{"id":null,"method":"client.show_message","params":["welcome"]}');
    });

    it('passes a resume session id to the pool', async () => {
      const { pool, miner } = setup();
      miner.send({ id: 1, method: 'mining.subscribe', params: ['cgminer/4.10.0', 'abcd1234'] });
      await miner.next();
      expect(pool.subscribes).toEqual([{ userAgent: 'cgminer/4.10.0', sessionId: 'abcd1234' }]);
    });
  });

  describe('when the pool sends messages before the subscribe reply', () => {
    it('lets a clean notify replace the jobs and difficulties queued before it', async () => {
      const { session, miner } = setup();
      session.sendDifficulty(2);
      session.sendNotify({ ...JOB_125552, jobId: 'old', cleanJobs: false });
      session.sendDifficulty(4);
      session.sendNotify(JOB_125552);
      miner.send({ id: 1, method: 'mining.subscribe', params: [] });
      await miner.next();
      expect(await miner.drainWithPing(9)).toEqual([
        '{"id":null,"method":"mining.set_difficulty","params":[4]}',
        JOB_125552_LINE,
      ]);
    });

    it('closes the connection when more are queued than the cap', async () => {
      const { session, miner } = setup({ maxQueuedBeforeSubscribe: 2 });
      session.showMessage('a');
      session.showMessage('b');
      session.showMessage('c');
      await expect(miner.next()).rejects.toThrow(/closed: over 2 server messages waiting for the subscribe reply/);
      expect(session.isClosed).toBe(true);
    });
  });

  describe('when the miner sends what it should not', () => {
    it('refuses a second subscribe with -32600 and stays up', async () => {
      const { miner, pool } = await handshake();
      miner.send({ id: 3, method: 'mining.subscribe', params: ['cpuminer/2.5.1'] });
      expect(await miner.next()).toBe('{"id":3,"result":null,"error":[-32600,"already subscribed",null]}');
      expect(await miner.drainWithPing(99)).toEqual([]);
      expect(pool.subscribes).toHaveLength(1);
    });

    it('answers invalid JSON with -32700 and id null', async () => {
      const { miner } = await handshake();
      miner.send('{"id": 5, "method": ');
      const reply = await miner.nextJson();
      expect(reply.id).toBeNull();
      expect(reply.result).toBeNull();
      expect((reply.error as unknown[])[0]).toBe(-32700);
      expect(await miner.drainWithPing(99)).toEqual([]);
    });

    it('answers params that are not an array with -32600 and the request id', async () => {
      const { miner, pool } = await handshake();
      miner.send('{"id": 6, "method": "mining.submit", "params": "alice.rig1"}');
      const reply = await miner.nextJson();
      expect(reply.id).toBe(6);
      expect((reply.error as unknown[])[0]).toBe(-32600);
      expect((reply.error as unknown[])[1]).toMatch(/params of mining.submit is .*expected an array/);
      expect(await miner.drainWithPing(99)).toEqual([]);
      expect(pool.submits).toEqual([]);
    });

    it('answers an unknown method with -32601 naming the method', async () => {
      const { session, miner } = await handshake();
      miner.send({ id: 7, method: 'mining.foo', params: [] });
      expect(await miner.next()).toBe('{"id":7,"result":null,"error":[-32601,"unknown method \'mining.foo\'",null]}');
      miner.send({ id: 8, method: 'constructor', params: [] });
      expect(await miner.next()).toBe('{"id":8,"result":null,"error":[-32601,"unknown method \'constructor\'",null]}');
      expect(await miner.drainWithPing(99)).toEqual([]);
      expect(session.counters.requests['unknown']).toBe(2);
      expect(session.counters.errors[-32601]).toBe(2);
    });

    it('never answers a response that matches none of its requests', async () => {
      const { miner } = await handshake();
      miner.send('{"id": 1, "result": "cpuminer/2.5.1", "error": null}');
      expect(await miner.drainWithPing(99)).toEqual([]);
    });
  });

  describe('when a share is submitted with the wrong shape', () => {
    const cases: Array<[string, unknown[], string]> = [
      ['4 params', submitParams().slice(0, 4), '[-32602,"mining.submit takes 5 parameters, got 4",null]'],
      ['7 params', [...submitParams(), '00000000', 'x'], '[-32602,"mining.submit takes 5 parameters, got 7",null]'],
      [
        'a non-string nonce',
        submitParams({ nonce: 12345 }),
        '[-32602,"mining.submit parameter 5 (nonce) is 12345, expected a string",null]',
      ],
      [
        'extranonce2 of 3 bytes',
        submitParams({ en2: '000001' }),
        '[20,"extranonce2 is 3 bytes, expected 4",null]',
      ],
      ['extranonce2 not hex', submitParams({ en2: '0000000g' }), '[20,"extranonce2 \'0000000g\' is not hex bytes",null]'],
      ['a non-hex nonce', submitParams({ nonce: '9546a14z' }), '[20,"nonce \'9546a14z\' is not 8 hex digits",null]'],
      ['a short ntime', submitParams({ ntime: 'dd7f5c7' }), '[20,"ntime \'dd7f5c7\' is not 8 hex digits",null]'],
      [
        'an unauthorized worker',
        submitParams({ worker: 'mallory' }),
        '[24,"worker \'mallory\' is not authorized on this connection",null]',
      ],
    ];

    it.each(cases)('answers %s precisely and stays up', async (_name, params, error) => {
      const { miner, pool } = await handshake();
      miner.send({ id: 4, method: 'mining.submit', params });
      expect(await miner.next()).toBe(`{"id":4,"result":null,"error":${error}}`);
      expect(await miner.drainWithPing(99)).toEqual([]);
      expect(pool.submits).toEqual([]);
    });

    it('answers a submit before subscribe with 25', async () => {
      const { miner } = setup();
      miner.send({ id: 4, method: 'mining.submit', params: submitParams() });
      expect(await miner.next()).toBe(
        '{"id":4,"result":null,"error":[25,"not subscribed: send mining.subscribe first",null]}',
      );
      expect(await miner.drainWithPing(99)).toEqual([]);
    });
  });

  describe('when the pool rejects a share', () => {
    /** The Stratum v1 code table (errors.ts; slush's protocol text, NOMP lib/stratum.js), written out independently. */
    const expectedCode: Record<ShareRejectReason, number> = {
      'unknown-job': 20,
      stale: 21,
      duplicate: 22,
      'low-difficulty': 23,
      'bad-ntime': 20,
      'bad-extranonce2': 20,
      'bad-nonce': 20,
      'bad-version': 20,
      unauthorized: 24,
      'not-subscribed': 25,
      malformed: 20,
      'not-recorded': 20,
      'bad-seal': 20,
    };

    it.each([...SHARE_REJECT_REASONS])('answers %s with its code and the verdict message', async (reason) => {
      const { miner, pool } = await handshake();
      pool.verdict = { accepted: false, reason, message: `refused: ${reason}` };
      miner.send({ id: 4, method: 'mining.submit', params: submitParams() });
      expect(await miner.next()).toBe(
        `{"id":4,"result":null,"error":[${expectedCode[reason]},"refused: ${reason}",null]}`,
      );
      expect(await miner.drainWithPing(99)).toEqual([]);
    });

    it('gives an unknown job id a code other than stale', async () => {
      const { miner, pool } = await handshake();
      pool.verdict = { accepted: false, reason: 'unknown-job', message: "unknown job id 'zz'" };
      miner.send({ id: 4, method: 'mining.submit', params: submitParams({ job: 'zz' }) });
      const unknown = (await miner.nextJson()).error as unknown[];
      pool.verdict = { accepted: false, reason: 'stale', message: 'Job not found (stale)' };
      miner.send({ id: 5, method: 'mining.submit', params: submitParams() });
      const stale = (await miner.nextJson()).error as unknown[];
      expect(unknown).toEqual([20, "unknown job id 'zz'", null]);
      expect(stale).toEqual([21, 'Job not found (stale)', null]);
    });

    it('answers 20 without internals when the handler throws', async () => {
      const { miner, pool } = await handshake();
      pool.submit = async () => {
        throw new Error('redis down at 10.0.0.5');
      };
      miner.send({ id: 4, method: 'mining.submit', params: submitParams() });
      expect(await miner.next()).toBe('{"id":4,"result":null,"error":[20,"mining.submit failed: internal error",null]}');
    });
  });

  describe('when the miner authorizes', () => {
    it('refuses a worker the pool refuses with 24 and keeps the connection', async () => {
      const { miner, session } = await handshake();
      miner.send({ id: 3, method: 'mining.authorize', params: ['bob', 'wrong'] });
      expect(await miner.next()).toBe('{"id":3,"result":null,"error":[24,"worker \'bob\' is not authorized",null]}');
      expect([...session.authorizedWorkers]).toEqual(['alice.rig1']);
      expect(await miner.drainWithPing(99)).toEqual([]);
    });

    it('accepts several workers on one connection and a missing password', async () => {
      const { miner, session, pool } = await handshake();
      miner.send({ id: 3, method: 'mining.authorize', params: ['alice.rig2'] });
      expect(await miner.next()).toBe('{"id":3,"result":true,"error":null}');
      expect(pool.authorizes[1]).toEqual({ workerName: 'alice.rig2', password: '' });
      expect([...session.authorizedWorkers]).toEqual(['alice.rig1', 'alice.rig2']);
      miner.send({ id: 4, method: 'mining.submit', params: submitParams({ worker: 'alice.rig2' }) });
      expect(await miner.next()).toBe('{"id":4,"result":true,"error":null}');
    });

    it('refuses workers beyond maxWorkers', async () => {
      const { miner } = await handshake({ maxWorkers: 1 });
      miner.send({ id: 3, method: 'mining.authorize', params: ['alice.rig2', 'x'] });
      expect(await miner.next()).toBe(
        '{"id":3,"result":null,"error":[24,"too many workers on this connection (at most 1)",null]}',
      );
    });
  });

  describe('when the miner rolls version bits (6th submit param, BIP 310)', () => {
    const sixParams = [...submitParams(), '1fffe000'];

    it('refuses 6 params by default', async () => {
      const { miner, pool } = await handshake();
      miner.send({ id: 4, method: 'mining.submit', params: sixParams });
      expect(await miner.next()).toBe(
        '{"id":4,"result":null,"error":[-32602,"mining.submit takes 5 parameters, got 6 (version rolling was not negotiated)",null]}',
      );
      expect(pool.submits).toEqual([]);
    });

    it('accepts and parses them on a port that allows version bits without mining.configure', async () => {
      const { miner, pool } = await handshake({ versionRolling: { serverMask: 0x1fffe000, allowWithoutConfigure: true } });
      miner.send({ id: 4, method: 'mining.submit', params: sixParams });
      expect(await miner.next()).toBe('{"id":4,"result":true,"error":null}');
      expect(pool.submits[0].versionBits).toBe(0x1fffe000);
      expect(pool.submits[0].versionMask).toBe(0x1fffe000);

      miner.send({ id: 5, method: 'mining.submit', params: [...submitParams(), 'xyz'] });
      expect(await miner.next()).toBe('{"id":5,"result":null,"error":[20,"version bits \'xyz\' is not 8 hex digits",null]}');
      miner.send({ id: 6, method: 'mining.submit', params: [...sixParams, 'extra'] });
      expect(await miner.next()).toBe(
        '{"id":6,"result":null,"error":[-32602,"mining.submit takes 5 or 6 parameters, got 7",null]}',
      );
    });
  });

  describe('when the pool changes the extranonce', () => {
    it('sends set_extranonce only after mining.extranonce.subscribe', async () => {
      const { miner, session } = await handshake();
      expect(session.sendExtranonce(Buffer.from('0a0b0c0d', 'hex'), 6)).toBe(false);
      expect(await miner.drainWithPing(98)).toEqual([]);

      miner.send({ id: 3, method: 'mining.extranonce.subscribe', params: [] });
      expect(await miner.next()).toBe('{"id":3,"result":true,"error":null}');
      expect(session.extranonceSubscribed).toBe(true);
      expect(session.sendExtranonce(Buffer.from('0a0b0c0d', 'hex'), 6)).toBe(true);
      expect(await miner.next()).toBe('{"id":null,"method":"mining.set_extranonce","params":["0a0b0c0d",6]}');
      expect(session.extranonce1?.toString('hex')).toBe('0a0b0c0d');
      expect(session.extranonce2Size).toBe(6);
    });

    it('validates later submits against the new size, and the previous one for older jobs', async () => {
      const { miner, session } = await handshake();
      miner.send({ id: 3, method: 'mining.extranonce.subscribe', params: [] });
      await miner.next();
      session.sendExtranonce(Buffer.from('0a0b', 'hex'), 6);
      await miner.next();
      miner.send({ id: 4, method: 'mining.submit', params: submitParams({ en2: '000000000001' }) });
      expect(await miner.next()).toBe('{"id":4,"result":true,"error":null}');
      miner.send({ id: 5, method: 'mining.submit', params: submitParams({ en2: '00000001' }) });
      expect(await miner.next()).toBe('{"id":5,"result":true,"error":null}');
      miner.send({ id: 6, method: 'mining.submit', params: submitParams({ en2: '0000000001' }) });
      expect(await miner.next()).toBe('{"id":6,"result":null,"error":[20,"extranonce2 is 5 bytes, expected 6",null]}');
    });
  });

  describe('when the miner suggests a difficulty', () => {
    it('accepts a fractional number, a numeric string and the legacy method form', async () => {
      const { miner, pool } = await handshake();
      miner.send({ id: 3, method: 'mining.suggest_difficulty', params: [0.0001] });
      expect(await miner.next()).toBe('{"id":3,"result":true,"error":null}');
      miner.send({ id: 4, method: 'mining.suggest_difficulty', params: ['0.5'] });
      expect(await miner.next()).toBe('{"id":4,"result":true,"error":null}');
      miner.send({ id: 5, method: 'mining.suggest_difficulty(64)', params: [] });
      expect(await miner.next()).toBe('{"id":5,"result":true,"error":null}');
      miner.send({ id: null, method: 'mining.suggest_difficulty', params: [1000] });
      expect(await miner.drainWithPing(99)).toEqual([]);
      expect(pool.suggested).toEqual([0.0001, 0.5, 64, 1000]);
    });

    it('refuses one that is not a positive number with -32602', async () => {
      const { miner, pool } = await handshake();
      miner.send({ id: 3, method: 'mining.suggest_difficulty', params: ['abc'] });
      expect(await miner.next()).toBe(
        '{"id":3,"result":null,"error":[-32602,"mining.suggest_difficulty takes a positive difficulty, got \'abc\'",null]}',
      );
      miner.send({ id: 4, method: 'mining.suggest_difficulty', params: [0] });
      expect(((await miner.nextJson()).error as unknown[])[0]).toBe(-32602);
      expect(pool.suggested).toEqual([]);
    });

    it('accepts it before subscribe', async () => {
      const { miner, pool } = setup();
      miner.send({ id: 1, method: 'mining.suggest_difficulty', params: [1000] });
      expect(await miner.next()).toBe('{"id":1,"result":true,"error":null}');
      expect(pool.suggested).toEqual([1000]);
    });
  });

  describe('when the pool talks to the miner', () => {
    it('sends a fractional difficulty as the same JSON number', async () => {
      const { miner, session } = await handshake();
      session.sendDifficulty(0.001);
      expect(await miner.next()).toBe('{"id":null,"method":"mining.set_difficulty","params":[0.001]}');
      expect(() => session.sendDifficulty(0)).toThrow(LodeError);
      expect(() => session.sendDifficulty(Number.NaN)).toThrow(/not a finite number > 0/);
    });

    it('asks client.get_version and returns the answer', async () => {
      const { miner, session } = await handshake();
      const version = session.getVersion();
      const req = await miner.nextJson();
      expect(req).toEqual({ id: 1, method: 'client.get_version', params: [] });
      miner.send({ id: 1, result: 'cpuminer/2.5.1', error: null });
      await expect(version).resolves.toBe('cpuminer/2.5.1');
    });

    it('holds a get_version asked before the subscribe reply until after it', async () => {
      const { miner, session } = setup();
      const version = session.getVersion();
      miner.send({ id: 1, method: 'mining.subscribe', params: [] });
      expect((await miner.nextJson()).result).toBeDefined();
      expect(await miner.nextJson()).toEqual({ id: 1, method: 'client.get_version', params: [] });
      miner.send({ id: 1, result: 'bfgminer/5.5.0', error: null });
      await expect(version).resolves.toBe('bfgminer/5.5.0');
    });

    it('pings the miner and resolves on its pong', async () => {
      const { miner, session } = await handshake();
      const pong = session.ping();
      expect(await miner.next()).toBe('{"id":1,"method":"mining.ping","params":[]}');
      miner.send('{"id":1,"result":"pong","error":null}');
      await expect(pong).resolves.toBeUndefined();
    });

    it('sends client.reconnect with the port as a string, and show_message', async () => {
      const { miner, session } = await handshake();
      session.reconnect('pool.example.com', 3334, 5);
      session.reconnect();
      session.showMessage('maintenance at 12:00 UTC');
      expect(await miner.next()).toBe('{"id":null,"method":"client.reconnect","params":["pool.example.com","3334",5]}');
      expect(await miner.next()).toBe('{"id":null,"method":"client.reconnect","params":[]}');
      expect(await miner.next()).toBe('{"id":null,"method":"client.show_message","params":["maintenance at 12:00 UTC"]}');
    });
  });

  describe('when requests arrive faster than the pool answers', () => {
    it('answers them in arrival order', async () => {
      const { miner, pool } = await handshake();
      let release!: (ok: boolean) => void;
      let called!: () => void;
      const authorizeCalled = new Promise<void>((r) => (called = r));
      pool.authorize = () =>
        new Promise<boolean>((resolve) => {
          release = resolve;
          called();
        });
      miner.send({ id: 3, method: 'mining.authorize', params: ['alice.rig2', 'x'] });
      miner.send({ id: 4, method: 'mining.ping', params: [] });
      await authorizeCalled;
      release(true);
      expect(await miner.next()).toBe('{"id":3,"result":true,"error":null}');
      expect(await miner.next()).toBe('{"id":4,"result":"pong","error":null}');
    });

    it('closes the connection past maxPendingRequests', async () => {
      const { miner, pool, session } = await handshake({ maxPendingRequests: 2 });
      pool.authorize = () => new Promise<boolean>(() => undefined);
      for (let id = 3; id < 6; id++) miner.send({ id, method: 'mining.authorize', params: ['w', 'x'] });
      await expect(miner.next()).rejects.toThrow(/closed: over 2 requests waiting for their replies/);
      expect(session.isClosed).toBe(true);
    });
  });

  describe('when a line is over the transport length cap', () => {
    it('answers it with id null and -32600 before the transport closes', () => {
      const transport = new FramingTestTransport();
      const peer = new RpcPeer(transport, classicCodec);
      new BitcoinServerSession(peer, fakePool());
      transport.overlong(new LodeError('framing', 'line over 16384 bytes'));
      expect(transport.sent).toEqual(['{"id":null,"result":null,"error":[-32600,"line over 16384 bytes",null]}']);
      expect(transport.isClosed).toBe(true);
    });

    it('answers it the same through a transport that links the peer by callbacks, subscribing to no stream', () => {
      const transport = new FramingTestTransport(true);
      const peer = new RpcPeer(transport, classicCodec);
      const session = new BitcoinServerSession(peer, fakePool());
      expect(transport.framingObserved).toBe(false);
      transport.overlong(new LodeError('framing', 'line over 16384 bytes'));
      expect(transport.sent).toEqual(['{"id":null,"result":null,"error":[-32600,"line over 16384 bytes",null]}']);
      expect(transport.isClosed).toBe(true);
      expect(session.counters.framingErrors).toBe(1);
    });
  });

  describe('when the connection closes', () => {
    it('tells the handler once, drops later sends and counts what happened', async () => {
      const { miner, pool, session } = await handshake();
      miner.send({ id: 3, method: 'mining.foo', params: [] });
      await miner.next();
      const closed = new Promise<CloseInfo>((resolve) => session.closed$.subscribe(resolve));
      miner.close();
      const info = await closed;
      expect(info.byPeer).toBe(true);
      expect(pool.closedWith).toEqual([info]);
      expect(() => session.sendNotify(JOB_125552)).not.toThrow();
      await expect(session.getVersion()).rejects.toThrow(LodeError);
      expect(session.counters).toEqual({
        requests: { 'mining.subscribe': 1, 'mining.authorize': 1, unknown: 1 },
        errors: { [-32601]: 1 },
        invalidLines: 0,
        framingErrors: 0,
      });
    });

    it('ends its subscriptions, even to a transport stream that never completes', () => {
      const transport = new FramingTestTransport();
      const pool = fakePool();
      new BitcoinServerSession(new RpcPeer(transport, classicCodec), pool);
      expect(transport.framingObserved).toBe(true);
      transport.close('test over');
      expect(transport.framingObserved).toBe(false);
      expect(pool.closedWith).toEqual([{ reason: 'test over', byPeer: false }]);
    });

    it('tells the handler once when the peer was closed before the session was made, and subscribes to nothing', () => {
      const transport = new FramingTestTransport();
      const peer = new RpcPeer(transport, classicCodec);
      transport.close('gone early');
      const pool = fakePool();
      const session = new BitcoinServerSession(peer, pool);
      expect(pool.closedWith).toEqual([{ reason: 'gone early', byPeer: false }]);
      expect(transport.framingObserved).toBe(false);
      expect(session.isClosed).toBe(true);
      expect(session.counters).toEqual({ requests: {}, errors: {}, invalidLines: 0, framingErrors: 0 });
    });

    it('does not hand requests still queued to the pool', async () => {
      const { miner, pool, session } = await handshake();
      let release!: (ok: boolean) => void;
      let called!: () => void;
      const authorizeCalled = new Promise<void>((r) => (called = r));
      pool.authorize = () =>
        new Promise<boolean>((resolve) => {
          release = resolve;
          called();
        });
      miner.send({ id: 3, method: 'mining.authorize', params: ['alice.rig2', 'x'] });
      miner.send({ id: 4, method: 'mining.submit', params: submitParams() });
      await authorizeCalled;
      session.close('pool shutting down');
      release(true);
      await expect(miner.next()).rejects.toThrow(/closed: pool shutting down/);
      expect(pool.submits).toEqual([]);
      expect(pool.closedWith).toEqual([{ reason: 'pool shutting down', byPeer: false }]);
    });
  });
});


describe('BitcoinServerSession handler.malformed', () => {
  /** The error reply's [code, message] for request `id`, read off the wire. */
  async function errorOf(miner: LineProbe, id: number | null): Promise<[number, string]> {
    const reply = await miner.nextJson();
    expect(reply.id).toBe(id);
    const [code, message] = reply.error as [number, string];
    return [code, message];
  }

  it('reports a line over the length cap as overlong, once, with the reply message', () => {
    const transport = new FramingTestTransport();
    const pool = fakePool();
    const seen = watchMalformed(pool);
    new BitcoinServerSession(new RpcPeer(transport, classicCodec), pool);
    transport.overlong(new LodeError('framing', 'line over 16384 bytes'));
    expect(transport.sent).toEqual(['{"id":null,"result":null,"error":[-32600,"line over 16384 bytes",null]}']);
    expect(seen).toEqual([{ kind: 'overlong', reason: 'line over 16384 bytes' }]);
  });

  it('reports a line that is not JSON as not-json, once, with the -32700 message', async () => {
    const { miner, pool } = await handshake();
    const seen = watchMalformed(pool);
    miner.send('{"id": 5, "method": ');
    const [code, message] = await errorOf(miner, null);
    expect(code).toBe(-32700);
    expect(await miner.drainWithPing(99)).toEqual([]);
    expect(seen).toEqual([{ kind: 'not-json', reason: message }]);
  });

  it('reports JSON that is not a request as not-request, with the method it names', async () => {
    const { miner, pool } = await handshake();
    const seen = watchMalformed(pool);
    miner.send('{"id": 6, "method": "mining.submit", "params": "alice.rig1"}');
    const [code, message] = await errorOf(miner, 6);
    expect(code).toBe(-32600);
    miner.send('[1, 2]');
    const [code2, message2] = await errorOf(miner, null);
    expect(code2).toBe(-32600);
    expect(await miner.drainWithPing(99)).toEqual([]);
    expect(seen).toEqual([
      { kind: 'not-request', method: 'mining.submit', reason: message },
      { kind: 'not-request', reason: message2 },
    ]);
  });

  it('reports a second subscribe as not-request (-32600, as the pool counts it)', async () => {
    const { miner, pool } = await handshake();
    const seen = watchMalformed(pool);
    miner.send({ id: 3, method: 'mining.subscribe', params: ['cpuminer/2.5.1'] });
    expect(await miner.next()).toBe('{"id":3,"result":null,"error":[-32600,"already subscribed",null]}');
    expect(await miner.drainWithPing(99)).toEqual([]);
    expect(seen).toEqual([{ kind: 'not-request', method: 'mining.subscribe', reason: 'already subscribed' }]);
  });

  it('does not report a response that matches none of its requests', async () => {
    const { miner, pool } = await handshake();
    const seen = watchMalformed(pool);
    miner.send('{"id": 1, "result": "cpuminer/2.5.1", "error": null}');
    expect(await miner.drainWithPing(99)).toEqual([]);
    expect(seen).toEqual([]);
  });

  it('reports an unknown method once, its name cut to 64 characters', async () => {
    const { miner, pool } = await handshake();
    const seen = watchMalformed(pool);
    miner.send({ id: 7, method: 'mining.foo', params: [] });
    expect(await miner.next()).toBe('{"id":7,"result":null,"error":[-32601,"unknown method \'mining.foo\'",null]}');
    const long = `mining.${'x'.repeat(100)}`;
    miner.send({ id: 8, method: long, params: [] });
    const [code, message] = await errorOf(miner, 8);
    expect(code).toBe(-32601);
    expect(await miner.drainWithPing(99)).toEqual([]);
    expect(seen).toEqual([
      { kind: 'unknown-method', method: 'mining.foo', reason: "unknown method 'mining.foo'" },
      { kind: 'unknown-method', method: `mining.${'x'.repeat(57)}`, reason: message },
    ]);
    expect(seen[1].method).toHaveLength(64);
  });

  it('reports wrong params of a known method as bad-params, once each, with the reply message', async () => {
    const { miner, pool } = await handshake();
    const seen = watchMalformed(pool);
    miner.send({ id: 4, method: 'mining.submit', params: submitParams().slice(0, 4) });
    expect(await miner.next()).toBe('{"id":4,"result":null,"error":[-32602,"mining.submit takes 5 parameters, got 4",null]}');
    miner.send({ id: 5, method: 'mining.submit', params: [...submitParams(), '1fffe000'] });
    expect(await miner.next()).toBe(
      '{"id":5,"result":null,"error":[-32602,"mining.submit takes 5 parameters, got 6 (version rolling was not negotiated)",null]}',
    );
    miner.send({ id: 6, method: 'mining.authorize', params: ['', 'x'] });
    const [code, message] = await errorOf(miner, 6);
    expect(code).toBe(-32602);
    miner.send({ id: 7, method: 'mining.suggest_difficulty', params: ['abc'] });
    expect(await miner.next()).toBe(
      '{"id":7,"result":null,"error":[-32602,"mining.suggest_difficulty takes a positive difficulty, got \'abc\'",null]}',
    );
    expect(await miner.drainWithPing(99)).toEqual([]);
    expect(seen).toEqual([
      { kind: 'bad-params', method: 'mining.submit', reason: 'mining.submit takes 5 parameters, got 4' },
      {
        kind: 'bad-params',
        method: 'mining.submit',
        reason: 'mining.submit takes 5 parameters, got 6 (version rolling was not negotiated)',
      },
      { kind: 'bad-params', method: 'mining.authorize', reason: message },
      {
        kind: 'bad-params',
        method: 'mining.suggest_difficulty',
        reason: "mining.suggest_difficulty takes a positive difficulty, got 'abc'",
      },
    ]);
  });

  it.each([...SHARE_REJECT_REASONS])('reports nothing for a share rejected as %s', async (reason) => {
    const { miner, pool } = await handshake();
    const seen = watchMalformed(pool);
    pool.verdict = { accepted: false, reason, message: `refused: ${reason}` };
    miner.send({ id: 4, method: 'mining.submit', params: submitParams() });
    expect((await miner.nextJson()).error).not.toBeNull();
    expect(await miner.drainWithPing(99)).toEqual([]);
    expect(seen).toEqual([]);
  });

  it('reports nothing for refusals the session makes itself, a refused authorize or an internal error', async () => {
    const { miner, pool } = setup();
    const seen = watchMalformed(pool);
    miner.send({ id: 1, method: 'mining.submit', params: submitParams() });
    expect(((await miner.nextJson()).error as unknown[])[0]).toBe(25);
    miner.send({ id: 2, method: 'mining.subscribe', params: [] });
    await miner.next();
    miner.send({ id: 3, method: 'mining.authorize', params: ['alice.rig1', 'wrong'] });
    expect(((await miner.nextJson()).error as unknown[])[0]).toBe(24);
    miner.send({ id: 4, method: 'mining.submit', params: submitParams() });
    expect(((await miner.nextJson()).error as unknown[])[0]).toBe(24);
    miner.send({ id: 5, method: 'mining.authorize', params: ['alice.rig1', 'x'] });
    await miner.next();
    miner.send({ id: 6, method: 'mining.submit', params: submitParams({ en2: '000001' }) });
    expect(await miner.next()).toBe('{"id":6,"result":null,"error":[20,"extranonce2 is 3 bytes, expected 4",null]}');
    pool.submit = async () => {
      throw new Error('redis down');
    };
    miner.send({ id: 7, method: 'mining.submit', params: submitParams() });
    expect(await miner.next()).toBe('{"id":7,"result":null,"error":[20,"mining.submit failed: internal error",null]}');
    expect(await miner.drainWithPing(99)).toEqual([]);
    expect(seen).toEqual([]);
  });

  it('reports no notification: unknown ones are ignored, as is a refused suggest_difficulty', async () => {
    const { miner, pool } = await handshake();
    const seen = watchMalformed(pool);
    miner.send({ id: null, method: 'mining.foo', params: [] });
    miner.send({ id: null, method: 'mining.suggest_difficulty', params: ['abc'] });
    expect(await miner.drainWithPing(99)).toEqual([]);
    expect(seen).toEqual([]);
    expect(pool.suggested).toEqual([]);
  });

  it('logs a throwing malformed callback and answers the next request', async () => {
    const logger = errorLogger();
    const { miner, pool, session } = await handshake({ logger });
    let calls = 0;
    pool.malformed = () => {
      calls++;
      throw new Error('ban list down');
    };
    miner.send({ id: 7, method: 'mining.foo', params: [] });
    expect(await miner.next()).toBe('{"id":7,"result":null,"error":[-32601,"unknown method \'mining.foo\'",null]}');
    expect(await miner.drainWithPing(99)).toEqual([]);
    expect(calls).toBe(1);
    expect(logger.errors).toEqual([{ obj: expect.objectContaining({ err: expect.any(Error) }), msg: 'malformed handler threw' }]);
    expect(session.isClosed).toBe(false);
    expect(session.counters.errors).toEqual({ [-32601]: 1 });
  });
});
