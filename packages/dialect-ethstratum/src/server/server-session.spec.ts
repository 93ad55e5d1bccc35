import { gunzipSync, gzipSync } from 'node:zlib';
import { createLinePair, eip1571Codec, FramingTestTransport, LodeError, RpcPeer } from '@lode/stratum-core';
import type { Eip1571Params } from '@lode/stratum-core';
import { fakePool, LineProbe, settle, SPEC, warnings } from '../testing/wire.test-helper';
import type { EthServerJob } from './server-session';
import { EthStratumServerSession } from './server-session';
import type { EthStratumServerSessionOptions } from './server-handler';

const NODE = 'Geth/v1.13.15-stable/linux-amd64/go1.21.6';

/** ethminer's hello (port 1234 = "4d2", the spec's example). */
const HELLO = `{"id":0,"method":"mining.hello","params":{"agent":"ethminer-0.19.0","host":"eth.pool.example","port":"${SPEC.helloPortHex}","proto":"EthereumStratum/2.0.0"}}`;
const HELLO_REPLY = `{"id":0,"result":{"proto":"EthereumStratum/2.0.0","encoding":"plain","resume":"0","timeout":"b4","maxerrors":"5","node":"${NODE}"}}`;

/** The spec's job: epoch dc, its target, ethash, extranonce af4c. */
const SPEC_JOB: EthServerJob = {
  jobId: SPEC.jobId,
  height: SPEC.height,
  headerHash: SPEC.headerHash,
  clean: false,
  epoch: SPEC.epoch,
  algo: 'ethash',
  target: SPEC.target,
  extranonce: Buffer.from(SPEC.extranonceHex, 'hex'),
};
const SPEC_SET_LINE =
  '{"method":"mining.set","params":{"epoch":"dc","target":"112e0be826d694b2e62d01511f12a6061fbaec8bc02357593e70e52ba","algo":"ethash","extranonce":"af4c"}}';
const SPEC_NOTIFY_LINE = `{"method":"mining.notify","params":["bf0488aa","6526d5","${SPEC.headerHash}","0"]}`;

const opened: Array<{ close(): void }> = [];

afterEach(() => {
  for (const o of opened.splice(0)) o.close();
  jest.useRealTimers();
});

function setup(options: Partial<EthStratumServerSessionOptions> = {}) {
  const [minerEnd, poolEnd] = createLinePair();
  const peer = new RpcPeer<Eip1571Params>(poolEnd, eip1571Codec);
  const pool = fakePool();
  const session = new EthStratumServerSession(peer, pool, { node: NODE, ...options });
  const miner = new LineProbe(minerEnd);
  opened.push(miner);
  return { session, pool, miner, peer };
}

/** hello (id 0) and subscribe (id 1), replies consumed. */
async function subscribed(options: Partial<EthStratumServerSessionOptions> = {}) {
  const ctx = setup(options);
  ctx.miner.send(HELLO);
  await ctx.miner.next();
  ctx.miner.send('{"id":1,"method":"mining.subscribe"}');
  expect(await ctx.miner.next()).toBe('{"id":1,"result":"s-1"}');
  return ctx;
}

/** hello, subscribe, and worker alice.rig1 authorized as w-1 (id 2). */
async function ready(options: Partial<EthStratumServerSessionOptions> = {}) {
  const ctx = await subscribed(options);
  ctx.miner.send('{"id":2,"method":"mining.authorize","params":["alice.rig1","x"]}');
  expect(await ctx.miner.next()).toBe('{"id":2,"result":"w-1"}');
  return ctx;
}

/** ready, and the spec's job sent (its set and notify consumed). */
async function withJob(options: Partial<EthStratumServerSessionOptions> = {}) {
  const ctx = await ready(options);
  expect(ctx.session.sendJob(SPEC_JOB)).toBe(true);
  expect(await ctx.miner.next()).toBe(SPEC_SET_LINE);
  expect(await ctx.miner.next()).toBe(SPEC_NOTIFY_LINE);
  return ctx;
}

