import { classicCodec, createLinePair, FramingTestTransport, LodeError, RpcPeer } from '@lode/stratum-core';
import type { EthClassicServerSessionOptions } from '../classic/classic-contract';
import { CHFAST2, CHFAST5M, deferred, fakeClassicPool, JOB2, JOB5M_ETC, LineProbe, settle } from '../ethproxy/classic.test-helper';
import { warnings } from '../testing/wire.test-helper';
import { PlainEthServerSession } from './plain-server-session';

const USER = '0xb85150eb365e7df0941f0cf08235f987ba91506a';
const HEADER = `0x${CHFAST2.headerHash}`;
const SEED = `0x${CHFAST2.seedHash}`;
const TARGET = `0x${CHFAST2.final}`;
/** ethminer mode 0's first line (EthStratumClient.cpp: id 1, empty params, "jsonrpc":"2.0") */
const SUBSCRIBE = '{"id":1,"method":"mining.subscribe","params":[],"jsonrpc":"2.0"}';
const AUTHORIZE = `{"id":3,"jsonrpc":"2.0","method":"mining.authorize","params":["${USER}.rig1","x"]}`;
const NOTIFY2 = `{"id":null,"method":"mining.notify","params":["job-2","${HEADER}","${SEED}","${TARGET}"]}`;

/** ethminer mode 0's submit: the user without the worker part, the worker as a top-level member */
function submitLine(id: number, jobId: string, nonce: string, header: string, mix: string, worker: string | null = 'rig1', user = USER): string {
  const w = worker === null ? '' : `,"worker":"${worker}"`;
  return `{"id":${id},"jsonrpc":"2.0","method":"mining.submit","params":["${user}","${jobId}","${nonce}","${header}","${mix}"]${w}}`;
}
const SHARE = submitLine(40, 'job-2', `0x${CHFAST2.nonce}`, HEADER, `0x${CHFAST2.mix}`);

const opened: Array<{ close(): void }> = [];
afterEach(() => {
  for (const o of opened.splice(0)) o.close();
});

function setup(options: EthClassicServerSessionOptions = {}) {
  const [minerEnd, poolEnd] = createLinePair();
  const pool = fakeClassicPool();
  const session = new PlainEthServerSession(new RpcPeer(poolEnd, classicCodec), pool, options);
  const miner = new LineProbe(minerEnd);
  opened.push(miner);
  return { session, pool, miner };
}

async function subscribed(options: EthClassicServerSessionOptions = {}) {
  const ctx = setup(options);
  ctx.miner.send(SUBSCRIBE);
  expect(await ctx.miner.next()).toBe('{"id":1,"result":true,"error":null}');
  return ctx;
}

async function ready(options: EthClassicServerSessionOptions = {}) {
  const ctx = await subscribed(options);
  ctx.miner.send(AUTHORIZE);
  expect(await ctx.miner.next()).toBe('{"id":3,"result":true,"error":null}');
  return ctx;
}

async function withJob(options: EthClassicServerSessionOptions = {}) {
  const ctx = await ready(options);
  expect(ctx.session.sendJob(JOB2)).toBe(true);
  expect(await ctx.miner.next()).toBe(NOTIFY2);
  return ctx;
}

