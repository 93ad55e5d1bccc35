import type { ShareRejectReason, ShareVerdict } from '@lode/mining';
import { SHARE_REJECT_REASONS } from '@lode/mining';
import { classicCodec, createLinePair, FramingTestTransport, LodeError, RpcPeer } from '@lode/stratum-core';
import type { CloseInfo, LodeLogger, MalformedMessage } from '@lode/stratum-core';
import type { WarthogAuthorizeRequest, WarthogSubmitRequest, WarthogSubscribeRequest } from '../messages';
import { H6, H6_ACCEPTED_NONCES, H6_JOB, H6_JOB_ID, H6_WORKER, LineProbe } from '../testing/wire.test-helper';
import type { WarthogServerHandler, WarthogServerSessionOptions } from './server-handler';
import { WarthogServerSession } from './server-session';

interface FakePool extends WarthogServerHandler {
  subscribes: WarthogSubscribeRequest[];
  authorizes: WarthogAuthorizeRequest[];
  submits: WarthogSubmitRequest[];
  suggested: number[];
  extranonceSubscribes: number;
  closedWith: CloseInfo[];
  verdict: (req: WarthogSubmitRequest) => ShareVerdict;
  onSubscribe?: () => void;
}

const ACCEPTED: ShareVerdict = { accepted: true, difficulty: 500000, shareDifficulty: 640245, block: false, hash: '00'.repeat(32) };

function fakePool(): FakePool {
  const pool: FakePool = {
    subscribes: [],
    authorizes: [],
    submits: [],
    suggested: [],
    extranonceSubscribes: 0,
    closedWith: [],
    // §6-H: the verdicts by nonce
    verdict: (req) =>
      H6_ACCEPTED_NONCES.has(req.nonce) ? ACCEPTED : { accepted: false, reason: 'low-difficulty', message: '' },
    async subscribe(req) {
      pool.subscribes.push(req);
      pool.onSubscribe?.();
      return { extranonce1: Buffer.from('00000001', 'hex'), extranonce2Size: 6, sessionId: '00000001' };
    },
    async authorize(req) {
      pool.authorizes.push(req);
      return req.password !== 'wrong';
    },
    async submit(req) {
      pool.submits.push(req);
      return pool.verdict(req);
    },
    suggestDifficulty(d) {
      pool.suggested.push(d);
    },
    extranonceSubscribe() {
      pool.extranonceSubscribes++;
    },
    closed(info) {
      pool.closedWith.push(info);
    },
  };
  return pool;
}

const opened: LineProbe[] = [];

function setup(options: WarthogServerSessionOptions = {}) {
  const [minerEnd, poolEnd] = createLinePair();
  const peer = new RpcPeer(poolEnd, classicCodec);
  const pool = fakePool();
  const session = new WarthogServerSession(peer, pool, options);
  const miner = new LineProbe(minerEnd);
  opened.push(miner);
  return { session, pool, miner, peer };
}

/** janusminer's handshake from §6-H (subscribe id 1, authorize id 2), replies consumed. */
async function handshake(options: WarthogServerSessionOptions = {}) {
  const ctx = setup(options);
  ctx.miner.send(H6.subscribe);
  expect(await ctx.miner.next()).toBe(H6.subscribeReply);
  ctx.miner.send(H6.authorize);
  expect(await ctx.miner.next()).toBe(H6.authorizeReply);
  return ctx;
}

function submit4(overrides: Partial<Record<'job' | 'en2' | 'ntime' | 'nonce', unknown>> = {}): unknown[] {
  return [overrides.job ?? H6_JOB_ID, overrides.en2 ?? '000000000002', overrides.ntime ?? '66f2fefb', overrides.nonce ?? '00002df1'];
}

afterEach(() => {
  for (const o of opened.splice(0)) o.close();
});

/** Gives the pool a `malformed` callback; returns what it receives. */
function watchMalformed(pool: WarthogServerHandler): MalformedMessage[] {
  const seen: MalformedMessage[] = [];
  pool.malformed = (message) => {
    seen.push(message);
  };
  return seen;
}

