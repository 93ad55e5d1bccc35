import type { ShareVerdict } from '@lode/mining';
import { classicCodec, createLinePair, RpcPeer } from '@lode/stratum-core';
import type { CloseInfo } from '@lode/stratum-core';
import type {
  EthClassicAuthorizeRequest,
  EthClassicHashrateRequest,
  EthClassicServerHandler,
  EthClassicServerJob,
  EthClassicServerSessionOptions,
  EthClassicSubmitRequest,
  EthClassicSubscribeRequest,
} from '../classic/classic-contract';
import { LineProbe, settle } from '../testing/wire.test-helper';
import { Es1ServerSession } from './es1-server-session';

/** The NiceHash example session, facts/ethash.md §1.2 (nicehash/Specifications EthereumStratum_NiceHash_v1.0.0.txt). */
const NH = {
  sessionId: 'ae6812eb4cd7735a302a8a9dd95cf71f',
  extranonce: 'a2eea0',
  jobId: 'bf0488aa',
  seedHash: 'abad8f99f3918bf903c6a909d9bbc0fdfa5a2f4b9cb1196175ec825c6610126c',
  headerHash: 'fc12eb20c58158071c956316cdcd12a22dd8bf126ac4aee559f0ffe4df11f279',
  minerNonce: 'cfae7df760',
  nonce: 'a2eea0cfae7df760',
} as const;

/** ES1 difficulty 1 (facts/ethash.md §1.2): 00000000ffff then 52 zero hex digits. */
const DIFF1_TARGET = BigInt(`0x00000000ffff${'0'.repeat(52)}`);

const NH_JOB: EthClassicServerJob = {
  jobId: NH.jobId,
  height: 1_500_000,
  headerHash: NH.headerHash,
  seedHash: NH.seedHash,
  clean: true,
  target: DIFF1_TARGET,
  algo: 'ethash',
  extranonce: Buffer.from(NH.extranonce, 'hex'),
};

const SUBSCRIBE = '{"id":1,"method":"mining.subscribe","params":["EthereumMiner/1.0.0","EthereumStratum/1.0.0"]}';
const SUBSCRIBE_REPLY = `{"id":1,"result":[["mining.notify","${NH.sessionId}","EthereumStratum/1.0.0"],"${NH.extranonce}"],"error":null}`;
const AUTHORIZE = '{"id":2,"method":"mining.authorize","params":["test","password"]}';
const SET_DIFF_1 = '{"id":null,"method":"mining.set_difficulty","params":[1]}';
const NH_NOTIFY = `{"id":null,"method":"mining.notify","params":["${NH.jobId}","${NH.seedHash}","${NH.headerHash}",true]}`;

const ACCEPTED: ShareVerdict = { accepted: true, difficulty: 1, shareDifficulty: 1.863, block: false, hash: 'ab'.repeat(32) };

interface FakeEs1Pool extends EthClassicServerHandler {
  subscribes: EthClassicSubscribeRequest[];
  authorizes: EthClassicAuthorizeRequest[];
  submits: EthClassicSubmitRequest[];
  hashrates: EthClassicHashrateRequest[];
  closedWith: CloseInfo[];
  verdict: ShareVerdict;
  refused: Set<string>;
  failSubmit: boolean;
}

function fakeEs1Pool(): FakeEs1Pool {
  const pool: FakeEs1Pool = {
    subscribes: [],
    authorizes: [],
    submits: [],
    hashrates: [],
    closedWith: [],
    verdict: ACCEPTED,
    refused: new Set(),
    failSubmit: false,
    async subscribe(req) {
      pool.subscribes.push(req);
      return { sessionId: NH.sessionId, extranonce: Buffer.from(NH.extranonce, 'hex') };
    },
    async authorize(req) {
      pool.authorizes.push(req);
      return !pool.refused.has(req.workerName);
    },
    async submit(req) {
      pool.submits.push(req);
      if (pool.failSubmit) throw new Error('share store down');
      return pool.verdict;
    },
    hashrate(req) {
      pool.hashrates.push(req);
    },
    closed(info) {
      pool.closedWith.push(info);
    },
  };
  return pool;
}

const opened: LineProbe[] = [];
afterEach(() => {
  for (const o of opened.splice(0)) o.close();
});

