import { createLinePair, jsonRpc2Codec, RpcPeer } from '@lode/stratum-core';
import { ETHPROXY_PUSH_METHOD } from '../classic/classic-contract';
import type { EthClassicServerSessionOptions } from '../classic/classic-contract';
import { CHFAST2, CHFAST5M, deferred, fakeClassicPool, JOB2, JOB5M_ETC, LineProbe, settle } from './classic.test-helper';
import { EthProxyServerSession } from './ethproxy-server-session';

/** The wallet of open-ethereum-pool's login example (facts/ethash.md §1.1). */
const WALLET = '0xb85150eb365e7df0941f0cf08235f987ba91506a';
const LOGIN = `{"id":1,"jsonrpc":"2.0","method":"eth_submitLogin","params":["${WALLET}","x"],"worker":"rig1"}`;
const TRUE_1 = '{"id":1,"jsonrpc":"2.0","result":true}';

const HEADER = `0x${CHFAST2.headerHash}`;
const SEED = `0x${CHFAST2.seedHash}`;
const TARGET = `0x${CHFAST2.final}`;
const PUSH2 = `{"id":0,"jsonrpc":"2.0","result":["${HEADER}","${SEED}","${TARGET}","0x2"]}`;
/** the etchash job: block 5000000 = 0x4c4b40, target = that block's final hash */
const PUSH5M = `{"id":0,"jsonrpc":"2.0","result":["0x${CHFAST5M.headerHash}","${SEED}","0x${CHFAST5M.final}","0x4c4b40"],"algo":"etchash"}`;

function submitLine(id: number, nonce: string, header: string, mix: string, worker?: string): string {
  const w = worker === undefined ? '' : `,"worker":"${worker}"`;
  return `{"id":${id},"jsonrpc":"2.0","method":"eth_submitWork","params":["${nonce}","${header}","${mix}"]${w}}`;
}
const SHARE = submitLine(3, `0x${CHFAST2.nonce}`, HEADER, `0x${CHFAST2.mix}`);

const opened: Array<{ close(): void }> = [];
afterEach(() => {
  for (const o of opened.splice(0)) o.close();
});

function setup(options: EthClassicServerSessionOptions = {}) {
  const [minerEnd, poolEnd] = createLinePair();
  const peer = new RpcPeer(poolEnd, jsonRpc2Codec({ pushMethod: ETHPROXY_PUSH_METHOD }));
  const pool = fakeClassicPool();
  const session = new EthProxyServerSession(peer, pool, options);
  const miner = new LineProbe(minerEnd);
  opened.push(miner);
  return { session, pool, miner };
}

/** logged in as WALLET.rig1 */
async function loggedIn(options: EthClassicServerSessionOptions = {}) {
  const ctx = setup(options);
  ctx.miner.send(LOGIN);
  expect(await ctx.miner.next()).toBe(TRUE_1);
  return ctx;
}

/** logged in, job-2 (chfast block 2) pushed */
async function withJob(options: EthClassicServerSessionOptions = {}) {
  const ctx = await loggedIn(options);
  expect(ctx.session.sendJob(JOB2)).toBe(true);
  expect(await ctx.miner.next()).toBe(PUSH2);
  return ctx;
}