/** What `LineProbe.barrier` (a request for the unknown method lode.barrier) reports itself. */
const BARRIER: MalformedMessage = { kind: 'unknown-method', method: 'lode.barrier', reason: "unknown method 'lode.barrier'" };

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

describe('WarthogServerSession', () => {
  describe('when janusminer runs the session of facts/warthog.md §6-H', () => {
    it('answers every line exactly as §6-H shows', async () => {
      const { session, pool, miner } = setup();

      miner.send(H6.subscribe);
      expect(await miner.next()).toBe(H6.subscribeReply);
      miner.send(H6.authorize);
      expect(await miner.next()).toBe(H6.authorizeReply);

      session.sendDifficulty(500000);
      session.sendNotify(H6_JOB);
      expect(await miner.next()).toBe(H6.setDifficulty);
      expect(await miner.next()).toBe(H6.notify);

      miner.send(H6.submit3);
      expect(await miner.next()).toBe(H6.submit3Reply);
      miner.send(H6.submit4);
      expect(await miner.next()).toBe(H6.submit4Reply);
      miner.send(H6.submit5);
      expect(await miner.next()).toBe(H6.submit5Reply);

      expect(pool.subscribes).toEqual([{ userAgent: 'janusminer/0.0.1' }]);
      expect(pool.authorizes).toEqual([{ workerName: H6_WORKER, password: 'x' }]);
      const en2 = Buffer.from('000000000002', 'hex');
      expect(pool.submits).toEqual([
        { workerName: H6_WORKER, jobId: H6_JOB_ID, extranonce2: en2, ntime: 0x66f2fefb, nonce: 0x00002df1 },
        { workerName: H6_WORKER, jobId: H6_JOB_ID, extranonce2: en2, ntime: 0x66f2fefb, nonce: 0x00000456 },
        { workerName: H6_WORKER, jobId: H6_JOB_ID, extranonce2: en2, ntime: 0x66f2fefb, nonce: 0x0000cb8e },
      ]);
      expect(session.subscribed).toBe(true);
      expect(session.userAgent).toBe('janusminer/0.0.1');
      expect(session.extranonce1?.toString('hex')).toBe('00000001');
      expect(session.extranonce2Size).toBe(6);
      expect(session.sessionId).toBe('00000001');
      expect(session.currentWorker).toBe(H6_WORKER);
      expect(session.counters.errors).toEqual({ 23: 2 });
    });

    it('sends difficulty and job queued inside handler.subscribe right after the reply', async () => {
      const { session, pool, miner } = setup();
      pool.onSubscribe = () => {
        session.sendDifficulty(500000);
        session.sendNotify(H6_JOB);
      };
      miner.send(H6.subscribe);
      expect(await miner.next()).toBe(H6.subscribeReply);
      expect(await miner.next()).toBe(H6.setDifficulty);
      expect(await miner.next()).toBe(H6.notify);
    });
  });

  describe('when the pool sends jobs and difficulties', () => {
    it('writes the version as 8 hex digits and a fractional difficulty as the same JSON number', async () => {
      const { session, miner } = await handshake();
      session.sendDifficulty(0.5);
      session.sendNotify({ ...H6_JOB, jobId: 'j2', version: 2, merklePrefix: 'ab'.repeat(64), clean: false });
      expect(await miner.next()).toBe('{"id":null,"method":"mining.set_difficulty","params":[0.5]}');
      expect(await miner.next()).toBe(
        `{"id":null,"method":"mining.notify","params":["j2","05b42d206f8a4b2b8094199fd28423151af8aa54a5073ac6e6805f42096dc3a2","${'ab'.repeat(64)}","00000002","0ae7cde7","66f2fefb",false]}`,
      );
    });

    it('refuses a job or difficulty out of shape with a LodeError and sends nothing', async () => {
      const { session, miner } = await handshake();
      expect(() => session.sendDifficulty(0)).toThrow(/difficulty 0 is not a finite number > 0/);
      expect(() => session.sendNotify({ ...H6_JOB, prevHash: 'abcd' })).toThrow(LodeError);
      expect(() => session.sendNotify({ ...H6_JOB, merklePrefix: 'ab'.repeat(48) })).toThrow(
        /merklePrefix '.*' is not 64 or 128 hex digits/,
      );
      expect(() => session.sendNotify({ ...H6_JOB, version: -1 })).toThrow(/not a uint32/);
      expect(await miner.barrier()).toEqual([]);
    });

    it('sends client.reconnect', async () => {
      const { session, miner } = await handshake();
      session.reconnect();
      session.reconnect('wart.example.com', 3456, 5);
      expect(await miner.next()).toBe('{"id":null,"method":"client.reconnect","params":[]}');
      expect(await miner.next()).toBe('{"id":null,"method":"client.reconnect","params":["wart.example.com","3456",5]}');
    });

    it('lets a clean notify queued before subscribe replace the jobs and difficulties before it', async () => {
      const { session, miner } = setup();
      session.sendDifficulty(2);
      session.sendNotify({ ...H6_JOB, jobId: 'old', clean: false });
      session.sendDifficulty(500000);
      session.sendNotify(H6_JOB);
      miner.send(H6.subscribe);
      expect(await miner.next()).toBe(H6.subscribeReply);
      expect(await miner.barrier()).toEqual([H6.setDifficulty, H6.notify]);
    });

    it('closes the connection when more messages wait for the subscribe reply than the cap', async () => {
      const { session, miner } = setup({ maxQueuedBeforeSubscribe: 2 });
      session.reconnect();
      session.reconnect();
      session.reconnect();
      await expect(miner.next()).rejects.toThrow(/closed: over 2 server messages waiting for the subscribe reply/);
      expect(session.isClosed).toBe(true);
    });
  });

  describe('when a share is submitted in the older 5-parameter form', () => {
    it('drops the leading worker name and credits the worker it names', async () => {
      const { miner, pool } = await handshake();
      miner.send({ id: 3, method: 'mining.authorize', params: ['addr.rig2', 'x'] });
      expect(await miner.next()).toBe('{"id":3,"result":true,"error":null}');
      miner.send(`{"id":4,"method":"mining.submit","params":["${H6_WORKER}","${H6_JOB_ID}","000000000002","66f2fefb","00002df1"]}`);
      expect(await miner.next()).toBe('{"id":4,"result":true,"error":null}');
      expect(pool.submits).toEqual([
        {
          workerName: H6_WORKER,
          jobId: H6_JOB_ID,
          extranonce2: Buffer.from('000000000002', 'hex'),
          ntime: 0x66f2fefb,
          nonce: 0x2df1,
        },
      ]);
    });

    it('refuses a named worker that is not authorized with 24', async () => {
      const { miner, pool } = await handshake();
      miner.send({ id: 4, method: 'mining.submit', params: ['mallory', ...submit4()] });
      expect(await miner.next()).toBe(
        '{"id":4,"result":null,"error":[24,"worker \'mallory\' is not authorized on this connection",null]}',
      );
      expect(pool.submits).toEqual([]);
    });
  });

  describe('when a share is submitted in the 4-parameter form', () => {
    it('credits the worker authorized last', async () => {
      const { miner, pool, session } = await handshake();
      miner.send({ id: 3, method: 'mining.authorize', params: ['addr.rig2', 'x'] });
      await miner.next();
      miner.send({ id: 4, method: 'mining.submit', params: submit4() });
      expect(await miner.next()).toBe('{"id":4,"result":true,"error":null}');
      miner.send({ id: 5, method: 'mining.authorize', params: [H6_WORKER, 'x'] });
      await miner.next();
      miner.send({ id: 6, method: 'mining.submit', params: submit4() });
      expect(await miner.next()).toBe('{"id":6,"result":true,"error":null}');
      expect(pool.submits.map((s) => s.workerName)).toEqual(['addr.rig2', H6_WORKER]);
      expect([...session.authorizedWorkers]).toEqual([H6_WORKER, 'addr.rig2']);
    });

    it('keeps the last worker when a later authorize is refused', async () => {
      const { miner, pool } = await handshake();
      miner.send({ id: 3, method: 'mining.authorize', params: ['addr.rig2', 'wrong'] });
      expect(await miner.next()).toBe('{"id":3,"result":null,"error":[24,"worker \'addr.rig2\' is not authorized",null]}');
      miner.send({ id: 4, method: 'mining.submit', params: submit4() });
      expect(await miner.next()).toBe('{"id":4,"result":true,"error":null}');
      expect(pool.submits[0].workerName).toBe(H6_WORKER);
    });

    it('answers 24 when no worker is authorized', async () => {
      const { miner, pool } = setup();
      miner.send(H6.subscribe);
      await miner.next();
      miner.send({ id: 3, method: 'mining.submit', params: submit4() });
      expect(await miner.next()).toBe(
        '{"id":3,"result":null,"error":[24,"no worker is authorized on this connection: send mining.authorize first",null]}',
      );
      expect(pool.submits).toEqual([]);
    });

    it('answers 25 before subscribe', async () => {
      const { miner, pool } = setup();
      miner.send({ id: 3, method: 'mining.submit', params: submit4() });
      expect(await miner.next()).toBe(
        '{"id":3,"result":null,"error":[25,"not subscribed: send mining.subscribe first",null]}',
      );
      expect(await miner.barrier()).toEqual([]);
      expect(pool.submits).toEqual([]);
    });
  });

  describe('when a share is submitted with the wrong shape', () => {
    const cases: Array<[string, unknown[], string]> = [
      [
        '3 params',
        submit4().slice(0, 3),
        '[-32602,"mining.submit takes 4 parameters [jobId, extranonce2, ntime, nonce] (or 5 with a leading worker name), got 3",null]',
      ],
      [
        '6 params',
        ['w', ...submit4(), '00000000'],
        '[-32602,"mining.submit takes 4 parameters [jobId, extranonce2, ntime, nonce] (or 5 with a leading worker name), got 6",null]',
      ],
      [
        'a numeric nonce',
        submit4({ nonce: 11761 }),
        '[-32602,"mining.submit parameter 4 (nonce) is 11761, expected a string",null]',
      ],
      [
        'a numeric worker name in the 5-parameter form',
        [7, ...submit4()],
        '[-32602,"mining.submit parameter 1 (worker name) is 7, expected a string",null]',
      ],
      ['an empty job id', submit4({ job: '' }), '[-32602,"mining.submit job id is empty",null]'],
      ['extranonce2 of 2 bytes', submit4({ en2: '0002' }), '[20,"extranonce2 is 2 bytes, expected 6",null]'],
      ['extranonce2 not hex', submit4({ en2: '00000000000g' }), '[20,"extranonce2 \'00000000000g\' is not hex bytes",null]'],
      ['a short ntime', submit4({ ntime: '6f2fefb' }), '[20,"ntime \'6f2fefb\' is not 8 hex digits",null]'],
      ['a long nonce', submit4({ nonce: '0000002df1' }), '[20,"nonce \'0000002df1\' is not 8 hex digits",null]'],
      ['a non-hex nonce', submit4({ nonce: '00002dfz' }), '[20,"nonce \'00002dfz\' is not 8 hex digits",null]'],
    ];

    it.each(cases)('answers %s precisely and stays up', async (_name, params, error) => {
      const { miner, pool } = await handshake();
      miner.send({ id: 4, method: 'mining.submit', params });
      expect(await miner.next()).toBe(`{"id":4,"result":null,"error":${error}}`);
      expect(await miner.barrier()).toEqual([]);
      expect(pool.submits).toEqual([]);
    });
  });

  describe('when the pool rejects a share', () => {
    /** The code table (Stratum v1 numbering, facts/warthog.md §7 "responses"), written out independently. */
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
      pool.verdict = () => ({ accepted: false, reason, message: `refused: ${reason}` });
      miner.send({ id: 4, method: 'mining.submit', params: submit4() });
      expect(await miner.next()).toBe(`{"id":4,"result":null,"error":[${expectedCode[reason]},"refused: ${reason}",null]}`);
    });

    it('keeps an unknown job and a stale job apart', async () => {
      const { miner, pool } = await handshake();
      pool.verdict = () => ({ accepted: false, reason: 'unknown-job', message: '' });
      miner.send({ id: 4, method: 'mining.submit', params: submit4({ job: 'zz' }) });
      expect(await miner.next()).toBe('{"id":4,"result":null,"error":[20,"unknown job id",null]}');
      pool.verdict = () => ({ accepted: false, reason: 'stale', message: '' });
      miner.send({ id: 5, method: 'mining.submit', params: submit4() });
      expect(await miner.next()).toBe('{"id":5,"result":null,"error":[21,"job not found (stale)",null]}');
      pool.verdict = () => ({ accepted: false, reason: 'duplicate', message: '' });
      miner.send({ id: 6, method: 'mining.submit', params: submit4() });
      expect(await miner.next()).toBe('{"id":6,"result":null,"error":[22,"duplicate share",null]}');
    });

    it('answers 20 without internals when the handler throws', async () => {
      const { miner, pool } = await handshake();
      pool.submit = async () => {
        throw new Error('redis down at 10.0.0.5');
      };
      miner.send({ id: 4, method: 'mining.submit', params: submit4() });
      expect(await miner.next()).toBe('{"id":4,"result":null,"error":[20,"mining.submit failed: internal error",null]}');
    });
  });

  describe('when the miner sends what the dialect does not define', () => {
    it('answers an unknown method with -32601 naming it, and counts it', async () => {
      const { session, miner } = await handshake();
      miner.send({ id: 7, method: 'mining.get_transactions', params: [] });
      expect(await miner.next()).toBe(
        '{"id":7,"result":null,"error":[-32601,"unknown method \'mining.get_transactions\'",null]}',
      );
      miner.send({ id: 8, method: 'constructor', params: [] });
      expect(await miner.next()).toBe('{"id":8,"result":null,"error":[-32601,"unknown method \'constructor\'",null]}');
      expect(session.counters.requests['unknown']).toBe(2);
      expect(session.counters.errors[-32601]).toBe(2);
    });

    it('answers mining.extranonce.subscribe with true and remembers it', async () => {
      const { session, miner, pool } = await handshake();
      expect(session.extranonceSubscribed).toBe(false);
      miner.send({ id: 3, method: 'mining.extranonce.subscribe', params: [] });
      expect(await miner.next()).toBe('{"id":3,"result":true,"error":null}');
      miner.send({ id: 4, method: 'mining.extranonce.subscribe', params: [] });
      expect(await miner.next()).toBe('{"id":4,"result":true,"error":null}');
      expect(session.extranonceSubscribed).toBe(true);
      expect(pool.extranonceSubscribes).toBe(1);
    });

    it('passes a suggested difficulty, fractional or as a string, to the handler', async () => {
      const { miner, pool } = await handshake();
      miner.send({ id: 3, method: 'mining.suggest_difficulty', params: [0.25] });
      expect(await miner.next()).toBe('{"id":3,"result":true,"error":null}');
      miner.send({ id: 4, method: 'mining.suggest_difficulty', params: ['500000'] });
      expect(await miner.next()).toBe('{"id":4,"result":true,"error":null}');
      miner.send({ id: null, method: 'mining.suggest_difficulty', params: [1000] });
      miner.send({ id: 5, method: 'mining.suggest_difficulty', params: [-1] });
      expect(await miner.next()).toBe(
        '{"id":5,"result":null,"error":[-32602,"mining.suggest_difficulty takes a positive difficulty, got -1",null]}',
      );
      expect(pool.suggested).toEqual([0.25, 500000, 1000]);
    });
  });

  describe('when the miner sends a malformed line', () => {
    it('answers invalid JSON with -32700 and id null, and stays up', async () => {
      const { miner } = await handshake();
      miner.send('{"id": 5, "method": ');
      const reply = await miner.nextJson();
      expect(reply.id).toBeNull();
      expect(reply.result).toBeNull();
      expect((reply.error as unknown[])[0]).toBe(-32700);
      expect(await miner.barrier()).toEqual([]);
    });

    it('answers params that are not an array with -32600 and the request id', async () => {
      const { miner, pool } = await handshake();
      miner.send(`{"id": 6, "method": "mining.submit", "params": "${H6_JOB_ID}"}`);
      const reply = await miner.nextJson();
      expect(reply.id).toBe(6);
      expect(reply.error).toEqual([-32600, 'params of mining.submit is string ' + JSON.stringify(H6_JOB_ID) + ', expected an array', null]);
      expect(await miner.barrier()).toEqual([]);
      expect(pool.submits).toEqual([]);
    });

    it('never answers a stray response', async () => {
      const { miner } = await handshake();
      miner.send('{"id": 1, "result": true, "error": null}');
      expect(await miner.barrier()).toEqual([]);
    });
  });

  describe('when the miner subscribes or authorizes wrongly', () => {
    it('refuses a second subscribe with -32600', async () => {
      const { miner, pool } = await handshake();
      miner.send({ id: 3, method: 'mining.subscribe', params: ['janusminer/0.0.1'] });
      expect(await miner.next()).toBe('{"id":3,"result":null,"error":[-32600,"already subscribed",null]}');
      expect(pool.subscribes).toHaveLength(1);
    });

    it('passes a resume session id and accepts an empty params list', async () => {
      const { pool, miner } = setup();
      miner.send({ id: 1, method: 'mining.subscribe', params: ['janusminer/0.3.4', '0000000a'] });
      await miner.next();
      expect(pool.subscribes).toEqual([{ userAgent: 'janusminer/0.3.4', sessionId: '0000000a' }]);
      const other = setup();
      other.miner.send({ id: 1, method: 'mining.subscribe', params: [] });
      expect(await other.miner.next()).toBe(H6.subscribeReply);
    });

    it('answers 20 when the pool hands out extranonces that are not 10 bytes together', async () => {
      const { miner, pool, session } = setup();
      pool.subscribe = async () => ({ extranonce1: Buffer.from('00000001', 'hex'), extranonce2Size: 2, sessionId: 's' });
      miner.send(H6.subscribe);
      expect(await miner.next()).toBe('{"id":1,"result":null,"error":[20,"mining.subscribe failed: internal error",null]}');
      expect(session.subscribed).toBe(false);
    });

    it('answers an authorize without a user with -32602', async () => {
      const { miner } = await handshake();
      miner.send({ id: 3, method: 'mining.authorize', params: [] });
      expect(await miner.next()).toBe(
        '{"id":3,"result":null,"error":[-32602,"mining.authorize takes [user, password]; user undefined is not a non-empty string",null]}',
      );
    });

    it('refuses workers beyond maxWorkers with 24', async () => {
      const { miner } = await handshake({ maxWorkers: 1 });
      miner.send({ id: 3, method: 'mining.authorize', params: ['addr.rig2', 'x'] });
      expect(await miner.next()).toBe(
        '{"id":3,"result":null,"error":[24,"too many workers on this connection (at most 1)",null]}',
      );
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
      miner.send({ id: 3, method: 'mining.authorize', params: ['addr.rig2', 'x'] });
      miner.send({ id: 4, method: 'mining.nope', params: [] });
      await authorizeCalled;
      release(true);
      expect(await miner.next()).toBe('{"id":3,"result":true,"error":null}');
      expect(await miner.next()).toBe('{"id":4,"result":null,"error":[-32601,"unknown method \'mining.nope\'",null]}');
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
      const pool = fakePool();
      new WarthogServerSession(new RpcPeer(transport, classicCodec), pool);
      transport.overlong(new LodeError('framing', 'line over 16384 bytes'));
      expect(transport.sent).toEqual(['{"id":null,"result":null,"error":[-32600,"line over 16384 bytes",null]}']);
      expect(transport.isClosed).toBe(true);
      expect(pool.closedWith).toEqual([{ reason: 'line over 16384 bytes', byPeer: false }]);
    });

    it('answers it the same through a transport that links the peer by callbacks, subscribing to no stream', () => {
      const transport = new FramingTestTransport(true);
      const peer = new RpcPeer(transport, classicCodec);
      const session = new WarthogServerSession(peer, fakePool());
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
      expect(session.isClosed).toBe(true);
      expect(() => session.sendNotify(H6_JOB)).not.toThrow();
      expect(session.counters).toEqual({
        requests: { 'mining.subscribe': 1, 'mining.authorize': 1, unknown: 1 },
        errors: { [-32601]: 1 },
        invalidLines: 0,
        framingErrors: 0,
      });
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
      miner.send({ id: 3, method: 'mining.authorize', params: ['addr.rig2', 'x'] });
      miner.send({ id: 4, method: 'mining.submit', params: submit4() });
      await authorizeCalled;
      session.close('pool shutting down');
      release(true);
      await expect(miner.next()).rejects.toThrow(/closed: pool shutting down/);
      expect(pool.submits).toEqual([]);
      expect(pool.closedWith).toEqual([{ reason: 'pool shutting down', byPeer: false }]);
    });
  });
});


