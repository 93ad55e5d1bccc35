import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevnet } from '../devnet';
import type { Devnet } from '../devnet';
import type { BlockTemplate } from '../template/block-template';
import { dsha, handBlock, internal, merkle } from '../testing/hand-block';
import { post, rpc } from '../testing/rpc-client';

const GBT = [{ rules: ['segwit'] }];

describe('devnet RPC server', () => {
  describe('when started with rpcuser / rpcpassword', () => {
    let devnet: Devnet;
    beforeAll(async () => {
      devnet = await startDevnet({ port: 0, rpcuser: 'u', rpcpassword: 'p', mempoolRefreshSeconds: 0 });
    });
    afterAll(() => devnet.close());

    it('listens on 127.0.0.1 and answers with the right basic auth', async () => {
      expect(devnet.url).toBe(`http://127.0.0.1:${devnet.port}`);
      expect(await rpc(devnet.url, 'getblockcount', [], 'u:p')).toEqual({ status: 200, result: 0, error: null, id: 'getblockcount' });
    });

    it('answers 401 with an empty body and WWW-Authenticate without it or with a wrong one', async () => {
      for (const auth of [undefined, 'u:wrong', 'x:p']) {
        const reply = await post(devnet.url, '{"method":"getblockcount","id":1}', auth);
        expect(reply.status).toBe(401);
        expect(reply.text).toBe('');
        expect(reply.headers['www-authenticate']).toBe('Basic realm="jsonrpc"');
      }
    });
  });

  describe('when started with a datadir and no password', () => {
    let dir: string;
    let devnet: Devnet;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'lode-devnet-spec-'));
      devnet = await startDevnet({ port: 0, datadir: join(dir, 'data'), mempoolRefreshSeconds: 0 });
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('writes <datadir>/.cookie as __cookie__:<64 hex> and accepts those credentials', async () => {
      const cookie = readFileSync(join(dir, 'data', '.cookie'), 'utf8');
      expect(cookie).toMatch(/^__cookie__:[0-9a-f]{64}$/);
      expect(devnet.cookieFile).toBe(join(dir, 'data', '.cookie'));
      expect((await rpc(devnet.url, 'getbestblockhash', [], cookie)).status).toBe(200);
      expect((await post(devnet.url, '{"method":"getbestblockhash"}', '__cookie__:nope')).status).toBe(401);
    });

    it('deletes the cookie file on close', async () => {
      await devnet.close();
      expect(existsSync(join(dir, 'data', '.cookie'))).toBe(false);
    });
  });

  describe('when asked for a template', () => {
    let devnet: Devnet;
    beforeAll(async () => {
      devnet = await startDevnet({ port: 0, mempoolRefreshSeconds: 0, minTransactions: 3, maxTransactions: 3 });
    });
    afterAll(() => devnet.close());

    it('returns bitcoind fields with a commitment recomputed from its own wtxids', async () => {
      const { status, result: t } = await rpc<BlockTemplate>(devnet.url, 'getblocktemplate', GBT);
      expect(status).toBe(200);
      expect(t).toMatchObject({ version: 0x20000000, rules: ['csv', '!segwit', 'taproot'], height: 1, bits: '1d200000', noncerange: '00000000ffffffff' });
      expect(t.transactions).toHaveLength(3);
      expect(t.transactions.some((x) => x.hash !== x.txid)).toBe(true);
      for (const x of t.transactions) {
        expect(Buffer.from(dsha(Buffer.from(x.data, 'hex'))).reverse().toString('hex')).toBe(x.hash);
        expect(x.depends).toEqual([]);
      }
      const root = merkle([Buffer.alloc(32), ...t.transactions.map((x) => internal(x.hash))]);
      expect(t.default_witness_commitment).toBe(`6a24aa21a9ed${dsha(Buffer.concat([root, Buffer.alloc(32)])).toString('hex')}`);
      expect(t.longpollid.startsWith(t.previousblockhash)).toBe(true);
    });

    it('takes the request as a named parameter too', async () => {
      expect((await rpc(devnet.url, 'getblocktemplate', { template_request: { rules: ['segwit'] } })).error).toBeNull();
    });

    it('refuses a request without the segwit rule with -8, like bitcoind', async () => {
      for (const params of [[], [{ rules: [] }]]) {
        expect(await rpc(devnet.url, 'getblocktemplate', params)).toMatchObject({
          status: 500,
          error: { code: -8, message: 'getblocktemplate must be called with the segwit rule set (call with {"rules": ["segwit"]})' },
        });
      }
    });
  });

  describe('when a long poll waits', () => {
    let devnet: Devnet;
    beforeAll(async () => {
      devnet = await startDevnet({ port: 0, bits: 0x207fffff, mempoolRefreshSeconds: 0, maxLongPolls: 2 });
    });
    afterAll(() => devnet.close());

    it('returns the new template when a block arrives', async () => {
      const t = (await rpc<BlockTemplate>(devnet.url, 'getblocktemplate', GBT)).result;
      const parked = rpc<BlockTemplate>(devnet.url, 'getblocktemplate', [{ rules: ['segwit'], longpollid: t.longpollid }]);
      const block = handBlock(t);
      expect((await rpc(devnet.url, 'submitblock', [block.hex])).result).toBeNull();
      const next = (await parked).result;
      expect(next.previousblockhash).toBe(block.hash);
      expect(next.longpollid).not.toBe(t.longpollid);
    });

    it('returns the new template when the mempool refreshes', async () => {
      const t = (await rpc<BlockTemplate>(devnet.url, 'getblocktemplate', GBT)).result;
      const parked = rpc<BlockTemplate>(devnet.url, 'getblocktemplate', [{ rules: ['segwit'], longpollid: t.longpollid }]);
      await waitUntil(() => devnet.node.waitingLongPolls === 1);
      devnet.node.refreshMempool();
      const next = (await parked).result;
      expect(next.previousblockhash).toBe(t.previousblockhash);
      expect(next.longpollid).toBe(`${t.previousblockhash}${Number(t.longpollid.slice(64)) + 1}`);
    });

    it('returns at once for a longpollid that is no longer current', async () => {
      const reply = await rpc<BlockTemplate>(devnet.url, 'getblocktemplate', [{ rules: ['segwit'], longpollid: `${'00'.repeat(32)}1` }]);
      expect(reply.result.height).toBe(2);
    });

    it('refuses long polls beyond the cap with error -1, and close() answers the parked ones', async () => {
      const t = (await rpc<BlockTemplate>(devnet.url, 'getblocktemplate', GBT)).result;
      const request = [{ rules: ['segwit'], longpollid: t.longpollid }];
      const parked = [rpc<BlockTemplate>(devnet.url, 'getblocktemplate', request), rpc<BlockTemplate>(devnet.url, 'getblocktemplate', request)];
      await waitUntil(() => devnet.node.waitingLongPolls === 2);
      expect((await rpc(devnet.url, 'getblocktemplate', request)).error).toMatchObject({ code: -1 });
      await devnet.close();
      for (const reply of await Promise.all(parked)) expect(reply.result.longpollid).toBe(t.longpollid);
    });
  });

  describe('when the long poll timeout passes', () => {
    it('returns the same template', async () => {
      const devnet = await startDevnet({ port: 0, mempoolRefreshSeconds: 0, longPollTimeoutSeconds: 0.01 });
      try {
        const t = (await rpc<BlockTemplate>(devnet.url, 'getblocktemplate', GBT)).result;
        const again = (await rpc<BlockTemplate>(devnet.url, 'getblocktemplate', [{ rules: ['segwit'], longpollid: t.longpollid }])).result;
        expect(again.longpollid).toBe(t.longpollid);
      } finally {
        await devnet.close();
      }
    });
  });

  describe('when the request is not a known call', () => {
    let devnet: Devnet;
    beforeAll(async () => {
      devnet = await startDevnet({ port: 0, mempoolRefreshSeconds: 0, maxBodyBytes: 1024 });
    });
    afterAll(() => devnet.close());

    it('answers an unknown method with -32601 "Method not found" and HTTP 404', async () => {
      expect(await rpc(devnet.url, 'getpeerinfo', [])).toEqual({
        status: 404,
        result: null,
        error: { code: -32601, message: 'Method not found' },
        id: 'getpeerinfo',
      });
    });

    it('answers a body that is not JSON with -32700 "Parse error" and HTTP 500', async () => {
      const reply = await post(devnet.url, '{"method":');
      expect(reply.status).toBe(500);
      expect(reply.json).toEqual({ result: null, error: { code: -32700, message: 'Parse error' }, id: null });
    });

    it('answers a request without method with -32600 and HTTP 400', async () => {
      const reply = await post(devnet.url, '{"id":5}');
      expect(reply.status).toBe(400);
      expect(reply.json).toEqual({ result: null, error: { code: -32600, message: 'Missing method' }, id: 5 });
    });

    it('answers a GET with 405', async () => {
      expect((await post(devnet.url, '', undefined, 'GET')).status).toBe(405);
    });

    it('answers a body over the cap with 413 naming the cap', async () => {
      const reply = await post(devnet.url, JSON.stringify({ method: 'submitblock', params: ['00'.repeat(1024)] }));
      expect(reply.status).toBe(413);
      expect(reply.json).toMatchObject({ result: null, error: { code: -32600, message: expect.stringContaining('1024 bytes') } });
    });

    it('answers a batch with an array and HTTP 200', async () => {
      const reply = await post(devnet.url, JSON.stringify([{ method: 'getblockcount', id: 1 }, { method: 'nope', id: 2 }]));
      expect(reply.status).toBe(200);
      expect(reply.json).toEqual([
        { result: 0, error: null, id: 1 },
        { result: null, error: { code: -32601, message: 'Method not found' }, id: 2 },
      ]);
    });
  });

  describe('when queried about the chain', () => {
    let devnet: Devnet;
    beforeAll(async () => {
      devnet = await startDevnet({ port: 0, mempoolRefreshSeconds: 0 });
    });
    afterAll(() => devnet.close());

    it('answers getblockchaininfo, getmininginfo, getnetworkinfo, getdifficulty', async () => {
      const genesis = (await rpc<string>(devnet.url, 'getblockhash', [0])).result;
      expect((await rpc(devnet.url, 'getblockchaininfo')).result).toMatchObject({
        chain: 'devnet',
        blocks: 0,
        headers: 0,
        bestblockhash: genesis,
        initialblockdownload: false,
        chainwork: `${'0'.repeat(63)}2`,
      });
      expect((await rpc(devnet.url, 'getmininginfo')).result).toMatchObject({ blocks: 0, chain: 'devnet', networkhashps: 0 });
      expect((await rpc(devnet.url, 'getnetworkinfo')).result).toMatchObject({ connections: 0, networkactive: true });
      expect(typeof (await rpc(devnet.url, 'getdifficulty')).result).toBe('number');
    });

    it('answers getblockheader verbose and as hex', async () => {
      const genesis = (await rpc<string>(devnet.url, 'getblockhash', [0])).result;
      const verbose = (await rpc<Record<string, unknown>>(devnet.url, 'getblockheader', [genesis])).result;
      expect(verbose).toMatchObject({ hash: genesis, height: 0, confirmations: 1, nTx: 1, bits: '207fffff', version: 1 });
      expect(verbose).not.toHaveProperty('previousblockhash');
      const hex = (await rpc<string>(devnet.url, 'getblockheader', [genesis, false])).result;
      expect(Buffer.from(dsha(Buffer.from(hex, 'hex'))).reverse().toString('hex')).toBe(genesis);
    });

    it('answers bitcoind errors for bad heights and hashes', async () => {
      expect((await rpc(devnet.url, 'getblockhash', [1])).error).toEqual({ code: -8, message: 'Block height out of range' });
      expect((await rpc(devnet.url, 'getblockhash', ['1'])).error).toMatchObject({ code: -3 });
      expect((await rpc(devnet.url, 'getblockheader', ['ab'.repeat(32)])).error).toEqual({ code: -5, message: 'Block not found' });
      expect((await rpc(devnet.url, 'getblockheader', ['abc'])).error).toMatchObject({ code: -8 });
    });
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  if (!condition()) throw new Error('condition not reached');
}