describe('EthProxyServerSession', () => {
  describe('eth_submitLogin', () => {
    it('subscribes once, authorizes <wallet>.<worker> from the top-level "worker" and answers true', async () => {
      const { session, pool, miner } = setup();
      expect(session.ready).toBe(false);
      miner.send(LOGIN);
      expect(await miner.next()).toBe(TRUE_1);
      expect(pool.subscribes).toEqual([{ dialect: 'ethproxy', userAgent: '' }]);
      expect(pool.authorizes).toEqual([{ workerName: `${WALLET}.rig1`, password: 'x' }]);
      expect(session.ready).toBe(true);
      expect(session.dialect).toBe('ethproxy');
    });

    it('takes the wallet alone when there is no worker member or the wallet already has a dot; the password defaults to ""', async () => {
      const { pool, miner, session } = setup();
      miner.send(`{"id":1,"jsonrpc":"2.0","method":"eth_submitLogin","params":["${WALLET}"]}`);
      expect(await miner.next()).toBe(TRUE_1);
      miner.send(`{"id":2,"jsonrpc":"2.0","method":"eth_submitLogin","params":["${WALLET}.rig7"],"worker":"other"}`);
      expect(await miner.next()).toBe('{"id":2,"jsonrpc":"2.0","result":true}');
      expect(pool.subscribes).toHaveLength(1);
      expect(pool.authorizes).toEqual([
        { workerName: WALLET, password: '' },
        { workerName: `${WALLET}.rig7`, password: '' },
      ]);
      expect(session.workers).toEqual([WALLET, `${WALLET}.rig7`]);
    });

    it('answers a refused worker with error 24 as an object and stays not ready', async () => {
      const { pool, miner, session } = setup();
      pool.refused.add(`${WALLET}.rig1`);
      miner.send(LOGIN);
      expect(await miner.next()).toBe(
        `{"id":1,"jsonrpc":"2.0","result":null,"error":{"code":24,"message":"Unauthorized worker: worker \\"${WALLET}.rig1\\" refused"}}`,
      );
      expect(session.ready).toBe(false);
      miner.send('{"id":2,"jsonrpc":"2.0","method":"eth_getWork","params":[]}');
      expect(await miner.next()).toBe('{"id":2,"jsonrpc":"2.0","result":null,"error":{"code":25,"message":"Not subscribed: send eth_submitLogin first"}}');
    });

    it('answers a login of the same worker again with true without asking the pool', async () => {
      const { pool, miner } = await loggedIn();
      miner.send(LOGIN.replace('"id":1', '"id":2'));
      expect(await miner.next()).toBe('{"id":2,"jsonrpc":"2.0","result":true}');
      expect(pool.authorizes).toHaveLength(1);
    });

    it('refuses more workers than maxWorkers with 24', async () => {
      const { miner } = await loggedIn({ maxWorkers: 1 });
      miner.send(`{"id":2,"jsonrpc":"2.0","method":"eth_submitLogin","params":["${WALLET}"],"worker":"rig2"}`);
      expect(await miner.next()).toBe(
        '{"id":2,"jsonrpc":"2.0","result":null,"error":{"code":24,"message":"Unauthorized worker: too many workers on this connection (at most 1)"}}',
      );
    });

    it('answers params out of shape with 20 naming the parameter', async () => {
      const { miner } = setup();
      miner.send('{"id":1,"jsonrpc":"2.0","method":"eth_submitLogin","params":[]}');
      expect(await miner.next()).toBe(
        '{"id":1,"jsonrpc":"2.0","result":null,"error":{"code":20,"message":"Malformed request: eth_submitLogin takes [wallet, password?], got 0 parameters"}}',
      );
      miner.send('{"id":2,"jsonrpc":"2.0","method":"eth_submitLogin","params":[42]}');
      expect(await miner.next()).toBe(
        '{"id":2,"jsonrpc":"2.0","result":null,"error":{"code":20,"message":"Malformed request: eth_submitLogin wallet is 42, expected a string of 1..256 characters"}}',
      );
    });
  });

  describe('jobs', () => {
    it('holds a job sent before login and pushes it right after the login reply, with id 0 and the height as 4th element', async () => {
      const { session, miner } = setup();
      expect(session.sendJob(JOB2)).toBe(false);
      miner.send(LOGIN);
      expect(await miner.next()).toBe(TRUE_1);
      expect(await miner.next()).toBe(PUSH2);
      expect(session.counters.jobs).toBe(1);
    });

    it('answers eth_getWork with the latest job, and puts "algo" on the push and the reply only for etchash', async () => {
      const { session, miner } = await withJob();
      miner.send('{"id":5,"jsonrpc":"2.0","method":"eth_getWork","params":[]}');
      expect(await miner.next()).toBe(`{"id":5,"jsonrpc":"2.0","result":["${HEADER}","${SEED}","${TARGET}","0x2"]}`);
      expect(session.sendJob(JOB5M_ETC)).toBe(true);
      expect(await miner.next()).toBe(PUSH5M);
      miner.send('{"id":6,"jsonrpc":"2.0","method":"eth_getWork"}');
      expect(await miner.next()).toBe(
        `{"id":6,"jsonrpc":"2.0","result":["0x${CHFAST5M.headerHash}","${SEED}","0x${CHFAST5M.final}","0x4c4b40"],"algo":"etchash"}`,
      );
    });

    it('answers eth_getWork with {code 0, "Work not ready"} before any job, without counting it toward maxErrors', async () => {
      const { miner, session } = await loggedIn({ maxErrors: 1 });
      miner.send('{"id":2,"jsonrpc":"2.0","method":"eth_getWork","params":[]}');
      expect(await miner.next()).toBe('{"id":2,"jsonrpc":"2.0","result":null,"error":{"code":0,"message":"Work not ready"}}');
      expect(session.isClosed).toBe(false);
    });

    it('answers eth_getWork before login with 25 "Not subscribed"', async () => {
      const { miner } = setup();
      miner.send('{"id":1,"jsonrpc":"2.0","method":"eth_getWork","params":[]}');
      expect(await miner.next()).toBe('{"id":1,"jsonrpc":"2.0","result":null,"error":{"code":25,"message":"Not subscribed: send eth_submitLogin first"}}');
    });

    it('throws for a job out of shape', () => {
      const { session } = setup();
      expect(() => session.sendJob({ ...JOB2, headerHash: 'abc' })).toThrow('job header hash "abc" is not 64 hex digits');
      expect(() => session.sendJob({ ...JOB2, target: 0n })).toThrow('job target 0n is not in 1..2^256-1');
    });
  });

  describe('eth_submitWork', () => {
    it('passes the chfast block 2 share to the pool with the job id of its header and answers true', async () => {
      const { pool, miner } = await withJob();
      miner.send(SHARE);
      expect(await miner.next()).toBe('{"id":3,"jsonrpc":"2.0","result":true}');
      expect(pool.submits).toEqual([
        {
          workerName: `${WALLET}.rig1`,
          jobId: 'job-2',
          extranonce: Buffer.alloc(0),
          minerNonce: Buffer.from(CHFAST2.nonce, 'hex'),
          nonce: Buffer.from(CHFAST2.nonce, 'hex'),
          mixDigest: Buffer.from(CHFAST2.mix, 'hex'),
        },
      ]);
    });

    it('accepts upper-case hex and normalises it', async () => {
      const { pool, miner } = await withJob();
      miner.send(submitLine(3, `0x${CHFAST2.nonce.toUpperCase()}`, `0x${CHFAST2.headerHash.toUpperCase()}`, `0x${CHFAST2.mix.toUpperCase()}`));
      expect(await miner.next()).toBe('{"id":3,"jsonrpc":"2.0","result":true}');
      expect(pool.submits[0]!.jobId).toBe('job-2');
      expect(pool.submits[0]!.nonce.toString('hex')).toBe(CHFAST2.nonce);
      expect(pool.submits[0]!.mixDigest!.toString('hex')).toBe(CHFAST2.mix);
    });

    it('answers a malformed nonce with {code -1, "Malformed PoW result: ..."}', async () => {
      const { pool, miner, session } = await withJob();
      miner.send(submitLine(3, '0x123', HEADER, `0x${CHFAST2.mix}`));
      expect(await miner.next()).toBe(
        '{"id":3,"jsonrpc":"2.0","result":null,"error":{"code":-1,"message":"Malformed PoW result: nonce \\"0x123\\" is not 0x and 16 hex digits"}}',
      );
      miner.send(`{"id":4,"jsonrpc":"2.0","method":"eth_submitWork","params":["0x${CHFAST2.nonce}","${HEADER}"]}`);
      expect(await miner.next()).toBe(
        '{"id":4,"jsonrpc":"2.0","result":null,"error":{"code":-1,"message":"Malformed PoW result: eth_submitWork takes [nonce, header, mixDigest], got 2 parameters"}}',
      );
      miner.send(submitLine(5, `0x${CHFAST2.nonce}`, CHFAST2.headerHash, `0x${CHFAST2.mix}`));
      expect(await miner.next()).toBe(
        `{"id":5,"jsonrpc":"2.0","result":null,"error":{"code":-1,"message":"Malformed PoW result: header \\"${CHFAST2.headerHash}\\" is not 0x and 64 hex digits"}}`,
      );
      expect(pool.submits).toHaveLength(0);
      expect(session.counters.errors).toEqual({ [-1]: 3 });
    });

    it('answers a header none of the jobs sent had with 21 "Job not found"', async () => {
      const { pool, miner } = await withJob();
      miner.send(submitLine(3, `0x${CHFAST2.nonce}`, `0x${CHFAST5M.headerHash}`, `0x${CHFAST2.mix}`));
      expect(await miner.next()).toBe(
        `{"id":3,"jsonrpc":"2.0","result":null,"error":{"code":21,"message":"Job not found: no job with header 0x${CHFAST5M.headerHash} was sent on this connection"}}`,
      );
      expect(pool.submits).toHaveLength(0);
    });

    it('forgets headers beyond the last 64 jobs', async () => {
      const { session, pool, miner } = await withJob();
      for (let i = 1; i <= 64; i++) {
        session.sendJob({ ...JOB2, jobId: `j${i}`, headerHash: i.toString(16).padStart(64, '0') });
      }
      for (let i = 0; i < 64; i++) await miner.next();
      miner.send(SHARE);
      expect(await miner.next()).toMatch(/"code":21,"message":"Job not found: no job with header 0x100cbec5/);
      miner.send(submitLine(4, `0x${CHFAST2.nonce}`, `0x${'1'.padStart(64, '0')}`, `0x${CHFAST2.mix}`));
      expect(await miner.next()).toBe('{"id":4,"jsonrpc":"2.0","result":true}');
      expect(pool.submits.map((s) => s.jobId)).toEqual(['j1']);
    });

    it('answers a submit before login with 25', async () => {
      const { miner } = setup();
      miner.send(SHARE);
      expect(await miner.next()).toBe('{"id":3,"jsonrpc":"2.0","result":null,"error":{"code":25,"message":"Not subscribed: send eth_submitLogin first"}}');
    });

    it('answers a rejected share with the classic error object', async () => {
      const { pool, miner } = await withJob();
      pool.verdict = { accepted: false, reason: 'low-difficulty', message: 'share difficulty 0.5 is below 1' };
      miner.send(SHARE);
      expect(await miner.next()).toBe(
        '{"id":3,"jsonrpc":"2.0","result":null,"error":{"code":23,"message":"Low difficulty share: share difficulty 0.5 is below 1"}}',
      );
      pool.verdict = { accepted: false, reason: 'duplicate', message: 'nonce 307692cf71b12f6d already submitted' };
      miner.send(SHARE.replace('"id":3', '"id":4'));
      expect(await miner.next()).toBe(
        '{"id":4,"jsonrpc":"2.0","result":null,"error":{"code":22,"message":"Duplicate share: nonce 307692cf71b12f6d already submitted"}}',
      );
    });

    it('answers true for an accepted stale share', async () => {
      const { pool, miner } = await withJob();
      pool.verdict = { accepted: true, difficulty: 1, shareDifficulty: 1, block: false, hash: CHFAST2.final, stale: true };
      miner.send(SHARE);
      expect(await miner.next()).toBe('{"id":3,"jsonrpc":"2.0","result":true}');
    });
  });

  describe('the top-level "worker" member', () => {
    async function twoWorkers() {
      const ctx = await withJob();
      ctx.miner.send(`{"id":2,"jsonrpc":"2.0","method":"eth_submitLogin","params":["${WALLET}"],"worker":"rig2"}`);
      expect(await ctx.miner.next()).toBe('{"id":2,"jsonrpc":"2.0","result":true}');
      return ctx;
    }

    it('names the worker a submit is for; without it the first worker logged in', async () => {
      const { pool, miner } = await twoWorkers();
      miner.send(submitLine(3, `0x${CHFAST2.nonce}`, HEADER, `0x${CHFAST2.mix}`, 'rig2'));
      expect(await miner.next()).toBe('{"id":3,"jsonrpc":"2.0","result":true}');
      miner.send(submitLine(4, `0x${CHFAST2.nonce}`, HEADER, `0x${CHFAST2.mix}`, `${WALLET}.rig2`));
      expect(await miner.next()).toBe('{"id":4,"jsonrpc":"2.0","result":true}');
      miner.send(submitLine(5, `0x${CHFAST2.nonce}`, HEADER, `0x${CHFAST2.mix}`));
      expect(await miner.next()).toBe('{"id":5,"jsonrpc":"2.0","result":true}');
      expect(pool.submits.map((s) => s.workerName)).toEqual([`${WALLET}.rig2`, `${WALLET}.rig2`, `${WALLET}.rig1`]);
    });

    it('refuses a submit for a worker not logged in with 24', async () => {
      const { pool, miner } = await twoWorkers();
      miner.send(submitLine(3, `0x${CHFAST2.nonce}`, HEADER, `0x${CHFAST2.mix}`, 'rig9'));
      expect(await miner.next()).toBe(
        '{"id":3,"jsonrpc":"2.0","result":null,"error":{"code":24,"message":"Unauthorized worker: worker \\"rig9\\" is not logged in on this connection"}}',
      );
      expect(pool.submits).toHaveLength(0);
    });
  });

  describe('eth_submitHashrate', () => {
    it('passes the hashrate (32-byte hex, as ethminer sends it) to the pool and answers true', async () => {
      const { pool, miner } = await loggedIn();
      const id = `0x${'59daab'.padEnd(64, '0')}`;
      miner.send(`{"id":9,"jsonrpc":"2.0","method":"eth_submitHashrate","params":["0x${'1dcd6500'.padStart(64, '0')}","${id}"],"worker":"rig1"}`);
      expect(await miner.next()).toBe('{"id":9,"jsonrpc":"2.0","result":true}');
      expect(pool.hashrates).toEqual([{ workerName: `${WALLET}.rig1`, hashrate: 500_000_000n, id }]);
    });

    it('answers a hashrate that is not 0x hex with 20', async () => {
      const { miner } = await loggedIn();
      miner.send('{"id":9,"jsonrpc":"2.0","method":"eth_submitHashrate","params":["500000","0x01"]}');
      expect(await miner.next()).toBe(
        '{"id":9,"jsonrpc":"2.0","result":null,"error":{"code":20,"message":"Malformed request: eth_submitHashrate hashrate is \\"500000\\", expected 0x and 1..64 hex digits"}}',
      );
    });
  });

  describe('errors, order and limits', () => {
    it('answers an unknown method with 20 and counts it under "unknown"', async () => {
      const { miner, session } = setup();
      miner.send('{"id":1,"jsonrpc":"2.0","method":"mining.subscribe","params":[]}');
      expect(await miner.next()).toBe('{"id":1,"jsonrpc":"2.0","result":null,"error":{"code":20,"message":"Unknown method: \\"mining.subscribe\\""}}');
      expect(session.counters.requests).toEqual({ unknown: 1 });
      expect(session.counters.errors).toEqual({ 20: 1 });
    });

    it('answers a line with an id but bad params with 20, and counts a line without an id as invalid', async () => {
      const { miner, session } = setup();
      miner.send('{"id":1,"jsonrpc":"2.0","method":"eth_submitLogin","params":"0xabc"}');
      expect(await miner.next()).toBe(
        '{"id":1,"jsonrpc":"2.0","result":null,"error":{"code":20,"message":"Malformed request: params of eth_submitLogin is string \\"0xabc\\", expected an array"}}',
      );
      miner.sendRaw('not json');
      miner.send('{"jsonrpc":"2.0","method":"eth_getWork"}');
      miner.send(LOGIN);
      expect(await miner.next()).toBe(TRUE_1);
      expect(session.counters.invalidLines).toBe(3);
    });

    it('closes the connection at maxErrors, after sending the last error reply', async () => {
      const { miner, pool, session } = await withJob({ maxErrors: 3 });
      for (let id = 3; id <= 5; id++) miner.send(submitLine(id, '0x123', HEADER, `0x${CHFAST2.mix}`));
      for (let id = 3; id <= 5; id++) expect(await miner.next()).toMatch(new RegExp(`^\\{"id":${id},.*"code":-1,`));
      const closed = await miner.closed;
      expect(closed.reason).toBe('maxErrors 3 reached');
      expect(session.isClosed).toBe(true);
      expect(pool.closedWith).toEqual([{ reason: 'maxErrors 3 reached', byPeer: false }]);
    });

    it('replies in arrival order while the pool takes its time over a share', async () => {
      const { pool, miner } = await withJob();
      const gate = deferred();
      pool.gate = gate.promise;
      miner.send(SHARE);
      miner.send('{"id":4,"jsonrpc":"2.0","method":"eth_getWork"}');
      await settle();
      expect(miner.buffered).toEqual([]);
      gate.resolve();
      expect(await miner.next()).toBe('{"id":3,"jsonrpc":"2.0","result":true}');
      expect(await miner.next()).toMatch(/^\{"id":4,"jsonrpc":"2.0","result":\["0x100cbec5/);
    });

    it('closes the connection when more than maxPendingRequests wait', async () => {
      const { pool, miner } = await withJob({ maxPendingRequests: 2 });
      pool.gate = new Promise(() => undefined);
      for (let id = 3; id <= 5; id++) miner.send(SHARE.replace('"id":3', `"id":${id}`));
      expect((await miner.closed).reason).toBe('over 2 requests waiting for their replies');
    });

    it('counts requests, errors and jobs, emits closed$ once and tells the pool once', async () => {
      const { miner, pool, session } = await withJob();
      miner.send(SHARE);
      await miner.next();
      miner.send('{"id":4,"jsonrpc":"2.0","method":"eth_foo"}');
      await miner.next();
      expect(session.counters).toEqual({
        requests: { eth_submitLogin: 1, eth_submitWork: 1, unknown: 1 },
        errors: { 20: 1 },
        invalidLines: 0,
        jobs: 1,
      });
      const seen: unknown[] = [];
      session.closed$.subscribe({ next: (i) => seen.push(i), complete: () => seen.push('complete') });
      session.close('test close');
      session.close('again');
      await settle();
      expect(seen).toEqual([{ reason: 'test close', byPeer: false }, 'complete']);
      expect(pool.closedWith).toEqual([{ reason: 'test close', byPeer: false }]);
      expect(session.sendJob(JOB2)).toBe(false);
    });

    it('answers 20 "Internal error" when the pool throws', async () => {
      const { pool, miner } = await withJob();
      pool.submit = () => Promise.reject(new Error('db down'));
      miner.send(SHARE);
      expect(await miner.next()).toBe('{"id":3,"jsonrpc":"2.0","result":null,"error":{"code":20,"message":"Internal error: eth_submitWork failed"}}');
    });
  });
});