describe('WarthogServerSession handler.malformed', () => {
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
    new WarthogServerSession(new RpcPeer(transport, classicCodec), pool);
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
    expect(await miner.barrier()).toEqual([]);
    expect(seen).toEqual([{ kind: 'not-json', reason: message }, BARRIER]);
  });

  it('reports JSON that is not a request as not-request, with the method it names', async () => {
    const { miner, pool } = await handshake();
    const seen = watchMalformed(pool);
    miner.send(`{"id": 6, "method": "mining.submit", "params": "${H6_JOB_ID}"}`);
    const [code, message] = await errorOf(miner, 6);
    expect(code).toBe(-32600);
    expect(message).toBe(`params of mining.submit is string ${JSON.stringify(H6_JOB_ID)}, expected an array`);
    miner.send('{"id": 7, "method": 12, "params": []}');
    const [code2, message2] = await errorOf(miner, 7);
    expect(code2).toBe(-32600);
    expect(await miner.barrier()).toEqual([]);
    expect(seen).toEqual([
      { kind: 'not-request', method: 'mining.submit', reason: message },
      { kind: 'not-request', reason: message2 },
      BARRIER,
    ]);
  });

  it('reports a second subscribe as not-request (-32600, as the pool counts it)', async () => {
    const { miner, pool } = await handshake();
    const seen = watchMalformed(pool);
    miner.send({ id: 3, method: 'mining.subscribe', params: ['janusminer/0.0.1'] });
    expect(await miner.next()).toBe('{"id":3,"result":null,"error":[-32600,"already subscribed",null]}');
    expect(seen).toEqual([{ kind: 'not-request', method: 'mining.subscribe', reason: 'already subscribed' }]);
  });

  it('does not report a stray response', async () => {
    const { miner, pool } = await handshake();
    const seen = watchMalformed(pool);
    miner.send('{"id": 1, "result": true, "error": null}');
    expect(await miner.barrier()).toEqual([]);
    expect(seen).toEqual([BARRIER]);
  });

  it('reports an unknown method once, its name cut to 64 characters', async () => {
    const { miner, pool } = await handshake();
    const seen = watchMalformed(pool);
    miner.send({ id: 7, method: 'mining.get_transactions', params: [] });
    expect(await miner.next()).toBe(
      '{"id":7,"result":null,"error":[-32601,"unknown method \'mining.get_transactions\'",null]}',
    );
    const long = `mining.${'x'.repeat(100)}`;
    miner.send({ id: 8, method: long, params: [] });
    const [code, message] = await errorOf(miner, 8);
    expect(code).toBe(-32601);
    expect(seen).toEqual([
      { kind: 'unknown-method', method: 'mining.get_transactions', reason: "unknown method 'mining.get_transactions'" },
      { kind: 'unknown-method', method: `mining.${'x'.repeat(57)}`, reason: message },
    ]);
    expect(seen[1].method).toHaveLength(64);
  });

  it('reports wrong params of a known method as bad-params, once each, with the reply message', async () => {
    const { miner, pool } = await handshake();
    const seen = watchMalformed(pool);
    miner.send({ id: 4, method: 'mining.submit', params: submit4().slice(0, 3) });
    expect(await miner.next()).toBe(
      '{"id":4,"result":null,"error":[-32602,"mining.submit takes 4 parameters [jobId, extranonce2, ntime, nonce] (or 5 with a leading worker name), got 3",null]}',
    );
    miner.send({ id: 5, method: 'mining.authorize', params: [] });
    expect(await miner.next()).toBe(
      '{"id":5,"result":null,"error":[-32602,"mining.authorize takes [user, password]; user undefined is not a non-empty string",null]}',
    );
    miner.send({ id: 6, method: 'mining.suggest_difficulty', params: [-1] });
    expect(await miner.next()).toBe(
      '{"id":6,"result":null,"error":[-32602,"mining.suggest_difficulty takes a positive difficulty, got -1",null]}',
    );
    expect(seen).toEqual([
      {
        kind: 'bad-params',
        method: 'mining.submit',
        reason:
          'mining.submit takes 4 parameters [jobId, extranonce2, ntime, nonce] (or 5 with a leading worker name), got 3',
      },
      {
        kind: 'bad-params',
        method: 'mining.authorize',
        reason: 'mining.authorize takes [user, password]; user undefined is not a non-empty string',
      },
      { kind: 'bad-params', method: 'mining.suggest_difficulty', reason: 'mining.suggest_difficulty takes a positive difficulty, got -1' },
    ]);
  });

  it.each([...SHARE_REJECT_REASONS])('reports nothing for a share rejected as %s', async (reason) => {
    const { miner, pool } = await handshake();
    const seen = watchMalformed(pool);
    pool.verdict = () => ({ accepted: false, reason, message: `refused: ${reason}` });
    miner.send({ id: 4, method: 'mining.submit', params: submit4() });
    expect((await miner.nextJson()).error).not.toBeNull();
    expect(await miner.barrier()).toEqual([]);
    expect(seen).toEqual([BARRIER]);
  });

  it('reports nothing for the §6-H low-difficulty shares', async () => {
    const { miner, pool, session } = await handshake();
    const seen = watchMalformed(pool);
    session.sendDifficulty(500000);
    session.sendNotify(H6_JOB);
    await miner.next();
    await miner.next();
    miner.send(H6.submit4);
    expect(await miner.next()).toBe(H6.submit4Reply);
    miner.send(H6.submit5);
    expect(await miner.next()).toBe(H6.submit5Reply);
    expect(seen).toEqual([]);
  });

  it('reports nothing for refusals the session makes itself, a refused authorize or an internal error', async () => {
    const { miner, pool } = setup();
    const seen = watchMalformed(pool);
    miner.send({ id: 1, method: 'mining.submit', params: submit4() });
    expect(((await miner.nextJson()).error as unknown[])[0]).toBe(25);
    miner.send(H6.subscribe);
    expect(await miner.next()).toBe(H6.subscribeReply);
    miner.send({ id: 2, method: 'mining.submit', params: submit4() });
    expect(((await miner.nextJson()).error as unknown[])[0]).toBe(24);
    miner.send({ id: 3, method: 'mining.authorize', params: [H6_WORKER, 'wrong'] });
    expect(((await miner.nextJson()).error as unknown[])[0]).toBe(24);
    miner.send(H6.authorize);
    expect(await miner.next()).toBe(H6.authorizeReply);
    miner.send({ id: 4, method: 'mining.submit', params: submit4({ en2: '0002' }) });
    expect(await miner.next()).toBe('{"id":4,"result":null,"error":[20,"extranonce2 is 2 bytes, expected 6",null]}');
    pool.submit = async () => {
      throw new Error('redis down');
    };
    miner.send({ id: 5, method: 'mining.submit', params: submit4() });
    expect(await miner.next()).toBe('{"id":5,"result":null,"error":[20,"mining.submit failed: internal error",null]}');
    expect(seen).toEqual([]);
  });

  it('reports no notification: unknown ones are ignored, as is a refused suggest_difficulty', async () => {
    const { miner, pool } = await handshake();
    const seen = watchMalformed(pool);
    miner.send({ id: null, method: 'mining.foo', params: [] });
    miner.send({ id: null, method: 'mining.suggest_difficulty', params: ['abc'] });
    expect(await miner.barrier()).toEqual([]);
    expect(seen).toEqual([BARRIER]);
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
    miner.send({ id: 8, method: 'mining.extranonce.subscribe', params: [] });
    expect(await miner.next()).toBe('{"id":8,"result":true,"error":null}');
    expect(calls).toBe(1);
    expect(logger.errors).toEqual([{ obj: expect.objectContaining({ err: expect.any(Error) }), msg: 'malformed handler threw' }]);
    expect(session.isClosed).toBe(false);
    expect(session.counters.errors).toEqual({ [-32601]: 1 });
  });
});
