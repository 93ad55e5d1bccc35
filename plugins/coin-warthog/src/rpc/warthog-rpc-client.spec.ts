import { LodeError } from '@lode/plugin-api';
import { FakeWarthogNode, ok, refused, type FakeAnswer, type SeenRequest } from '../testing/fake-warthog-node.fixture';
import { CHAIN_HEAD, MINING_STATE } from '../testing/warthog-node-answers.fixture';
import { SESSION } from '../testing/warthog-vectors.fixture';
import { WarthogRpcClient } from './warthog-rpc-client';

const BLOCK = { height: 1949766, header: `${SESSION.templateHeader.slice(0, 152)}00002df1`, body: SESSION.winningBody };

describe('WarthogRpcClient', () => {
  let fake: FakeWarthogNode;
  let url: string;

  const client = (handler: (req: SeenRequest) => FakeAnswer, timeoutMs?: number): WarthogRpcClient => {
    fake.setHandler(handler);
    return new WarthogRpcClient({ url, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
  };

  beforeEach(async () => {
    fake = new FakeWarthogNode(() => ok(null));
    url = await fake.listen();
  });

  afterEach(() => fake.close());

  describe('when asked for work (GET /chain/mine/:account)', () => {
    it('returns the template the node hands out for the address', async () => {
      const rpc = client(() => ok(MINING_STATE));
      await expect(rpc.mine(SESSION.address)).resolves.toEqual({
        header: SESSION.templateHeader,
        body: SESSION.templateBody,
        merklePrefix: SESSION.merklePrefix,
        difficulty: MINING_STATE.difficulty,
        height: MINING_STATE.height,
        synced: true,
        testnet: false,
        blockRewardE8: 300000000,
        totalTxFeeE8: 0,
      });
      expect(fake.seen).toEqual([{ method: 'GET', path: `/chain/mine/${SESSION.address}`, body: undefined }]);
    });

    it('checks the address before calling', async () => {
      const rpc = client(() => ok(MINING_STATE));
      await expect(rpc.mine(`${SESSION.address.slice(0, 40)}00000000`)).rejects.toThrow(
        expect.objectContaining({ kind: 'config' }) as unknown as Error,
      );
      expect(fake.seen).toHaveLength(0);
    });

    it('refuses data of the wrong shape, naming the field', async () => {
      const rpc = client(() => ok({ ...MINING_STATE, merklePrefix: MINING_STATE.merklePrefix.slice(2) }));
      await expect(rpc.mine(SESSION.address)).rejects.toThrow(
        `warthog node at ${url} answered GET /chain/mine/${SESSION.address} with malformed data (merklePrefix is not 32 or 64 bytes of hex)`,
      );
    });
  });

  describe('when asked for the head (GET /chain/head)', () => {
    it('returns hash, height, synced and difficulty', async () => {
      const rpc = client(() => ok(CHAIN_HEAD));
      await expect(rpc.head()).resolves.toEqual({ hash: SESSION.prevHash, height: CHAIN_HEAD.height, synced: true, difficulty: CHAIN_HEAD.difficulty });
    });
  });

  describe('when a block is appended (POST /chain/append)', () => {
    it('posts {height, header, body} and resolves on {"code":0,"error":null}', async () => {
      const rpc = client(() => ({ body: { code: 0, error: null } }));
      await rpc.append(BLOCK);
      expect(fake.seen).toEqual([{ method: 'POST', path: '/chain/append', body: BLOCK }]);
    });

    it('also resolves on {"code":0,"data":null} (newer nodes)', async () => {
      const rpc = client(() => ok(null));
      await expect(rpc.append(BLOCK)).resolves.toBeUndefined();
    });

    it("throws the node's refusal with its code", async () => {
      const rpc = client(() => refused(7, 'Invalid proof of work'));
      const error = (await rpc.append(BLOCK).catch((e: unknown) => e)) as LodeError;
      expect(error).toBeInstanceOf(LodeError);
      expect(error.kind).toBe('node');
      expect(error.code).toBe(7);
      expect(error.message).toBe(`warthog node at ${url} refused POST /chain/append: code 7 Invalid proof of work`);
    });

    it('refuses a block it cannot have been given, without calling', async () => {
      const rpc = client(() => ok(null));
      await expect(rpc.append({ ...BLOCK, header: BLOCK.header.slice(2) })).rejects.toThrow(/header must be 160 hex digits/);
      await expect(rpc.append({ ...BLOCK, body: '00' })).rejects.toThrow(/body must be hex of 10\.\.35000 bytes/);
      expect(fake.seen).toHaveLength(0);
    });
  });

  describe('when the transport fails', () => {
    it('names the time limit', async () => {
      const rpc = client(() => 'hold', 50);
      await expect(rpc.head()).rejects.toThrow(`warthog node at ${url} did not answer GET /chain/head within 50 ms`);
    });

    it('names an abort', async () => {
      const rpc = client(() => 'hold');
      const abort = new AbortController();
      const pending = rpc.head({ signal: abort.signal });
      abort.abort();
      await expect(pending).rejects.toThrow(`GET /chain/head to the warthog node at ${url} was aborted`);
    });

    it('names the errno of an unreachable node', async () => {
      await fake.close();
      const rpc = new WarthogRpcClient({ url });
      await expect(rpc.head()).rejects.toThrow(`warthog node at ${url} unreachable (GET /chain/head): ECONNREFUSED`);
    });

    it('refuses a body that is not an envelope', async () => {
      const rpc = client(() => ({ status: 404, body: 'Not Found' }));
      await expect(rpc.head()).rejects.toThrow(`warthog node at ${url} answered GET /chain/head with HTTP 404 and no JSON envelope: "Not Found"`);
      const rpc2 = client(() => ({ status: 200, body: { hash: 'x' } }));
      await expect(rpc2.head()).rejects.toThrow(/with no \{code, data\|error\} envelope/);
    });
  });

  describe('when the URL carries credentials', () => {
    it('sends them as basic auth and keeps them out of messages', async () => {
      const base = url.replace('http://', 'http://pool:secret@');
      fake.setHandler(() => ok(CHAIN_HEAD));
      const rpc = new WarthogRpcClient({ url: `${base}/` });
      expect(rpc.url).toBe(url);
      await rpc.head();
      expect(fake.seen[0]?.authorization).toBe(`Basic ${Buffer.from('pool:secret').toString('base64')}`);
    });

    it('refuses a URL that is not http(s)', () => {
      expect(() => new WarthogRpcClient({ url: 'ws://127.0.0.1:3000' })).toThrow('node.url "ws://127.0.0.1:3000" must be http:// or https://');
    });
  });
});
