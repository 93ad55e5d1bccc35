import { FakeVerifier, fakeNonce, fakePow } from '../testing/fake-verifier';
import type { EthashBlockEvent, EthashRejectedEvent, EthashWorkEvent } from './ethash-devnet-events';
import { EthashDevnetNode } from './ethash-devnet-node';
import type { EthashDevnetNodeOptions } from './ethash-devnet-node';

const HALF = 1n << 255n; // boundary of difficulty 2
const hex = (b: Buffer): string => `0x${b.toString('hex')}`;

interface Harness {
  node: EthashDevnetNode;
  verifier: FakeVerifier;
  works: EthashWorkEvent[];
  blocks: EthashBlockEvent[];
  rejected: EthashRejectedEvent[];
  warnings: string[];
}

async function harness(options: Partial<EthashDevnetNodeOptions> = {}): Promise<Harness> {
  const verifier = new FakeVerifier();
  const node = new EthashDevnetNode({ difficulty: 2, clock: () => 1_700_000_000_000, verifier, ...options });
  const h: Harness = { node, verifier, works: [], blocks: [], rejected: [], warnings: [] };
  node.on('work', (e) => h.works.push(e));
  node.on('block', (e) => h.blocks.push(e));
  node.on('rejected', (e) => h.rejected.push(e));
  node.on('warning', (e) => h.warnings.push(e.message));
  await node.start();
  return h;
}

/** Seals the current work with a valid fake nonce; resolves with the submit's answer. */
async function mine(node: EthashDevnetNode): Promise<boolean> {
  const work = node.chain.work;
  const nonce = fakeNonce(work.sealHash, work.boundary);
  return node.submitWork(nonce, work.sealHash, fakePow(work.sealHash, nonce).mix);
}