function setup(options: EthClassicServerSessionOptions = {}) {
  const [minerEnd, poolEnd] = createLinePair();
  const peer = new RpcPeer(poolEnd, classicCodec);
  const pool = fakeEs1Pool();
  const session = new Es1ServerSession(peer, pool, options);
  const miner = new LineProbe(minerEnd);
  opened.push(miner);
  return { session, pool, miner };
}

async function subscribed(options: EthClassicServerSessionOptions = {}) {
  const ctx = setup(options);
  ctx.miner.send(SUBSCRIBE);
  expect(await ctx.miner.next()).toBe(SUBSCRIBE_REPLY);
  return ctx;
}

async function ready(options: EthClassicServerSessionOptions = {}) {
  const ctx = await subscribed(options);
  ctx.miner.send(AUTHORIZE);
  expect(await ctx.miner.next()).toBe('{"id":2,"result":true,"error":null}');
  return ctx;
}

async function withJob(options: EthClassicServerSessionOptions = {}) {
  const ctx = await ready(options);
  expect(ctx.session.sendJob(NH_JOB)).toBe(true);
  expect(await ctx.miner.next()).toBe(SET_DIFF_1);
  expect(await ctx.miner.next()).toBe(NH_NOTIFY);
  return ctx;
}

/** The Stratum error triple of a reply line. */
async function errorOf(miner: LineProbe): Promise<{ id: unknown; code: number; message: string; result: unknown }> {
  const msg = await miner.nextJson();
  const error = msg['error'] as [number, string, null];
  expect(Array.isArray(error)).toBe(true);
  expect(error[2]).toBeNull();
  return { id: msg['id'], code: error[0], message: error[1], result: msg['result'] };
}

