import { LodeError } from '@lode/plugin-api';
import { CHFAST_BLOCK_2, EPOCH_SEEDS } from '../testing/ethash-vectors.fixture';
import { FakeEthNode, ok, rpcError, type FakeAnswer, type SeenRequest } from '../testing/fake-eth-node.fixture';
import { EthRpcClient } from './eth-rpc-client';

const HEADER = `0x${CHFAST_BLOCK_2.header}`;
const SEED_1 = `0x${EPOCH_SEEDS[1]}`;
// 2^256 / 2^32 as eth_getWork prints it
const BOUNDARY = `0x00000001${'0'.repeat(56)}`;

describe('EthRpcClient', () => {
  let fake: FakeEthNode;
  let url: string;

  const serve = (handler: (req: SeenRequest) => FakeAnswer): EthRpcClient => {
    fake.setHandler(handler);
    return new EthRpcClient({ url, timeoutMs: 1000 });
  };

  beforeEach(async () => {
    fake = new FakeEthNode(() => ok(null));
    url = await fake.listen();
  });

  afterEach(async () => {
    await fake.close();
  });

  describe('when the node answers eth_getWork with 4 elements (core-geth makeWork, facts/ethash.md §5.3)', () => {
    it('decodes header hash, seed hash, boundary and height, sent as JSON-RPC 2.0', async () => {
      const rpc = serve(() => ok([HEADER.toUpperCase().replace('0X', '0x'), SEED_1, BOUNDARY, '0x7530']));
      await expect(rpc.getWork()).resolves.toEqual({
        headerHash: CHFAST_BLOCK_2.header,
        seedHash: EPOCH_SEEDS[1],
        boundary: 2n ** 224n,
        height: 30_000,
      });
      expect(fake.seen[0]).toEqual({ method: 'eth_getWork', params: [], jsonrpc: '2.0', authorization: undefined });
    });
  });

  describe('when the node answers eth_getWork with 3 elements (facts/ethash.md §1.1)', () => {
    it('leaves the height out', async () => {
      const rpc = serve(() => ok([HEADER, SEED_1, BOUNDARY]));
      const work = await rpc.getWork();
      expect(work).toEqual({ headerHash: CHFAST_BLOCK_2.header, seedHash: EPOCH_SEEDS[1], boundary: 2n ** 224n });
      expect('height' in work).toBe(false);
    });
  });

  describe('when eth_getWork comes back malformed', () => {
    it.each([
      ['two elements', [HEADER, SEED_1], /expected \[headerHash, seedHash, boundary\]/],
      ['a short header hash', [HEADER.slice(0, 60), SEED_1, BOUNDARY], /header hash is not 0x \+ 64 hex digits/],
      ['a seed without 0x', [HEADER, EPOCH_SEEDS[1], BOUNDARY], /seed hash is not 0x \+ 64 hex digits/],
      ['a zero boundary', [HEADER, SEED_1, '0x0'], /boundary is not 0x \+ 1 to 64 hex digits above zero/],
      ['a decimal height', [HEADER, SEED_1, BOUNDARY, '30000'], /block number is not a 0x-hex quantity/],
      ['an object', { header: HEADER }, /malformed result/],
    ])('names the method, the URL and the problem: %s', async (_what, result, message) => {
      const rpc = serve(() => ok(result));
      const error = await rpc.getWork().catch((e: unknown) => e);
      expect(LodeError.is(error, 'node')).toBe(true);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).toContain(`eth node at ${url} answered eth_getWork`);
    });
  });

  describe('when the node answers a JSON-RPC error', () => {
    it('throws LodeError("node") with its code and message', async () => {
      const rpc = serve(() => rpcError(-32000, 'no mining work available yet'));
      const error = await rpc.getWork().catch((e: unknown) => e);
      expect(LodeError.is(error, 'node')).toBe(true);
      expect((error as LodeError).code).toBe(-32000);
      expect((error as Error).message).toBe(`eth node at ${url} refused eth_getWork: -32000 no mining work available yet`);
    });
  });

  describe('when the transport fails', () => {
    it('names the HTTP status', async () => {
      const rpc = serve(() => ({ status: 503, body: 'busy' }));
      await expect(rpc.blockNumber()).rejects.toThrow(`eth node at ${url} answered eth_blockNumber with HTTP 503 and no JSON-RPC body: "busy"`);
    });

    it('names the time limit', async () => {
      fake.setHandler(() => 'hold');
      const rpc = new EthRpcClient({ url, timeoutMs: 50 });
      await expect(rpc.getWork()).rejects.toThrow(`eth node at ${url} did not answer eth_getWork within 50 ms`);
    });

    it('names the refused connection', async () => {
      await fake.close();
      const rpc = new EthRpcClient({ url });
      await expect(rpc.getWork()).rejects.toThrow(`eth node at ${url} unreachable (eth_getWork): ECONNREFUSED`);
    });

    it('names a call aborted by its owner', async () => {
      fake.setHandler(() => 'hold');
      const rpc = new EthRpcClient({ url });
      const abort = new AbortController();
      const call = rpc.getWork({ signal: abort.signal });
      abort.abort();
      await expect(call).rejects.toThrow(`eth_getWork to the eth node at ${url} was aborted`);
    });
  });

  describe('when a solution is submitted', () => {
    it('sends eth_submitWork ["0x" + 16, "0x" + 64, "0x" + 64] lower-case hex and returns the verdict', async () => {
      const rpc = serve(() => ok(true));
      const accepted = await rpc.submitWork(
        BigInt(`0x${CHFAST_BLOCK_2.nonce}`),
        Buffer.from(CHFAST_BLOCK_2.header, 'hex'),
        Buffer.from(CHFAST_BLOCK_2.mix, 'hex'),
      );
      expect(accepted).toBe(true);
      expect(fake.seen[0]).toMatchObject({
        method: 'eth_submitWork',
        params: [`0x${CHFAST_BLOCK_2.nonce}`, `0x${CHFAST_BLOCK_2.header}`, `0x${CHFAST_BLOCK_2.mix}`],
      });
    });

    it('pads a small nonce to 16 digits and passes false through', async () => {
      const rpc = serve(() => ok(false));
      await expect(rpc.submitWork(1n, Buffer.alloc(32), Buffer.alloc(32, 0xab))).resolves.toBe(false);
      expect(fake.seen[0]?.params[0]).toBe('0x0000000000000001');
    });

    it('refuses a result that is not a boolean, and arguments of the wrong size', async () => {
      const rpc = serve(() => ok('yes'));
      await expect(rpc.submitWork(1n, Buffer.alloc(32), Buffer.alloc(32))).rejects.toThrow(
        `eth node at ${url} answered eth_submitWork with a malformed result (expected true or false): "yes"`,
      );
      await expect(rpc.submitWork(1n, Buffer.alloc(31), Buffer.alloc(32))).rejects.toThrow('the header hash must be 32 bytes, got 31');
      await expect(rpc.submitWork(2n ** 64n, Buffer.alloc(32), Buffer.alloc(32))).rejects.toThrow(LodeError);
    });
  });

  describe('when a hashrate is reported', () => {
    it('sends the rate as a quantity and the 32-byte id', async () => {
      const rpc = serve(() => ok(true));
      const id = Buffer.alloc(32, 0x11);
      await expect(rpc.submitHashrate(500_000n, id)).resolves.toBe(true);
      expect(fake.seen[0]).toMatchObject({ method: 'eth_submitHashrate', params: ['0x7a120', `0x${'11'.repeat(32)}`] });
      await expect(rpc.submitHashrate(1n, Buffer.alloc(8))).rejects.toThrow('the id must be 32 bytes, got 8');
    });
  });

  describe('when the head is asked for', () => {
    it('reads eth_blockNumber', async () => {
      const rpc = serve(() => ok('0xb2d05e'));
      await expect(rpc.blockNumber()).resolves.toBe(11_718_750);
    });
  });

  describe('when the URL carries credentials', () => {
    it('sends them as basic auth and keeps them out of messages', async () => {
      const rpc = new EthRpcClient({ url: url.replace('http://', 'http://user:secret@') });
      fake.setHandler(() => rpcError(-32601, 'the method eth_getWork does not exist/is not available'));
      await expect(rpc.getWork()).rejects.toThrow(`eth node at ${url} refused eth_getWork: -32601`);
      expect(fake.seen[0]?.authorization).toBe(`Basic ${Buffer.from('user:secret').toString('base64')}`);
    });

    it('refuses a URL that is not http(s)', () => {
      expect(() => new EthRpcClient({ url: 'ws://127.0.0.1:8546' })).toThrow('must be http:// or https://');
    });
  });
});