describe('EthStratumServerSession', () => {
  describe('when the miner says mining.hello', () => {
    it('answers with exactly the six members, timeout b4 (180 s) and maxerrors 5 by default, with id 0', async () => {
      const { miner, session } = setup();
      miner.send(HELLO);
      expect(await miner.next()).toBe(HELLO_REPLY);
      expect(session.hello).toEqual({ agent: 'ethminer-0.19.0', host: 'eth.pool.example', port: 1234, proto: 'EthereumStratum/2.0.0' });
    });

    it('announces resume "1" and the configured timeout and maxerrors in hex', async () => {
      const { miner } = setup({ resume: true, timeoutSeconds: 600, maxErrors: 20 });
      miner.send(HELLO);
      expect(await miner.next()).toBe(
        `{"id":0,"result":{"proto":"EthereumStratum/2.0.0","encoding":"plain","resume":"1","timeout":"258","maxerrors":"14","node":"${NODE}"}}`,
      );
    });

    it('refuses another proto with 400 "Bad protocol request" and closes the connection', async () => {
      const { miner, pool } = setup();
      miner.send('{"id":0,"method":"mining.hello","params":{"agent":"a","host":"h","port":"4d2","proto":"EthereumStratum/1.0.0"}}');
      expect(await miner.next()).toBe(
        '{"id":0,"error":{"code":400,"message":"Bad protocol request: proto \\"EthereumStratum/1.0.0\\" is not \\"EthereumStratum/2.0.0\\""}}',
      );
      const closed = await miner.closed;
      expect(closed.reason).toBe('mining.hello refused: proto "EthereumStratum/1.0.0" is not "EthereumStratum/2.0.0"');
      expect(pool.closedWith).toEqual([{ reason: closed.reason, byPeer: false, bye: false }]);
    });

    it('refuses params sent as an array (WildRig) with 400 naming the shape, and stays open', async () => {
      const { miner } = setup();
      miner.send('{"id":0,"method":"mining.hello","params":["wildrig","h","4d2","EthereumStratum/2.0.0"]}');
      expect(await miner.next()).toBe(
        '{"id":0,"error":{"code":400,"message":"Bad request: mining.hello takes an object {agent, host, port, proto}, got [\\"wildrig\\",\\"h\\",\\"4d2\\",\\"EthereumStratum/2.0.0\\"]"}}',
      );
      miner.send(HELLO);
      expect(await miner.next()).toBe(HELLO_REPLY);
    });

    it('refuses a port with a leading zero, naming the member', async () => {
      const { miner } = setup();
      miner.send('{"id":0,"method":"mining.hello","params":{"agent":"a","host":"h","port":"04d2","proto":"EthereumStratum/2.0.0"}}');
      const reply = await miner.nextJson();
      expect(reply).toEqual({
        id: 0,
        error: {
          code: 400,
          message: 'Bad request: mining.hello member port: expected a hex number (lower-case digits, no 0x, no leading zeros), got "04d2"',
        },
      });
    });

    it('answers any other request before hello with 400 and counts it', async () => {
      const { miner, session } = setup();
      miner.send('{"id":1,"method":"mining.subscribe"}');
      expect(await miner.next()).toBe(
        '{"id":1,"error":{"code":400,"message":"Bad request: mining.hello must be the first request, got \\"mining.subscribe\\""}}',
      );
      expect(session.counters.counted).toBe(1);
      expect(session.counters.errors).toEqual({ 400: 1 });
    });

    it('answers a second hello with 400', async () => {
      const { miner } = setup();
      miner.send(HELLO);
      await miner.next();
      miner.send(HELLO);
      expect(await miner.next()).toBe('{"id":0,"error":{"code":400,"message":"Bad request: mining.hello was already answered on this connection"}}');
    });
  });

  describe('when the port offers gzip', () => {
    it('replies in plain text, then speaks gzip + base64 lines both ways', async () => {
      const { miner } = setup({ encoding: 'gzip' });
      miner.send(HELLO);
      expect(await miner.next()).toBe(
        `{"id":0,"result":{"proto":"EthereumStratum/2.0.0","encoding":"gzip","resume":"0","timeout":"b4","maxerrors":"5","node":"${NODE}"}}`,
      );
      miner.useGzip();
      miner.send('{"id":1,"method":"mining.subscribe"}');
      expect(await miner.next()).toBe('{"id":1,"result":"s-1"}');
    });

    it('closes the connection when a plain line follows (spec: MUST close)', async () => {
      const { miner, pool } = setup({ encoding: 'gzip' });
      miner.send(HELLO);
      await miner.next();
      miner.sendRaw('{"id":1,"method":"mining.subscribe"}');
      const closed = await miner.closed;
      expect(closed.reason).toBe('plain-text line after encoding gzip was negotiated');
      expect(pool.subscribes).toEqual([]);
    });

    it('sends jobs as gzip lines whose inflated text is the plain message', async () => {
      const [minerEnd, poolEnd] = createLinePair();
      const raw: string[] = [];
      minerEnd.lines$.subscribe((l) => raw.push(l));
      const pool = fakePool();
      const session = new EthStratumServerSession(new RpcPeer<Eip1571Params>(poolEnd, eip1571Codec), pool, { node: NODE, encoding: 'gzip' });
      opened.push({ close: () => minerEnd.close('test over') });
      const gz = (line: string) => gzipSync(Buffer.from(line)).toString('base64');
      minerEnd.send(HELLO);
      await settle();
      minerEnd.send(gz('{"id":1,"method":"mining.subscribe"}'));
      await settle();
      minerEnd.send(gz('{"id":2,"method":"mining.authorize","params":["alice.rig1","x"]}'));
      await settle();
      session.sendJob(SPEC_JOB);
      await settle();
      const text = raw.slice(1).map((l) => {
        expect(l).toMatch(/^[A-Za-z0-9+/]+=*$/);
        return gunzipSync(Buffer.from(l, 'base64')).toString('utf8');
      });
      expect(text).toEqual(['{"id":1,"result":"s-1"}', '{"id":2,"result":"w-1"}', SPEC_SET_LINE, SPEC_NOTIFY_LINE]);
    });
  });

  describe('when the miner subscribes', () => {
    it('starts a new session when params are absent and answers the session id', async () => {
      const { pool, session } = await subscribed();
      expect(pool.subscribes).toEqual([{ userAgent: 'ethminer-0.19.0' }]);
      expect(session.sessionId).toBe('s-1');
      expect(session.resumed).toBe(false);
    });

    it('resumes: the workers come back with their tokens in authorization order, and jobs flow without authorize', async () => {
      const ctx = setup({ resume: true });
      ctx.pool.answerSubscribe = (req) => ({
        sessionId: req.sessionId ?? 'new',
        extranonce: Buffer.from(SPEC.extranonceHex, 'hex'),
        workers: ['alice.rig1', 'alice.rig2'],
        resumed: req.sessionId === 's-42',
      });
      ctx.miner.send(HELLO);
      await ctx.miner.next();
      ctx.miner.send('{"id":1,"method":"mining.subscribe","params":"s-42"}');
      expect(await ctx.miner.next()).toBe('{"id":1,"result":"s-42"}');
      expect(ctx.pool.subscribes).toEqual([{ sessionId: 's-42', userAgent: 'ethminer-0.19.0' }]);
      expect([...ctx.session.workers]).toEqual([
        ['alice.rig1', 'w-1'],
        ['alice.rig2', 'w-2'],
      ]);
      expect(ctx.session.sendJob(SPEC_JOB)).toBe(true);
      expect(await ctx.miner.next()).toBe(SPEC_SET_LINE);
      expect(await ctx.miner.next()).toBe(SPEC_NOTIFY_LINE);
      ctx.miner.send(`{"id":31,"method":"mining.submit","params":["${SPEC.jobId}","${SPEC.minerNonce}","w-2"]}`);
      expect(await ctx.miner.next()).toBe('{"id":31}');
      expect(ctx.pool.submits[0].workerName).toBe('alice.rig2');
      expect(ctx.pool.authorizes).toEqual([]);
    });

    it('gives a new id when the pool cannot resume; the old tokens are unknown', async () => {
      const ctx = setup({ resume: true });
      ctx.miner.send(HELLO);
      await ctx.miner.next();
      ctx.miner.send('{"id":1,"method":"mining.subscribe","params":"s-42"}');
      expect(await ctx.miner.next()).toBe('{"id":1,"result":"s-1"}');
      expect(ctx.session.resumed).toBe(false);
      ctx.miner.send(`{"id":31,"method":"mining.submit","params":["${SPEC.jobId}","${SPEC.minerNonce}","w-1"]}`);
      expect(await ctx.miner.next()).toBe(
        '{"id":31,"error":{"code":301,"message":"Unknown worker token: token \\"w-1\\" was not issued in this session; authorize the worker first"}}',
      );
    });

    it('does not pass a session id on to the pool when the port does not resume', async () => {
      const ctx = setup();
      ctx.miner.send(HELLO);
      await ctx.miner.next();
      ctx.miner.send('{"id":1,"method":"mining.subscribe","params":"s-42"}');
      expect(await ctx.miner.next()).toBe('{"id":1,"result":"s-1"}');
      expect(ctx.pool.subscribes).toEqual([{ userAgent: 'ethminer-0.19.0' }]);
    });

    it('answers 500 when the pool claims a resume under another id, and lets the miner retry', async () => {
      const ctx = setup({ resume: true });
      ctx.pool.answerSubscribe = () => ({ sessionId: 's-9', extranonce: Buffer.alloc(0), workers: [], resumed: true });
      ctx.miner.send(HELLO);
      await ctx.miner.next();
      ctx.miner.send('{"id":1,"method":"mining.subscribe","params":"s-42"}');
      expect(await ctx.miner.next()).toBe('{"id":1,"error":{"code":500,"message":"Internal error: mining.subscribe failed"}}');
      ctx.pool.answerSubscribe = () => ({ sessionId: 's-10', extranonce: Buffer.alloc(0), workers: [], resumed: false });
      ctx.miner.send('{"id":2,"method":"mining.subscribe"}');
      expect(await ctx.miner.next()).toBe('{"id":2,"result":"s-10"}');
    });

    it('refuses params that are not a session id, and a second subscribe', async () => {
      const ctx = await subscribed();
      ctx.miner.send('{"id":2,"method":"mining.subscribe"}');
      expect(await ctx.miner.next()).toBe('{"id":2,"error":{"code":400,"message":"Bad request: mining.subscribe was already answered on this connection"}}');
      const fresh = setup();
      fresh.miner.send(HELLO);
      await fresh.miner.next();
      fresh.miner.send('{"id":1,"method":"mining.subscribe","params":[]}');
      expect(await fresh.miner.next()).toBe(
        '{"id":1,"error":{"code":400,"message":"Bad request: mining.subscribe params is [], expected no params (new session) or a session id of 1..64 characters"}}',
      );
    });
  });

  describe('when workers authorize', () => {
    it('gives several workers distinct tokens and the same worker its token again without asking the pool', async () => {
      const { miner, pool } = await ready();
      miner.send('{"id":3,"method":"mining.authorize","params":["alice.rig2",""]}');
      expect(await miner.next()).toBe('{"id":3,"result":"w-2"}');
      miner.send('{"id":4,"method":"mining.authorize","params":["alice.rig1","x"]}');
      expect(await miner.next()).toBe('{"id":4,"result":"w-1"}');
      expect(pool.authorizes).toEqual([
        { workerName: 'alice.rig1', password: 'x' },
        { workerName: 'alice.rig2', password: '' },
      ]);
    });

    it('answers 303 when the pool refuses, and issues no token', async () => {
      const { miner, pool, session } = await ready();
      pool.refused.add('mallory');
      miner.send('{"id":3,"method":"mining.authorize","params":["mallory","x"]}');
      expect(await miner.next()).toBe('{"id":3,"error":{"code":303,"message":"Worker not authorized: worker \\"mallory\\" refused"}}');
      expect([...session.workers.keys()]).toEqual(['alice.rig1']);
    });

    it('answers 302 before subscribe', async () => {
      const { miner } = setup();
      miner.send(HELLO);
      await miner.next();
      miner.send('{"id":2,"method":"mining.authorize","params":["alice.rig1","x"]}');
      expect(await miner.next()).toBe('{"id":2,"error":{"code":302,"message":"Not subscribed: send mining.subscribe first"}}');
    });

    it('answers 400 naming the shape when a parameter is missing', async () => {
      const { miner } = await subscribed();
      miner.send('{"id":2,"method":"mining.authorize","params":["alice.rig1"]}');
      expect(await miner.next()).toBe(
        '{"id":2,"error":{"code":400,"message":"Bad request: mining.authorize takes [workerName, password], got 1 parameter"}}',
      );
    });
  });

  describe('when the pool sends jobs', () => {
    it('holds a job until a worker is authorized, then sends mining.set with all four members before the notify', async () => {
      const { miner, session, pool } = await subscribed();
      pool.onAuthorize = () => expect(session.sendJob(SPEC_JOB)).toBe(false);
      miner.send('{"id":2,"method":"mining.authorize","params":["alice.rig1","x"]}');
      expect(await miner.next()).toBe('{"id":2,"result":"w-1"}');
      expect(await miner.next()).toBe(SPEC_SET_LINE);
      expect(await miner.next()).toBe(SPEC_NOTIFY_LINE);
    });

    it('sends only the members that changed, and nothing when none did', async () => {
      const { miner, session } = await withJob();
      session.sendJob({ ...SPEC_JOB, jobId: 'bf0488ab', clean: true });
      expect(await miner.next()).toBe(`{"method":"mining.notify","params":["bf0488ab","6526d5","${SPEC.headerHash}","1"]}`);
      session.sendJob({ ...SPEC_JOB, jobId: 'bf0488ac', target: 0xffffn << 208n });
      expect(await miner.next()).toBe('{"method":"mining.set","params":{"target":"ffff0000000000000000000000000000000000000000000000000000"}}');
      expect(await miner.next()).toBe(`{"method":"mining.notify","params":["bf0488ac","6526d5","${SPEC.headerHash}","0"]}`);
      session.sendJob({ ...SPEC_JOB, jobId: 'bf0488ad', target: 0xffffn << 208n, epoch: 221, extranonce: Buffer.alloc(0) });
      expect(await miner.next()).toBe('{"method":"mining.set","params":{"epoch":"dd","extranonce":""}}');
      expect(await miner.next()).toBe(`{"method":"mining.notify","params":["bf0488ad","6526d5","${SPEC.headerHash}","0"]}`);
    });

    it('refuses a job whose extranonce is over 6 bytes', async () => {
      const { session } = await ready();
      expect(() => session.sendJob({ ...SPEC_JOB, extranonce: Buffer.alloc(7) })).toThrow(
        'extranonce is 7 bytes, at most 6 allowed (EIP-1571 "A detail of extranonce")',
      );
    });

    it('sends the pool hashrate notification in the spec\'s object form', async () => {
      const { miner, session } = await subscribed();
      expect(session.sendHashrate({ intervalMinutes: 60, hashrate: 0x500000n, accepted: 3692, stale: 20, rejected: 0 })).toBe(true);
      expect(await miner.next()).toBe('{"method":"mining.hashrate","params":{"interval":60,"hr":"500000","accepted":[3692,20],"rejected":0}}');
    });
  });

  describe('when the miner submits', () => {
    it('answers an accepted share with the short form {"id":31} and passes the nonce split at the extranonce', async () => {
      const { miner, pool } = await withJob();
      miner.send(`{"id":31,"method":"mining.submit","params":["${SPEC.jobId}","${SPEC.minerNonce}","w-1"]}`);
      expect(await miner.next()).toBe('{"id":31}');
      expect(pool.submits).toHaveLength(1);
      const s = pool.submits[0];
      expect(s.workerName).toBe('alice.rig1');
      expect(s.jobId).toBe(SPEC.jobId);
      expect(s.extranonce.toString('hex')).toBe(SPEC.extranonceHex);
      expect(s.minerNonce.toString('hex')).toBe(SPEC.minerNonce);
      expect(s.nonce.toString('hex')).toBe(SPEC.fullNonce);
    });

    it('answers an accepted stale share with 202 "Stale" and does not count it toward maxerrors', async () => {
      const { miner, pool, session } = await withJob();
      pool.verdict = { accepted: true, difficulty: 1, shareDifficulty: 1, block: false, hash: '00'.repeat(32), stale: true };
      for (let id = 31; id < 38; id++) {
        miner.send(`{"id":${id},"method":"mining.submit","params":["${SPEC.jobId}","${SPEC.minerNonce}","w-1"]}`);
        expect(await miner.next()).toBe(`{"id":${id},"error":{"code":202,"message":"Stale"}}`);
      }
      expect(session.isClosed).toBe(false);
      expect(session.counters.errors).toEqual({ 202: 7 });
      expect(session.counters.counted).toBe(0);
    });

    it.each([
      ['low-difficulty', 406, 'Bad nonce: share difficulty 0.5 is below 1'],
      ['duplicate', 409, 'Duplicate share: share difficulty 0.5 is below 1'],
      ['stale', 410, 'Stale share: share difficulty 0.5 is below 1'],
      ['unknown-job', 404, 'Job not found: share difficulty 0.5 is below 1'],
      ['not-recorded', 503, 'Share not recorded, submit again: share difficulty 0.5 is below 1'],
    ] as const)('answers a %s rejection with %d', async (reason, code, message) => {
      const { miner, pool } = await withJob();
      pool.verdict = { accepted: false, reason, message: 'share difficulty 0.5 is below 1' };
      miner.send(`{"id":31,"method":"mining.submit","params":["${SPEC.jobId}","${SPEC.minerNonce}","w-1"]}`);
      expect(await miner.nextJson()).toEqual({ id: 31, error: { code, message } });
    });

    it('rejects a token not issued in this session with 301, before the pool sees the share', async () => {
      const { miner, pool } = await withJob();
      miner.send(`{"id":31,"method":"mining.submit","params":["${SPEC.jobId}","${SPEC.minerNonce}","w-7"]}`);
      expect(await miner.next()).toBe(
        '{"id":31,"error":{"code":301,"message":"Unknown worker token: token \\"w-7\\" was not issued in this session; authorize the worker first"}}',
      );
      expect(pool.submits).toEqual([]);
    });

    it('sizes the miner nonce by the extranonce of its own job: 414 otherwise', async () => {
      const { miner, session, pool } = await withJob();
      session.sendJob({ ...SPEC_JOB, jobId: 'j2', extranonce: Buffer.from('01', 'hex') });
      await miner.next();
      await miner.next();
      miner.send(`{"id":40,"method":"mining.submit","params":["${SPEC.jobId}","${SPEC.fullNonce}","w-1"]}`);
      expect(await miner.next()).toBe('{"id":40,"error":{"code":414,"message":"Bad nonce size: miner nonce is 8 bytes, expected 6 (extranonce af4c)"}}');
      miner.send('{"id":41,"method":"mining.submit","params":["j2","68765FCCD71234","w-1"]}');
      expect(await miner.next()).toBe('{"id":41}');
      miner.send(`{"id":42,"method":"mining.submit","params":["${SPEC.jobId}","${SPEC.minerNonce}","w-1"]}`);
      expect(await miner.next()).toBe('{"id":42}');
      expect(pool.submits.map((s) => s.nonce.toString('hex'))).toEqual(['0168765fccd71234', SPEC.fullNonce]);
      miner.send('{"id":43,"method":"mining.submit","params":["j2","xyz","w-1"]}');
      expect(await miner.next()).toBe('{"id":43,"error":{"code":414,"message":"Bad nonce size: miner nonce \\"xyz\\" is not hex"}}');
    });

    it('answers 400 naming the parameter that is not a string', async () => {
      const { miner } = await withJob();
      miner.send(`{"id":31,"method":"mining.submit","params":["${SPEC.jobId}","${SPEC.minerNonce}"]}`);
      expect(await miner.next()).toBe(
        '{"id":31,"error":{"code":400,"message":"Bad request: mining.submit takes [jobId, minerNonce, workerToken], got 2 parameters"}}',
      );
      miner.send('{"id":32,"method":"mining.submit","params":{"job":"bf0488aa"}}');
      expect(await miner.next()).toBe(
        '{"id":32,"error":{"code":400,"message":"Bad request: mining.submit takes [jobId, minerNonce, workerToken], got params {\\"job\\":\\"bf0488aa\\"}"}}',
      );
    });
  });

  describe('when the miner reports its hashrate', () => {
    it('acknowledges with {"id":16}, or answers the pool\'s figure for the worker', async () => {
      let now = 1_000_000;
      const { miner, pool } = await ready({ now: () => now });
      miner.send('{"id":16,"method":"mining.hashrate","params":["500000","w-1"]}');
      expect(await miner.next()).toBe('{"id":16}');
      expect(pool.hashrates).toEqual([{ workerName: 'alice.rig1', hashrate: 0x500000n }]);
      now += 10_000;
      pool.poolHashrate = 0x4f0000n;
      miner.send('{"id":17,"method":"mining.hashrate","params":["500000","w-1"]}');
      expect(await miner.next()).toBe('{"id":17,"result":["4f0000","w-1"]}');
    });

    it('answers 220 when a worker reports again within hashrateMinIntervalMs', async () => {
      let now = 1_000_000;
      const { miner, pool } = await ready({ now: () => now });
      miner.send('{"id":16,"method":"mining.hashrate","params":["500000","w-1"]}');
      await miner.next();
      now += 9_999;
      miner.send('{"id":17,"method":"mining.hashrate","params":["500000","w-1"]}');
      expect(await miner.next()).toBe(
        '{"id":17,"error":{"code":220,"message":"Enhance your calm. Too many requests: at most one report per 10 s per worker"}}',
      );
      expect(pool.hashrates).toHaveLength(1);
    });

    it('answers 301 for an unknown token and 400 for a padded hex number', async () => {
      const { miner } = await ready();
      miner.send('{"id":16,"method":"mining.hashrate","params":["500000","w-9"]}');
      expect((await miner.nextJson())['error']).toEqual({
        code: 301,
        message: 'Unknown worker token: token "w-9" was not issued in this session; authorize the worker first',
      });
      miner.send('{"id":17,"method":"mining.hashrate","params":["0500000","w-1"]}');
      expect((await miner.nextJson())['error']).toEqual({
        code: 400,
        message:
          'Bad request: mining.hashrate parameter 1 (hashrate): expected a hex number (lower-case digits, no 0x, no leading zeros), got "0500000"',
      });
    });
  });

  describe('when the miner sends noop, reconnect or an unknown method', () => {
    it('acknowledges mining.noop with the short form', async () => {
      const { miner } = await subscribed();
      miner.send('{"id":50,"method":"mining.noop"}');
      expect(await miner.next()).toBe('{"id":50}');
    });

    it('ignores a mining.reconnect notification: no reply, no error counted', async () => {
      const { miner, session } = await subscribed();
      miner.send('{"method":"mining.reconnect","params":{"host":"x.example","port":"d80","resume":"1"}}');
      expect(await miner.drainWithNoop(51)).toEqual([]);
      expect(session.counters.counted).toBe(0);
    });

    it('answers an unknown method with 405', async () => {
      const { miner, session } = await subscribed();
      miner.send('{"id":7,"method":"mining.extranonce.subscribe"}');
      expect(await miner.next()).toBe('{"id":7,"error":{"code":405,"message":"Method not found: unknown method \\"mining.extranonce.subscribe\\""}}');
      expect(session.counters.requests).toEqual({ 'mining.hello': 1, 'mining.subscribe': 1, unknown: 1 });
    });

    it('answers a line that breaks the conventions with 400 and its id', async () => {
      const { miner } = await subscribed();
      miner.send('{"id":5,"jsonrpc":"2.0","method":"mining.noop"}');
      expect(await miner.next()).toBe(
        '{"id":5,"error":{"code":400,"message":"Bad request: member \\"jsonrpc\\" must be omitted in EthereumStratum/2.0.0"}}',
      );
    });
  });

  describe('when errors add up', () => {
    it('sends the error that reaches maxerrors, then closes with "maxerrors 5 reached"', async () => {
      const { miner, pool, session } = await subscribed();
      miner.sendRaw('not json'); // no id: counted, unanswerable
      miner.send('{"id":9,"result":"w-1"}'); // a response to nothing: counted, not answered
      miner.send('{"method":"mining.submit","params":["a","b","c"]}'); // a notification a miner may not send
      miner.send('{"id":3,"method":"mining.nope"}');
      expect(await miner.next()).toBe('{"id":3,"error":{"code":405,"message":"Method not found: unknown method \\"mining.nope\\""}}');
      expect(session.isClosed).toBe(false);
      miner.send('{"id":4,"method":"mining.authorize","params":["alice.rig1"]}');
      expect(await miner.next()).toBe(
        '{"id":4,"error":{"code":400,"message":"Bad request: mining.authorize takes [workerName, password], got 1 parameter"}}',
      );
      const closed = await miner.closed;
      expect(closed).toEqual({ reason: 'maxerrors 5 reached', byPeer: true });
      expect(pool.closedWith).toEqual([{ reason: 'maxerrors 5 reached', byPeer: false, bye: false }]);
      expect(session.counters).toMatchObject({ counted: 5, invalidLines: 2, errors: { 400: 1, 405: 1 } });
    });

    it('honours a smaller maxErrors', async () => {
      const { miner } = await subscribed({ maxErrors: 2 });
      miner.send('{"id":3,"method":"mining.nope"}');
      await miner.next();
      miner.send('{"id":4,"method":"mining.nope"}');
      await miner.next();
      expect((await miner.closed).reason).toBe('maxerrors 2 reached');
    });
  });

  describe('when the miner goes quiet', () => {
    it('closes after timeoutSeconds without a message, any message resetting the clock', async () => {
      jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
      const { miner, pool } = await subscribed();
      jest.advanceTimersByTime(179_000);
      miner.send('{"id":50,"method":"mining.noop"}');
      expect(await miner.next()).toBe('{"id":50}');
      jest.advanceTimersByTime(179_000);
      await settle();
      expect(miner.closeInfo).toBeUndefined();
      jest.advanceTimersByTime(1_000);
      expect((await miner.closed).reason).toBe('idle for 180 s');
      expect(pool.closedWith).toEqual([{ reason: 'idle for 180 s', byPeer: false, bye: false }]);
      expect(jest.getTimerCount()).toBe(0);
    });
  });

  describe('when either side says mining.bye', () => {
    it('closes on the miner\'s bye and tells the pool the session is abandoned', async () => {
      const { miner, pool } = await ready();
      miner.send('{"method":"mining.bye"}');
      expect((await miner.closed).reason).toBe('mining.bye from the miner');
      expect(pool.closedWith).toEqual([{ reason: 'mining.bye from the miner', byPeer: true, bye: true }]);
    });

    it('sends mining.bye and closes when the pool says bye', async () => {
      const { miner, pool, session } = await ready();
      session.bye();
      expect(await miner.next()).toBe('{"method":"mining.bye"}');
      expect((await miner.closed).reason).toBe('mining.bye sent');
      expect(pool.closedWith).toEqual([{ reason: 'mining.bye sent', byPeer: false, bye: true }]);
    });
  });

  describe('when the pool moves the miner elsewhere', () => {
    it('sends mining.reconnect with the port in hex, then closes after the grace period', async () => {
      jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
      const { miner, pool, session } = await ready({ reconnectGraceMs: 2_000 });
      session.reconnect({ host: 'eu1.pool.example', port: 3456, resume: true });
      expect(await miner.next()).toBe('{"method":"mining.reconnect","params":{"host":"eu1.pool.example","port":"d80","resume":"1"}}');
      jest.advanceTimersByTime(1_999);
      await settle();
      expect(miner.closeInfo).toBeUndefined();
      jest.advanceTimersByTime(1);
      expect((await miner.closed).reason).toBe('mining.reconnect to eu1.pool.example:3456 sent');
      expect(pool.closedWith[0].bye).toBe(false);
    });
  });

  describe('when a line is over the transport length cap', () => {
    it.each([
      ['a transport that links the peer by callbacks (no stream subscribed)', true],
      ['a transport with streams only', false],
    ])('counts it and warns, sending nothing (no id to answer), through %s', (_name, attachable) => {
      const transport = new FramingTestTransport(attachable);
      const { logger, warned } = warnings();
      const pool = fakePool();
      const session = new EthStratumServerSession(new RpcPeer<Eip1571Params>(transport, eip1571Codec), pool, { node: NODE, logger });
      expect(transport.framingObserved).toBe(!attachable);
      transport.overlong(new LodeError('framing', 'line over 16384 bytes'));
      expect(transport.sent).toEqual([]);
      expect(session.counters.framingErrors).toBe(1);
      expect(warned).toEqual([[{ dialect: 'ethstratum', side: 'server', err: 'line over 16384 bytes' }, 'overlong line from the miner']]);
      expect(pool.closedWith).toEqual([{ reason: 'line over 16384 bytes', byPeer: false, bye: false }]);
      expect(transport.framingObserved).toBe(false);
    });
  });

  describe('when the options are wrong', () => {
    it('throws LodeError("config") naming the option', () => {
      const [, poolEnd] = createLinePair();
      const peer = new RpcPeer<Eip1571Params>(poolEnd, eip1571Codec);
      expect(() => new EthStratumServerSession(peer, fakePool(), { node: '' })).toThrow('node "" is not a non-empty printable ASCII string');
      expect(() => new EthStratumServerSession(peer, fakePool(), { node: NODE, maxErrors: 0 })).toThrow('maxErrors 0 is not a positive integer');
      poolEnd.close('test over');
    });
  });
});

