import { loadEthashNative } from '@lode/coin-ethereum';
import type { LightCache } from '@lode/coin-ethereum';
import { startEthashDevnet } from './ethash-devnet';
import type { EthashDevnet } from './ethash-devnet';
import type { EthashBlockEvent, EthashHashrateEvent, EthashRejectedEvent } from './node/ethash-devnet-events';
import { ethRpc, postRaw } from './testing/eth-rpc-client';
import { solve } from './testing/solve';
import type { Solution } from './testing/solve';
import { LightCacheVerifier } from './verify/light-cache-verifier';

// One devnet for the file (one epoch-0 light cache, ~1 s): difficulty 2, so
// half of all nonces seal a block; nonces are found with the native scanLight.
describe('startEthashDevnet', () => {
  let devnet: EthashDevnet;
  let verifier: LightCacheVerifier<LightCache>;
  const blocks: EthashBlockEvent[] = [];
  const rejected: EthashRejectedEvent[] = [];
  const hashrates: EthashHashrateEvent[] = [];

  const getWork = async (): Promise<string[]> => (await ethRpc<string[]>(devnet.url, 'eth_getWork')).result!;
  const submit = async (s: Solution, sealHash: string, mix = s.mixHex): Promise<boolean | undefined> =>
    (await ethRpc<boolean>(devnet.url, 'eth_submitWork', [s.nonceHex, sealHash, mix])).result;
  /** Seals the current work; resolves with the submit's answer. */
  const mine = async (): Promise<boolean | undefined> => {
    const work = devnet.chain.work;
    return submit(await solve(verifier, work), work.sealHashHex);
  };

  beforeAll(async () => {
    verifier = new LightCacheVerifier(loadEthashNative());
    devnet = await startEthashDevnet({ port: 0, difficulty: 2, verifier, prebuildNextEpoch: false });
    devnet.node.on('block', (e) => blocks.push(e));
    devnet.node.on('rejected', (e) => rejected.push(e));
    devnet.node.on('hashrate', (e) => hashrates.push(e));
  });

  afterAll(() => devnet.close());

  beforeEach(() => {
    blocks.length = 0;
    rejected.length = 0;
  });

  describe('when asked for work', () => {
    it('answers JSON-RPC 2.0 with core-geth\'s 4 elements, the boundary padded to 64 digits', async () => {
      const reply = await ethRpc<string[]>(devnet.url, 'eth_getWork');
      expect(reply.status).toBe(200);
      expect(reply).toMatchObject({ jsonrpc: '2.0', id: 1 });
      expect(reply.error).toBeUndefined();
      expect(reply.result).toEqual([
        expect.stringMatching(/^0x[0-9a-f]{64}$/),
        // facts §4.6: the seed of epoch 0 is 32 zero bytes
        `0x${'0'.repeat(64)}`,
        // 2^256 / 2 = 2^255
        `0x8${'0'.repeat(63)}`,
        '0x1',
      ]);
      expect(reply.result![0]).toBe(devnet.chain.work.sealHashHex);
    });
  });

  describe('when a miner submits a nonce that seals the work', () => {
    it('answers true, advances the head and hands out new work at the next height', async () => {
      const [sealHash] = await getWork();
      const solution = await solve(verifier, devnet.chain.work);
      const head = devnet.chain.height;
      expect(await submit(solution, sealHash)).toBe(true);
      expect((await ethRpc(devnet.url, 'eth_blockNumber')).result).toBe(`0x${(head + 1).toString(16)}`);
      const next = await getWork();
      expect(next[0]).not.toBe(sealHash);
      expect(next[3]).toBe(`0x${(head + 2).toString(16)}`);
      expect(blocks).toEqual([
        expect.objectContaining({ height: head + 1, sealHash, nonce: solution.nonceHex, mix: solution.mixHex, final: solution.finalHex, canonical: true }),
      ]);
      const block = (await ethRpc<Record<string, unknown>>(devnet.url, 'eth_getBlockByNumber', ['latest', false])).result;
      expect(block).toMatchObject({
        number: `0x${(head + 1).toString(16)}`,
        hash: blocks[0].hash,
        parentHash: blocks[0].parentHash,
        nonce: solution.nonceHex,
        mixHash: solution.mixHex,
        difficulty: '0x2',
      });
    });
  });

  describe('when a submit is wrong', () => {
    it('answers false for a wrong mix digest, a high hash and an unknown seal hash', async () => {
      const work = devnet.chain.work;
      const good = await solve(verifier, work);
      const high = await solve(verifier, work, false);
      const flipped = `0x${(BigInt(good.mixHex) ^ 1n).toString(16).padStart(64, '0')}`;
      expect(await submit(good, work.sealHashHex, flipped)).toBe(false);
      expect(await submit(high, work.sealHashHex)).toBe(false);
      expect(await submit(good, `0x${'12'.repeat(32)}`)).toBe(false);
      expect(rejected.map((r) => r.reason)).toEqual(['invalid mix digest', 'high hash', 'none pending']);
      expect(BigInt(high.finalHex)).toBeGreaterThan(work.boundary);
      expect(blocks).toEqual([]);
    });
  });

  describe('when the work is older than the head', () => {
    it('accepts it 7 blocks behind (a side block) and refuses it 8 blocks behind as stale', async () => {
      const seven = devnet.chain.work;
      const sevenSolution = await solve(verifier, seven);
      devnet.node.refreshWork();
      for (let i = 0; i < 7; i++) expect(await mine()).toBe(true);
      const head = devnet.chain.height;
      expect(await submit(sevenSolution, seven.sealHashHex)).toBe(true);
      expect(devnet.chain.height).toBe(head);
      expect(blocks[blocks.length - 1]).toMatchObject({ height: seven.height, canonical: false });

      const eight = devnet.chain.work;
      const eightSolution = await solve(verifier, eight);
      devnet.node.refreshWork();
      for (let i = 0; i < 8; i++) expect(await mine()).toBe(true);
      expect(await submit(eightSolution, eight.sealHashHex)).toBe(false);
      expect(rejected).toEqual([{ reason: 'stale', sealHash: eight.sealHashHex, nonce: eightSolution.nonceHex, height: eight.height }]);
    });
  });

  describe('when the params are malformed', () => {
    it('answers -32602 naming the argument, with HTTP 200', async () => {
      const sealHash = devnet.chain.work.sealHashHex;
      const mix = `0x${'00'.repeat(32)}`;
      expect(await ethRpc(devnet.url, 'eth_submitWork', ['0x00000000000001', sealHash, mix])).toMatchObject({
        status: 200,
        error: { code: -32602, message: 'invalid argument 0: hex string has length 14, want 16 for types.BlockNonce' },
      });
      expect(await ethRpc(devnet.url, 'eth_submitWork', ['0x0000000000000001', sealHash.slice(2), mix])).toMatchObject({
        error: { code: -32602, message: 'invalid argument 1: json: cannot unmarshal hex string without 0x prefix into Go value of type common.Hash' },
      });
      expect(await ethRpc(devnet.url, 'eth_submitWork', ['0x0000000000000001', sealHash])).toMatchObject({
        error: { code: -32602, message: 'missing value for required argument 2' },
      });
      expect(rejected).toEqual([]);
    });
  });

  describe('when asked for blocks', () => {
    it('answers the anchor block, null above the head, and the pending work', async () => {
      const anchor = (await ethRpc<Record<string, unknown>>(devnet.url, 'eth_getBlockByNumber', ['0x0', false])).result;
      expect(anchor).toMatchObject({ number: '0x0', nonce: '0x0000000000000000', mixHash: `0x${'0'.repeat(64)}`, difficulty: '0x2' });
      const beyond = `0x${(devnet.chain.height + 1).toString(16)}`;
      expect((await ethRpc(devnet.url, 'eth_getBlockByNumber', [beyond, false])).result).toBeNull();
      expect((await ethRpc(devnet.url, 'eth_getBlockByNumber', ['pending', false])).result).toMatchObject({ number: beyond, hash: null, nonce: null });
      expect((await ethRpc(devnet.url, 'eth_getBlockByNumber', [1, false])).error).toEqual({ code: -32602, message: 'invalid argument 0: hex string without 0x prefix' });
    });
  });

  describe('when a hashrate is submitted', () => {
    it('answers true and emits it', async () => {
      const id = `0x${'ab'.repeat(32)}`;
      expect((await ethRpc(devnet.url, 'eth_submitHashrate', ['0x4b0', id])).result).toBe(true);
      expect(hashrates).toEqual([{ hashrate: 1200, id }]);
    });
  });

  describe('when the request is not a known call', () => {
    it('answers -32601 for an unknown method and -32700 for a body that is not JSON, both with HTTP 200', async () => {
      expect(await ethRpc(devnet.url, 'eth_sendRawTransaction', ['0x00'])).toMatchObject({
        status: 200,
        error: { code: -32601, message: 'the method eth_sendRawTransaction does not exist/is not available' },
      });
      const parse = await postRaw(devnet.url, '{"jsonrpc":');
      expect(parse.status).toBe(200);
      expect(parse.json).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'parse error' } });
    });

    it('answers 415 for a body that is not application/json and 405 for PUT, as geth', async () => {
      const text = await postRaw(devnet.url, '{}', 'text/plain');
      expect([text.status, text.text]).toEqual([415, 'invalid content type, only application/json is supported\n']);
      const put = await postRaw(devnet.url, '{}', 'application/json', 'PUT');
      expect([put.status, put.text]).toEqual([405, 'method not allowed\n']);
    });
  });
});
