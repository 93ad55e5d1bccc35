import { loadEthashNative } from '@lode/coin-ethereum';
import type { LightCache } from '@lode/coin-ethereum';
import { startEthashDevnet } from './ethash-devnet';
import type { EthashDevnet } from './ethash-devnet';
import { ethRpc } from './testing/eth-rpc-client';
import { solve } from './testing/solve';
import { LightCacheVerifier } from './verify/light-cache-verifier';

// facts/ethash.md §4.6: the seed hash of ethash epoch 1
const EPOCH_1_SEED = '0x290decd9548b62a8d60345a988386fc84ba6bc95484008f6362f93160ef3e563';

// Two epoch caches (0 at start, 1 in the background), ~2 s native; the
// prebuild of epoch 2 that follows is awaited by close().
describe('startEthashDevnet across an epoch boundary', () => {
  let devnet: EthashDevnet;
  let verifier: LightCacheVerifier<LightCache>;
  const lines: string[] = [];

  beforeAll(async () => {
    verifier = new LightCacheVerifier(loadEthashNative());
    devnet = await startEthashDevnet({ port: 0, difficulty: 2, startHeight: 29_999, verifier, log: (line) => lines.push(line) });
  });

  afterAll(() => devnet.close());

  describe('when the chain starts at 29999 and a block is found there', () => {
    it('hands out work at 30000 with the seed of epoch 1 and accepts a block sealed with the epoch-1 cache', async () => {
      let work = (await ethRpc<string[]>(devnet.url, 'eth_getWork')).result!;
      expect(work.slice(1)).toEqual([`0x${'0'.repeat(64)}`, `0x8${'0'.repeat(63)}`, '0x752f']);
      let solution = await solve(verifier, devnet.chain.work);
      expect((await ethRpc(devnet.url, 'eth_submitWork', [solution.nonceHex, work[0], solution.mixHex])).result).toBe(true);

      work = (await ethRpc<string[]>(devnet.url, 'eth_getWork')).result!;
      expect(work.slice(1)).toEqual([EPOCH_1_SEED, `0x8${'0'.repeat(63)}`, '0x7530']);
      expect(devnet.chain.work.epoch).toEqual({ epoch: 1, seedEpoch: 1 });
      solution = await solve(verifier, devnet.chain.work);
      expect((await ethRpc(devnet.url, 'eth_submitWork', [solution.nonceHex, work[0], solution.mixHex])).result).toBe(true);
      expect((await ethRpc(devnet.url, 'eth_blockNumber')).result).toBe('0x7530');
    });

    it('logged both caches, the works and the blocks', () => {
      expect(lines).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^devnet: light cache for epoch 0 ready \(seed 0x0000…0000\) in \d+\.\d s$/),
          expect.stringMatching(/^devnet: light cache for epoch 1 ready \(seed 0x290d…e563\) in \d+\.\d s$/),
          expect.stringMatching(/^devnet: new work 29999 0x[0-9a-f]{64} \(start\)$/),
          expect.stringMatching(/^devnet: ethash listening on http:\/\/127\.0\.0\.1:\d+ \(difficulty 2, next block 29999, epoch 0\)$/),
          expect.stringMatching(/^devnet: block 29999 accepted 0x[0-9a-f]{64} nonce 0x[0-9a-f]{16} \(hash 0x[0-9a-f]{64}\)$/),
          expect.stringMatching(/^devnet: new work 30000 0x[0-9a-f]{64} \(after block\)$/),
          expect.stringMatching(/^devnet: block 30000 accepted /),
        ]),
      );
    });
  });
});