describe('PlainEthServerSession', () => {
  describe('handshake', () => {
    it('answers ethminer mode 0 subscribe (empty params) with true and an empty user agent', async () => {
      const { pool, session } = await subscribed();
      expect(pool.subscribes).toEqual([{ dialect: 'plain', userAgent: '' }]);
      expect(session.ready).toBe(false);
      expect(session.dialect).toBe('plain');
    });

    it('takes a string params[0] as the user agent, and answers a second subscribe without asking the pool', async () => {
      const { pool, miner } = setup();
      miner.send('{"id":1,"method":"mining.subscribe","params":["PhoenixMiner/5.5c"]}');
      expect(await miner.next()).toBe('{"id":1,"result":true,"error":null}');
      miner.send('{"id":2,"method":"mining.subscribe","params":[]}');
      expect(await miner.next()).toBe('{"id":2,"result":true,"error":null}');
      expect(pool.subscribes).toEqual([{ dialect: 'plain', userAgent: 'PhoenixMiner/5.5c' }]);
    });

    it('authorizes user.worker and is ready; a refusal is error 24 as a triple', async () => {
      const { pool, miner, session } = await subscribed();
      pool.refused.add(`${USER}.bad`);
      miner.send(`{"id":2,"method":"mining.authorize","params":["${USER}.bad","x"]}`);
      expect(await miner.next()).toBe(`{"id":2,"result":null,"error":[24,"Unauthorized worker: worker \\"${USER}.bad\\" refused",null]}`);
      expect(session.ready).toBe(false);
      miner.send(AUTHORIZE);
      expect(await miner.next()).toBe('{"id":3,"result":true,"error":null}');
      expect(session.ready).toBe(true);
      expect(pool.authorizes).toEqual([
        { workerName: `${USER}.bad`, password: 'x' },
        { workerName: `${USER}.rig1`, password: 'x' },
      ]);
    });

    it('answers authorize before subscribe with 25', async () => {
      const { miner } = setup();
      miner.send(AUTHORIZE);
      expect(await miner.next()).toBe('{"id":3,"result":null,"error":[25,"Not subscribed: send mining.subscribe first",null]}');
    });

    it('holds a job until the authorize reply, then sends it', async () => {
      const { session, miner } = await subscribed();
      expect(session.sendJob(JOB2)).toBe(false);
      miner.send(AUTHORIZE);
      expect(await miner.next()).toBe('{"id":3,"result":true,"error":null}');
      expect(await miner.next()).toBe(NOTIFY2);
    });
  });

  describe('jobs', () => {
    it('sends mining.notify [jobId, 0x header, 0x seed, 0x target], with "algo" only for etchash', async () => {
      const { session, miner } = await withJob();
      session.sendJob(JOB5M_ETC);
      expect(await miner.next()).toBe(
        `{"id":null,"method":"mining.notify","params":["job-5m","0x${CHFAST5M.headerHash}","${SEED}","0x${CHFAST5M.final}"],"algo":"etchash"}`,
      );
    });
  });

  describe('mining.submit', () => {
    it('passes the chfast block 2 share to the pool for <user>.<worker> and answers true', async () => {
      const { pool, miner } = await withJob();
      miner.send(SHARE);
      expect(await miner.next()).toBe('{"id":40,"result":true,"error":null}');
      expect(pool.submits).toEqual([
        {
          workerName: `${USER}.rig1`,
          jobId: 'job-2',
          extranonce: Buffer.alloc(0),
          minerNonce: Buffer.from(CHFAST2.nonce, 'hex'),
          nonce: Buffer.from(CHFAST2.nonce, 'hex'),
          mixDigest: Buffer.from(CHFAST2.mix, 'hex'),
        },
      ]);
    });

    it('takes params[0] as the worker when it is authorized itself, and accepts upper-case hex', async () => {
      const { pool, miner } = await withJob();
      miner.send(
        submitLine(41, 'job-2', `0x${CHFAST2.nonce.toUpperCase()}`, `0x${CHFAST2.headerHash.toUpperCase()}`, `0x${CHFAST2.mix.toUpperCase()}`, null, `${USER}.rig1`),
      );
      expect(await miner.next()).toBe('{"id":41,"result":true,"error":null}');
      expect(pool.submits[0]!.workerName).toBe(`${USER}.rig1`);
      expect(pool.submits[0]!.mixDigest!.toString('hex')).toBe(CHFAST2.mix);
    });

    it('answers a worker not authorized with 24', async () => {
      const { pool, miner } = await withJob();
      miner.send(submitLine(40, 'job-2', `0x${CHFAST2.nonce}`, HEADER, `0x${CHFAST2.mix}`, 'rig9'));
      expect(await miner.next()).toBe(`{"id":40,"result":null,"error":[24,"Unauthorized worker: worker \\"${USER}.rig9\\" is not authorized on this connection",null]}`);
      expect(pool.submits).toHaveLength(0);
    });

    it('answers a malformed nonce with 20 naming it', async () => {
      const { miner } = await withJob();
      miner.send(submitLine(40, 'job-2', '0x123', HEADER, `0x${CHFAST2.mix}`));
      expect(await miner.next()).toBe('{"id":40,"result":null,"error":[20,"Malformed request: mining.submit nonce \\"0x123\\" is not 0x and 16 hex digits",null]}');
      miner.send(`{"id":41,"method":"mining.submit","params":["${USER}","job-2","0x${CHFAST2.nonce}"]}`);
      expect(await miner.next()).toBe(
        '{"id":41,"result":null,"error":[20,"Malformed request: mining.submit takes [worker, jobId, nonce, header, mixDigest], got 3 parameters",null]}',
      );
    });

    it('answers an unknown job id with 21, and a header that is not the job\'s with 20', async () => {
      const { pool, miner } = await withJob();
      miner.send(submitLine(40, 'job-9', `0x${CHFAST2.nonce}`, HEADER, `0x${CHFAST2.mix}`));
      expect(await miner.next()).toBe('{"id":40,"result":null,"error":[21,"Job not found: no job \\"job-9\\" was sent on this connection",null]}');
      miner.send(submitLine(41, 'job-2', `0x${CHFAST2.nonce}`, `0x${CHFAST5M.headerHash}`, `0x${CHFAST2.mix}`));
      expect(await miner.next()).toBe(
        `{"id":41,"result":null,"error":[20,"Malformed request: mining.submit header 0x${CHFAST5M.headerHash} is not the header of job \\"job-2\\" (0x${CHFAST2.headerHash})",null]}`,
      );
      expect(pool.submits).toHaveLength(0);
    });

    it('answers a submit before subscribe with 25', async () => {
      const { miner } = setup();
      miner.send(SHARE);
      expect(await miner.next()).toBe('{"id":40,"result":null,"error":[25,"Not subscribed: send mining.subscribe first",null]}');
    });

    it('answers a rejected share with the classic triple', async () => {
      const { pool, miner } = await withJob();
      pool.verdict = { accepted: false, reason: 'stale', message: 'job-2 was superseded by block 3' };
      miner.send(SHARE);
      expect(await miner.next()).toBe('{"id":40,"result":null,"error":[21,"Job not found (stale): job-2 was superseded by block 3",null]}');
    });
  });

  describe('eth_submitHashrate', () => {
    it('credits the worker named by the "worker" member (the part after the dot) and answers true', async () => {
      const { pool, miner } = await ready();
      const id = `0x${'59daab'.padEnd(64, '0')}`;
      miner.send(`{"id":9,"jsonrpc":"2.0","method":"eth_submitHashrate","params":["0x${'1dcd6500'.padStart(64, '0')}","${id}"],"worker":"rig1"}`);
      expect(await miner.next()).toBe('{"id":9,"result":true,"error":null}');
      miner.send(`{"id":10,"jsonrpc":"2.0","method":"eth_submitHashrate","params":["0x0","${id}"],"worker":"rig9"}`);
      expect(await miner.next()).toBe('{"id":10,"result":null,"error":[24,"Unauthorized worker: worker \\"rig9\\" is not authorized on this connection",null]}');
      expect(pool.hashrates).toEqual([{ workerName: `${USER}.rig1`, hashrate: 500_000_000n, id }]);
    });
  });

  describe('errors, order and limits', () => {
    it('answers an unknown method with 20 as a triple', async () => {
      const { miner, session } = await subscribed();
      miner.send('{"id":2,"method":"mining.extranonce.subscribe","params":[]}');
      expect(await miner.next()).toBe('{"id":2,"result":null,"error":[20,"Unknown method: \\"mining.extranonce.subscribe\\"",null]}');
      expect(session.counters.requests).toEqual({ 'mining.subscribe': 1, unknown: 1 });
    });

    it('closes the connection at maxErrors', async () => {
      const { miner, pool } = await withJob({ maxErrors: 2 });
      miner.send(submitLine(40, 'job-2', '0x123', HEADER, `0x${CHFAST2.mix}`));
      miner.send(submitLine(41, 'job-9', `0x${CHFAST2.nonce}`, HEADER, `0x${CHFAST2.mix}`));
      expect(await miner.next()).toMatch(/^\{"id":40,"result":null,"error":\[20,/);
      expect(await miner.next()).toMatch(/^\{"id":41,"result":null,"error":\[21,/);
      expect((await miner.closed).reason).toBe('maxErrors 2 reached');
      expect(pool.closedWith).toHaveLength(1);
    });

    it('replies in arrival order while the pool takes its time over a share', async () => {
      const { pool, miner } = await withJob();
      const gate = deferred();
      pool.gate = gate.promise;
      miner.send(SHARE);
      miner.send('{"id":41,"method":"mining.authorize","params":["alice.rig2","x"]}');
      await settle();
      expect(miner.buffered).toEqual([]);
      gate.resolve();
      expect(await miner.next()).toBe('{"id":40,"result":true,"error":null}');
      expect(await miner.next()).toBe('{"id":41,"result":true,"error":null}');
    });

    it('counts invalid lines and answers one with an id', async () => {
      const { miner, session } = setup();
      miner.sendRaw('{"id":5,"method":"mining.subscribe","params":{}}');
      expect(await miner.next()).toBe('{"id":5,"result":null,"error":[20,"Malformed request: params of mining.subscribe is an object, expected an array",null]}');
      miner.sendRaw('{oops');
      miner.send(SUBSCRIBE);
      expect(await miner.next()).toBe('{"id":1,"result":true,"error":null}');
      expect(session.counters.invalidLines).toBe(2);
      expect(session.counters.errors).toEqual({ 20: 1 });
    });
  });
});

describe('PlainEthServerSession and a line over the transport length cap', () => {
  it.each([
    ['a transport that links the peer by callbacks (no stream subscribed)', true],
    ['a transport with streams only', false],
  ])('warns and sends nothing (the transport closes), through %s', (_name, attachable) => {
    const transport = new FramingTestTransport(attachable);
    const { logger, warned } = warnings();
    const pool = fakeClassicPool();
    new PlainEthServerSession(new RpcPeer(transport, classicCodec), pool, { logger });
    expect(transport.framingObserved).toBe(!attachable);
    transport.overlong(new LodeError('framing', 'line over 16384 bytes'));
    expect(transport.sent).toEqual([]);
    expect(warned).toEqual([[{ dialect: 'plain', side: 'server', err: 'line over 16384 bytes' }, 'overlong line from the miner']]);
    expect(transport.isClosed).toBe(true);
    expect(transport.framingObserved).toBe(false);
  });
});