describe('EthashDevnetNode', () => {
  describe('when asked for work', () => {
    it('answers core-geth\'s 4 elements: seal hash, seed hash, padded boundary, height quantity', async () => {
      const { node } = await harness({ startHeight: 30 });
      const work = node.chain.work;
      expect(node.getWork()).toEqual([work.sealHashHex, `0x${'0'.repeat(64)}`, `0x8${'0'.repeat(63)}`, '0x1e']);
      await node.close();
    });
  });

  describe('when a valid seal is submitted for the current work', () => {
    it('answers true, appends the block, makes new work at once and emits block then nothing else', async () => {
      const h = await harness();
      const work = h.node.chain.work;
      const nonce = fakeNonce(work.sealHash, HALF);
      const { mix, final } = fakePow(work.sealHash, nonce);
      expect(await h.node.submitWork(nonce, work.sealHash, mix)).toBe(true);
      expect(h.node.chain.height).toBe(1);
      expect(h.node.chain.work.height).toBe(2);
      expect(h.works.map((w) => [w.height, w.reason])).toEqual([[1, 'start'], [2, 'block']]);
      expect(h.blocks).toEqual([
        {
          height: 1,
          hash: hex(h.node.chain.head.hash),
          parentHash: hex(work.parentHash),
          sealHash: work.sealHashHex,
          nonce: `0x${nonce.toString(16).padStart(16, '0')}`,
          mix: hex(mix),
          final: hex(final),
          canonical: true,
        },
      ]);
      expect(h.rejected).toEqual([]);
      expect(h.verifier.hashedWith).toEqual(['0/0']);
      await h.node.close();
    });
  });

  describe('when a seal is wrong', () => {
    it('answers false with the reason, in core-geth\'s order', async () => {
      const h = await harness();
      const work = h.node.chain.work;
      const good = fakeNonce(work.sealHash, HALF);
      const high = fakeNonce(work.sealHash, HALF, false);
      expect(await h.node.submitWork(good, Buffer.alloc(32, 7), fakePow(work.sealHash, good).mix)).toBe(false);
      expect(await h.node.submitWork(good, work.sealHash, Buffer.alloc(32))).toBe(false);
      expect(await h.node.submitWork(high, work.sealHash, fakePow(work.sealHash, high).mix)).toBe(false);
      // a wrong mix is reported before a high hash
      expect(await h.node.submitWork(high, work.sealHash, Buffer.alloc(32))).toBe(false);
      expect(h.rejected.map((r) => r.reason)).toEqual(['none pending', 'invalid mix digest', 'high hash', 'invalid mix digest']);
      expect(h.rejected[0]).toEqual({ reason: 'none pending', sealHash: hex(Buffer.alloc(32, 7)), nonce: `0x${good.toString(16).padStart(16, '0')}` });
      expect(h.rejected[2]).toMatchObject({ sealHash: work.sealHashHex, height: 1 });
      expect(h.node.chain.height).toBe(0);
      await h.node.close();
    });
  });

  describe('when the work is older than the head', () => {
    it('accepts a seal 7 blocks behind as a side block and refuses one 8 behind as stale', async () => {
      const h = await harness();
      const old = h.node.chain.work;
      const nonce = fakeNonce(old.sealHash, HALF);
      const mix = fakePow(old.sealHash, nonce).mix;
      h.node.refreshWork();
      for (let i = 0; i < 7; i++) expect(await mine(h.node)).toBe(true);
      expect(await h.node.submitWork(nonce, old.sealHash, mix)).toBe(true);
      expect(h.blocks[h.blocks.length - 1]).toMatchObject({ height: 1, canonical: false, sealHash: old.sealHashHex });
      expect(h.node.chain.height).toBe(7);
      expect(await h.node.submitWork(nonce, old.sealHash, mix)).toBe(true);
      expect(h.warnings).toEqual([expect.stringMatching(/^block 1 0x[0-9a-f]{64} was already sealed \(duplicate submit of 0x[0-9a-f]{64}\)$/)]);
      const other = fakeNonce(old.sealHash, HALF, true, nonce + 1n);
      expect(await mine(h.node)).toBe(true);
      expect(await h.node.submitWork(other, old.sealHash, fakePow(old.sealHash, other).mix)).toBe(false);
      expect(h.rejected).toEqual([{ reason: 'stale', sealHash: old.sealHashHex, nonce: `0x${other.toString(16).padStart(16, '0')}`, height: 1 }]);
      await h.node.close();
    });
  });

  describe('when the chain nears an epoch boundary', () => {
    it('builds the current epoch\'s cache at start and the next one in the background, and keeps 2 (3 in the stale window)', async () => {
      const h = await harness({ startHeight: 29_999 });
      expect(h.verifier.prepared).toEqual(['0/0', '1/1']);
      expect(h.verifier.retained).toEqual(['0/0', '1/1']);
      expect(await mine(h.node)).toBe(true);
      expect(h.node.getWork()[1]).toBe(`0x${h.verifier.seedHash(1).toString('hex')}`);
      expect(h.node.getWork()[3]).toBe('0x7530');
      expect(h.verifier.retained).toEqual(['1/1', '0/0', '2/2']);
      expect(h.verifier.prepared).toEqual(['0/0', '1/1', '2/2']);
      expect(await mine(h.node)).toBe(true);
      expect(h.verifier.hashedWith).toEqual(['0/0', '1/1']);
      await h.node.close();
      expect(h.verifier.closed).toBe(true);
    });

    it('builds only the current epoch with prebuildNextEpoch false', async () => {
      const h = await harness({ startHeight: 29_999, prebuildNextEpoch: false });
      expect(h.verifier.prepared).toEqual(['0/0']);
      await h.node.close();
    });

    it('uses 60000-block epochs and seed epoch 2e for etchash from block 0', async () => {
      const h = await harness({ algo: 'etchash', startHeight: 59_999 });
      expect(h.node.chain.work.epoch).toEqual({ epoch: 0, seedEpoch: 0 });
      expect(h.verifier.prepared).toEqual(['0/0', '1/2']);
      expect(await mine(h.node)).toBe(true);
      expect(h.node.chain.work.epoch).toEqual({ epoch: 1, seedEpoch: 2 });
      expect(h.node.getWork()[1]).toBe(`0x${h.verifier.seedHash(2).toString('hex')}`);
      await h.node.close();
    });
  });

  describe('when workRefreshMs is set', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('makes new work at the same height every period until closed', async () => {
      const h = await harness({ workRefreshMs: 1000 });
      jest.advanceTimersByTime(3000);
      expect(h.works.map((w) => [w.height, w.reason])).toEqual([[1, 'start'], [1, 'refresh'], [1, 'refresh'], [1, 'refresh']]);
      expect(new Set(h.works.map((w) => w.sealHash)).size).toBe(4);
      await h.node.close();
      jest.advanceTimersByTime(3000);
      expect(h.works).toHaveLength(4);
    });
  });

  describe('when maxBlocks is reached', () => {
    it('emits max-blocks once', async () => {
      const h = await harness({ maxBlocks: 2 });
      const reached: number[] = [];
      h.node.on('max-blocks', (e) => reached.push(e.blocks));
      await mine(h.node);
      expect(reached).toEqual([]);
      await mine(h.node);
      await mine(h.node);
      expect(reached).toEqual([2]);
      await h.node.close();
    });
  });

  describe('when a hashrate is submitted', () => {
    it('answers true, emits it and keeps the last rate of at most maxHashrateIds ids', async () => {
      const h = await harness({ maxHashrateIds: 2 });
      const seen: unknown[] = [];
      h.node.on('hashrate', (e) => seen.push(e));
      const id = (n: number): string => `0x${n.toString(16).padStart(64, '0')}`;
      expect(h.node.submitHashrate(1200n, id(1))).toBe(true);
      h.node.submitHashrate(10n, id(2));
      h.node.submitHashrate(20n, id(3));
      expect(seen[0]).toEqual({ hashrate: 1200, id: id(1) });
      expect([...h.node.hashrates.keys()]).toEqual([id(2), id(3)]);
      await h.node.close();
    });
  });

  describe('when the verifier fails', () => {
    it('rejects the submit with LodeError(node, -32000)', async () => {
      const h = await harness();
      h.verifier.hash = () => Promise.reject(new Error('out of memory'));
      const work = h.node.chain.work;
      await expect(h.node.submitWork(0n, work.sealHash, Buffer.alloc(32))).rejects.toMatchObject({
        kind: 'node',
        code: -32000,
        message: `ethash verification of ${work.sealHashHex} failed: out of memory`,
      });
      await h.node.close();
    });
  });

  describe('when the options are invalid', () => {
    it('throws LodeError(config)', () => {
      for (const options of [{ workRefreshMs: -1 }, { maxBlocks: 0 }, { maxHashrateIds: 0 }, { difficulty: 0 }]) {
        expect(() => new EthashDevnetNode({ verifier: new FakeVerifier(), ...options })).toThrow(expect.objectContaining({ kind: 'config' }));
      }
    });
  });
});
