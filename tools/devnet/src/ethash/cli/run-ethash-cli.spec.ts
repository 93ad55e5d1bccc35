import { loadEthashNative } from '@lode/coin-ethereum';
import type { LightCache } from '@lode/coin-ethereum';
import { runCli } from '../../cli/run-cli';
import type { EthashWork } from '../chain/ethash-block';
import { ethRpc } from '../testing/eth-rpc-client';
import { solve } from '../testing/solve';
import { LightCacheVerifier } from '../verify/light-cache-verifier';

describe('lode-devnet ethash', () => {
  describe('when a block arrives with --max-blocks 1', () => {
    it('prints the cache, work, listening, rejected and accepted lines and exits with 0', async () => {
      const lines: string[] = [];
      let found: (url: string) => void = () => undefined;
      const url = new Promise<string>((resolve) => (found = resolve));
      const done = runCli(['node', 'lode-devnet', 'ethash', '--port', '0', '--difficulty', '2', '--max-blocks', '1'], (line) => {
        lines.push(line);
        const m = /listening on (\S+)/.exec(line);
        if (m) found(m[1]);
      });
      const rpcUrl = await url;
      const [sealHash, , boundary, height] = (await ethRpc<string[]>(rpcUrl, 'eth_getWork')).result!;
      expect(height).toBe('0x1');
      const verifier = new LightCacheVerifier<LightCache>(loadEthashNative());
      const work = { sealHash: Buffer.from(sealHash.slice(2), 'hex'), epoch: { epoch: 0, seedEpoch: 0 }, boundary: BigInt(boundary) } as EthashWork;
      const solution = await solve(verifier, work);
      expect((await ethRpc(rpcUrl, 'eth_submitWork', [solution.nonceHex, sealHash, `0x${'00'.repeat(32)}`])).result).toBe(false);
      expect((await ethRpc(rpcUrl, 'eth_submitHashrate', ['0x4b0', `0x${'01'.repeat(32)}`])).result).toBe(true);
      expect((await ethRpc(rpcUrl, 'eth_submitWork', [solution.nonceHex, sealHash, solution.mixHex])).result).toBe(true);
      expect(await done).toBe(0);
      await verifier.close();
      // the epoch-1 cache is built in the background; its line may come at any point before "stopped"
      expect(lines.filter((l) => !l.includes('light cache for epoch 1'))).toEqual([
        expect.stringMatching(/^devnet: light cache for epoch 0 ready \(seed 0x0000…0000\) in \d+\.\d s$/),
        `devnet: new work 1 ${sealHash} (start)`,
        `devnet: ethash listening on ${rpcUrl} (difficulty 2, next block 1, epoch 0)`,
        `devnet: work rejected: invalid mix digest (seal hash ${sealHash}, nonce ${solution.nonceHex})`,
        `devnet: hashrate 1.2 kH/s from 0x${'01'.repeat(32)}`,
        expect.stringMatching(new RegExp(`^devnet: block 1 accepted ${sealHash} nonce ${solution.nonceHex} \\(hash 0x[0-9a-f]{64}\\)$`)),
        expect.stringMatching(/^devnet: new work 2 0x[0-9a-f]{64} \(after block\)$/),
        'devnet: reached --max-blocks 1, stopping',
        'devnet: stopped',
      ]);
    });
  });
});