describe('Es1ServerSession', () => {
  it('plays the NiceHash example session of facts/ethash.md §1.2 byte for byte', async () => {
    const { session, pool, miner } = setup();
    expect(session.dialect).toBe('es1');
    // The pool hands the job before the miner is ready: it is held.
    expect(session.sendJob(NH_JOB)).toBe(false);
    miner.send(SUBSCRIBE);
    expect(await miner.next()).toBe(SUBSCRIBE_REPLY);
    expect(pool.subscribes).toEqual([{ dialect: 'es1', userAgent: 'EthereumMiner/1.0.0' }]);
    expect(session.ready).toBe(false);
    miner.send(AUTHORIZE);
    expect(await miner.next()).toBe('{"id":2,"result":true,"error":null}');
    expect(pool.authorizes).toEqual([{ workerName: 'test', password: 'password' }]);
    // The spec prints [1.0]; JSON.stringify writes 1, the same number.
    expect(await miner.next()).toBe(SET_DIFF_1);
    expect(await miner.next()).toBe(NH_NOTIFY);
    expect(session.ready).toBe(true);
    miner.send('{"id":3,"method":"mining.submit","params":["test","bf0488aa","cfae7df760"]}');
    expect(await miner.next()).toBe('{"id":3,"result":true,"error":null}');
    expect(pool.submits).toHaveLength(1);
    const share = pool.submits[0]!;
    expect(share.workerName).toBe('test');
    expect(share.jobId).toBe(NH.jobId);
    expect(share.extranonce.toString('hex')).toBe(NH.extranonce);
    expect(share.minerNonce.toString('hex')).toBe(NH.minerNonce);
    expect(share.nonce.toString('hex')).toBe(NH.nonce);
    expect(share.mixDigest).toBeUndefined();
    expect(session.counters).toMatchObject({ requests: { 'mining.subscribe': 1, 'mining.authorize': 1, 'mining.submit': 1 }, jobs: 1, errors: {} });
  });

  describe('mining.subscribe', () => {
    it('refuses another protocol string with error 20 and stays unsubscribed', async () => {
      const { miner, pool } = setup();
      miner.send('{"id":1,"method":"mining.subscribe","params":["ethminer","EthereumStratum/2.0.0"]}');
      const e = await errorOf(miner);
      expect(e).toMatchObject({ id: 1, code: 20, result: null });
      expect(e.message).toBe('Malformed request: mining.subscribe protocol is "EthereumStratum/2.0.0", this port speaks "EthereumStratum/1.0.0"');
      expect(pool.subscribes).toHaveLength(0);
      miner.send(AUTHORIZE);
      expect(await errorOf(miner)).toMatchObject({ id: 2, code: 25 });
    });

    it('refuses a plain-stratum subscribe without the protocol string', async () => {
      const { miner } = setup();
      miner.send('{"id":1,"method":"mining.subscribe","params":[]}');
      const e = await errorOf(miner);
      expect(e.code).toBe(20);
      expect(e.message).toContain('got 0 parameters');
    });

    it('refuses a second subscribe', async () => {
      const { miner, pool } = await subscribed();
      miner.send(SUBSCRIBE.replace('"id":1', '"id":5'));
      const e = await errorOf(miner);
      expect(e).toMatchObject({ id: 5, code: 20, message: 'Malformed request: mining.subscribe was already answered on this connection' });
      expect(pool.subscribes).toHaveLength(1);
    });
  });

  describe('mining.authorize', () => {
    it('answers 25 before subscribe and 24 when the pool refuses the worker', async () => {
      const { miner, pool } = setup();
      miner.send(AUTHORIZE);
      expect(await errorOf(miner)).toMatchObject({ id: 2, code: 25, message: 'Not subscribed: mining.authorize before mining.subscribe' });
      miner.send(SUBSCRIBE);
      await miner.next();
      pool.refused.add('mallory');
      miner.send('{"id":3,"method":"mining.authorize","params":["mallory","x"]}');
      expect(await errorOf(miner)).toMatchObject({ id: 3, code: 24, message: 'Unauthorized worker: the pool refused "mallory"' });
    });

    it('takes a missing password as ""', async () => {
      const { miner, pool } = await subscribed();
      miner.send('{"id":2,"method":"mining.authorize","params":["alice.rig1"]}');
      expect(await miner.next()).toBe('{"id":2,"result":true,"error":null}');
      expect(pool.authorizes).toEqual([{ workerName: 'alice.rig1', password: '' }]);
    });

    it('answers 20 naming the parameter for a non-string name', async () => {
      const { miner } = await subscribed();
      miner.send('{"id":2,"method":"mining.authorize","params":[42,"x"]}');
      expect(await errorOf(miner)).toMatchObject({
        code: 20,
        message: 'Malformed request: mining.authorize parameter 1 (name) is 42, expected a string of 1..256 characters',
      });
    });
  });

  describe('mining.submit', () => {
    it('answers 24 before the worker is authorized, without asking the pool', async () => {
      const { miner, pool, session } = await subscribed();
      session.sendJob(NH_JOB);
      miner.send('{"id":3,"method":"mining.submit","params":["test","bf0488aa","cfae7df760"]}');
      expect(await errorOf(miner)).toMatchObject({ id: 3, code: 24, message: 'Unauthorized worker: worker "test" is not authorized on this connection' });
      expect(pool.submits).toHaveLength(0);
    });

    it('answers 21 "Job not found" for a job not sent on this connection', async () => {
      const { miner, pool } = await withJob();
      miner.send('{"id":3,"method":"mining.submit","params":["test","deadbeef","cfae7df760"]}');
      expect(await errorOf(miner)).toMatchObject({ code: 21, message: 'Job not found: job "deadbeef" was not sent on this connection' });
      expect(pool.submits).toHaveLength(0);
    });

    it('rejects miner nonces of the wrong length for a 3-byte extranonce (4 and 8 bytes) with 20 naming the lengths', async () => {
      const { miner, pool } = await withJob();
      miner.send('{"id":3,"method":"mining.submit","params":["test","bf0488aa","cfae7df7"]}');
      expect(await errorOf(miner)).toMatchObject({
        code: 20,
        message: 'Invalid nonce: miner nonce is 4 bytes, expected 5 (8-byte nonce minus the 3-byte extranonce a2eea0)',
      });
      miner.send('{"id":4,"method":"mining.submit","params":["test","bf0488aa","a2eea0cfae7df760"]}');
      expect(await errorOf(miner)).toMatchObject({ code: 20, message: expect.stringContaining('miner nonce is 8 bytes, expected 5') });
      miner.send('{"id":5,"method":"mining.submit","params":["test","bf0488aa","cfae7df7zz"]}');
      expect(await errorOf(miner)).toMatchObject({ code: 20, message: expect.stringContaining('"cfae7df7zz", not whole hex bytes, expected 5') });
      expect(pool.submits).toHaveLength(0);
    });

    it("rejects GMiner's 5-byte nonce with a 2-byte extranonce and ethminer's 16 hex digits (facts/ethash.md §1.2)", async () => {
      const { miner, pool, session } = await withJob();
      miner.send('{"id":3,"method":"mining.extranonce.subscribe","params":[]}');
      expect(await miner.next()).toBe('{"id":3,"result":true,"error":null}');
      // GMiner issue #108: extranonce 0001, job "0", miner nonce 000031496f (5 bytes where 6 were due).
      session.sendJob({ ...NH_JOB, jobId: '0', extranonce: Buffer.from('0001', 'hex'), clean: false });
      expect(await miner.next()).toBe('{"id":null,"method":"mining.set_extranonce","params":["0001"]}');
      await miner.next();
      miner.send('{"id":4,"method":"mining.submit","params":["test","0","000031496f"]}');
      expect(await errorOf(miner)).toMatchObject({ code: 20, message: expect.stringContaining('miner nonce is 5 bytes, expected 6') });
      // ethminer issue #1866: extranonce c502, 16 hex chars.
      session.sendJob({ ...NH_JOB, jobId: '2e497874523144fd8e08f9d1260772c9', extranonce: Buffer.from('c502', 'hex'), clean: false });
      expect(await miner.next()).toBe('{"id":null,"method":"mining.set_extranonce","params":["c502"]}');
      await miner.next();
      miner.send('{"id":5,"method":"mining.submit","params":["test","2e497874523144fd8e08f9d1260772c9","3f041de8dfb5432d"]}');
      expect(await errorOf(miner)).toMatchObject({ code: 20, message: expect.stringContaining('miner nonce is 8 bytes, expected 6') });
      expect(pool.submits).toHaveLength(0);
    });

    it("sizes and prefixes the nonce with the extranonce of the share's own job", async () => {
      const { miner, pool, session } = await withJob();
      miner.send('{"id":3,"method":"mining.extranonce.subscribe","params":[]}');
      await miner.next();
      session.sendJob({ ...NH_JOB, jobId: 'j2', extranonce: Buffer.from('af4c', 'hex'), clean: false });
      await miner.next();
      await miner.next();
      miner.send('{"id":4,"method":"mining.submit","params":["test","bf0488aa","cfae7df760"]}');
      expect(await miner.next()).toBe('{"id":4,"result":true,"error":null}');
      miner.send('{"id":5,"method":"mining.submit","params":["test","j2","68765fccd712"]}');
      expect(await miner.next()).toBe('{"id":5,"result":true,"error":null}');
      expect(pool.submits.map((s) => s.nonce.toString('hex'))).toEqual(['a2eea0cfae7df760', 'af4c68765fccd712']);
    });

    it.each<[ShareVerdict, number, string]>([
      [{ accepted: false, reason: 'stale', message: 'block 1500001 came first' }, 21, 'Job not found (stale): block 1500001 came first'],
      [{ accepted: false, reason: 'duplicate', message: 'nonce a2eea0cfae7df760 was already submitted' }, 22, 'Duplicate share: nonce a2eea0cfae7df760 was already submitted'],
      [{ accepted: false, reason: 'low-difficulty', message: 'share difficulty 0.4 is below 1' }, 23, 'Low difficulty share: share difficulty 0.4 is below 1'],
      [{ accepted: false, reason: 'not-recorded', message: '' }, 20, 'Share not recorded, submit again'],
    ])('answers a rejected share with its classic error (%#)', async (verdict, code, message) => {
      const { miner, pool } = await withJob();
      pool.verdict = verdict;
      miner.send('{"id":3,"method":"mining.submit","params":["test","bf0488aa","cfae7df760"]}');
      expect(await miner.next()).toBe(JSON.stringify({ id: 3, result: null, error: [code, message, null] }));
    });

    it('answers true for a stale share the pool still credits', async () => {
      const { miner, pool } = await withJob();
      pool.verdict = { ...ACCEPTED, stale: true };
      miner.send('{"id":3,"method":"mining.submit","params":["test","bf0488aa","cfae7df760"]}');
      expect(await miner.next()).toBe('{"id":3,"result":true,"error":null}');
    });

    it('answers 20 "Internal error" when the pool fails, and does not count it against the miner', async () => {
      const { miner, pool, session } = await withJob({ maxErrors: 1 });
      pool.failSubmit = true;
      miner.send('{"id":3,"method":"mining.submit","params":["test","bf0488aa","cfae7df760"]}');
      expect(await errorOf(miner)).toMatchObject({ code: 20, message: 'Internal error: mining.submit failed' });
      expect(session.isClosed).toBe(false);
    });
  });

  describe('eth_submitHashrate', () => {
    it("passes ethminer's report to the pool and answers true", async () => {
      const { miner, pool } = await ready();
      const id = `0x${'59daa26581d0acd1fce254fb7e85952f4c09d0915afd33d3886cd914bc7d283c'}`;
      miner.send(JSON.stringify({ id: 9, method: 'eth_submitHashrate', params: [`0x${'0'.repeat(56)}1dcd6500`, id] }));
      expect(await miner.next()).toBe('{"id":9,"result":true,"error":null}');
      expect(pool.hashrates).toEqual([{ workerName: 'test', hashrate: 500_000_000n, id }]);
    });
  });

  describe('bad input', () => {
    it('answers an unknown method with 20 and counts it under "unknown"', async () => {
      const { miner, session } = await subscribed();
      miner.send('{"id":7,"method":"mining.get_transactions","params":[]}');
      expect(await miner.next()).toBe('{"id":7,"result":null,"error":[20,"Unknown method: \\"mining.get_transactions\\"",null]}');
      expect(session.counters.requests['unknown']).toBe(1);
      expect(session.counters.errors).toEqual({ 20: 1 });
    });

    it('answers malformed submit params with 20 naming the problem', async () => {
      const { miner } = await withJob();
      miner.send('{"id":3,"method":"mining.submit","params":["test","bf0488aa"]}');
      expect(await errorOf(miner)).toMatchObject({ code: 20, message: 'Malformed request: mining.submit takes [worker, jobId, minerNonce], got 2 parameters' });
      miner.send('{"id":4,"method":"mining.submit","params":["test",7,"cfae7df760"]}');
      expect(await errorOf(miner)).toMatchObject({ code: 20, message: 'Malformed request: mining.submit parameter 2 (jobId) is 7, expected a string' });
    });

    it('answers a line that is not JSON with id null, and params that are not an array with the id', async () => {
      const { miner, session } = setup();
      miner.send('{"id":1,"method":"mining.subscribe",');
      const e = await errorOf(miner);
      expect(e.id).toBeNull();
      expect(e.code).toBe(20);
      expect(e.message).toMatch(/^Malformed request: invalid JSON/);
      miner.send('{"id":4,"method":"mining.subscribe","params":{"agent":"x"}}');
      expect(await errorOf(miner)).toMatchObject({ id: 4, code: 20, message: 'Malformed request: params of mining.subscribe is an object, expected an array' });
      expect(session.counters.invalidLines).toBe(2);
    });

    it('closes the connection at maxErrors, after sending the last reply', async () => {
      const { miner, pool, session } = setup({ maxErrors: 3 });
      for (let id = 1; id <= 3; id++) miner.send(`{"id":${id},"method":"mining.nope","params":[]}`);
      for (let id = 1; id <= 3; id++) expect((await errorOf(miner)).id).toBe(id);
      const info = await miner.closed;
      expect(info.reason).toMatch(/^maxErrors 3 reached/);
      expect(session.isClosed).toBe(true);
      expect(pool.closedWith).toHaveLength(1);
    });

    it('does not count stale shares toward maxErrors', async () => {
      const { miner, pool, session } = await withJob({ maxErrors: 1 });
      pool.verdict = { accepted: false, reason: 'stale', message: '' };
      miner.send('{"id":3,"method":"mining.submit","params":["test","bf0488aa","cfae7df760"]}');
      expect(await errorOf(miner)).toMatchObject({ code: 21, message: 'Job not found (stale)' });
      await settle();
      expect(session.isClosed).toBe(false);
    });
  });

  describe('jobs', () => {
    it('sends mining.set_extranonce before the job only after mining.extranonce.subscribe', async () => {
      const { miner, session } = await withJob();
      miner.send('{"id":3,"method":"mining.extranonce.subscribe","params":[]}');
      expect(await miner.next()).toBe('{"id":3,"result":true,"error":null}');
      expect(session.sendJob({ ...NH_JOB, jobId: 'j2', extranonce: Buffer.from('af4c', 'hex') })).toBe(true);
      expect(await miner.next()).toBe('{"id":null,"method":"mining.set_extranonce","params":["af4c"]}');
      expect(await miner.next()).toBe(`{"id":null,"method":"mining.notify","params":["j2","${NH.seedHash}","${NH.headerHash}",true]}`);
      // Same extranonce again: no set_extranonce.
      session.sendJob({ ...NH_JOB, jobId: 'j3', extranonce: Buffer.from('af4c', 'hex') });
      expect(await miner.next()).toMatch(/^\{"id":null,"method":"mining.notify","params":\["j3"/);
    });

    it('closes the connection when the extranonce changes and the miner cannot be told', async () => {
      const { miner, session, pool } = await withJob();
      expect(session.sendJob({ ...NH_JOB, jobId: 'j2', extranonce: Buffer.from('af4c', 'hex') })).toBe(false);
      const info = await miner.closed;
      expect(info.reason).toBe('extranonce changed from a2eea0 to af4c and the miner did not send mining.extranonce.subscribe: reconnect for the new one');
      expect(miner.buffered).toEqual([]);
      expect(pool.closedWith).toHaveLength(1);
    });

    it('sends mining.set_difficulty only when the ES1 difficulty changed', async () => {
      const { miner, session } = await withJob();
      session.sendJob({ ...NH_JOB, jobId: 'j2', clean: false });
      expect(await miner.next()).toBe(`{"id":null,"method":"mining.notify","params":["j2","${NH.seedHash}","${NH.headerHash}",false]}`);
      // Difficulty 4: target 00000000 3fffc000... (0xffff·2^208 / 4).
      session.sendJob({ ...NH_JOB, jobId: 'j3', target: BigInt(`0x000000003fffc${'0'.repeat(51)}`) });
      expect(await miner.next()).toBe('{"id":null,"method":"mining.set_difficulty","params":[4]}');
      expect(await miner.next()).toMatch(/"params":\["j3"/);
      // Difficulty 0.5 (GMiner-style fractional difficulties are sent as is).
      session.sendJob({ ...NH_JOB, jobId: 'j4', target: BigInt(`0x00000001fffe${'0'.repeat(52)}`) });
      expect(await miner.next()).toBe('{"id":null,"method":"mining.set_difficulty","params":[0.5]}');
      expect(await miner.next()).toMatch(/"params":\["j4"/);
      expect(session.counters.jobs).toBe(4);
    });

    it('adds the top-level "algo" member only when the job is not plain ethash', async () => {
      const { miner, session } = await withJob();
      session.sendJob({ ...NH_JOB, jobId: 'etc1', algo: 'etchash' });
      expect(await miner.next()).toBe(`{"id":null,"method":"mining.notify","params":["etc1","${NH.seedHash}","${NH.headerHash}",true],"algo":"etchash"}`);
      session.sendJob({ ...NH_JOB, jobId: 'eth2' });
      expect(await miner.next()).toBe(`{"id":null,"method":"mining.notify","params":["eth2","${NH.seedHash}","${NH.headerHash}",true]}`);
    });

    it('refuses a job out of shape', () => {
      const { session } = setup();
      expect(() => session.sendJob({ ...NH_JOB, extranonce: Buffer.from('00112233', 'hex') })).toThrow('ES1 job extranonce "00112233" is not 1..3 bytes');
      expect(() => session.sendJob({ ...NH_JOB, headerHash: 'zz' })).toThrow('ES1 job headerHash "zz" is not 64 hex digits');
      expect(() => session.sendJob({ ...NH_JOB, target: 0n })).toThrow(/target/);
    });
  });

  it('emits closed$ once and calls handler.closed once when the miner leaves', async () => {
    const { miner, pool, session } = await ready();
    const seen: CloseInfo[] = [];
    session.closed$.subscribe((info) => seen.push(info));
    miner.close();
    await settle();
    expect(seen).toHaveLength(1);
    expect(seen[0]!.byPeer).toBe(true);
    expect(pool.closedWith).toHaveLength(1);
    expect(session.isClosed).toBe(true);
    expect(session.sendJob(NH_JOB)).toBe(false);
  });
});
