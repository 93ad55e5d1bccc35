import { createHash } from 'node:crypto';
import { EthashChain, STALE_THRESHOLD, WORK_RETENTION_BLOCKS } from './ethash-chain';
import type { EthashChainOptions } from './ethash-chain';

const seed = (e: number): Buffer => Buffer.alloc(32, e);
const mix = Buffer.alloc(32, 0xab);
const be64 = (n: number | bigint): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
};

function chain(options: EthashChainOptions = {}): EthashChain {
  return new EthashChain({ difficulty: 1000, ...options }, seed, 1_700_000_000);
}

describe('EthashChain', () => {
  describe('when created', () => {
    it('sits on an anchor block at startHeight - 1 with the first work at startHeight', () => {
      const c = chain({ startHeight: 29_999 });
      expect(c.height).toBe(29_998);
      expect(c.head.hash).toEqual(createHash('sha256').update('lode ethash devnet anchor').update(be64(29_998)).digest());
      expect(c.head.totalDifficulty).toBe(1000n * 29_999n);
      expect(c.work).toMatchObject({ height: 29_999, counter: 1, difficulty: 1000n, epoch: { epoch: 0, seedEpoch: 0 } });
      expect(c.work.parentHash).toEqual(c.head.hash);
      expect(c.minedBlocks).toBe(0);
      expect(c.blockAt(29_998)).toBe(c.head);
      expect(c.blockAt(29_997)).toBeUndefined();
    });

    it('derives the seal hash as SHA-256(parentHash ‖ height ‖ timestamp ‖ counter)', () => {
      const c = chain();
      const expected = createHash('sha256').update(c.head.hash).update(be64(1)).update(be64(1_700_000_000)).update(be64(1)).digest();
      expect(c.work.sealHash).toEqual(expected);
      expect(c.work.sealHashHex).toBe(`0x${expected.toString('hex')}`);
    });

    it('refuses bad options with LodeError(config)', () => {
      for (const options of [{ startHeight: 0 }, { difficulty: 0 }, { ecip1099Block: -1 }, { maxPendingWorks: 0 }, { algo: 'scrypt' as 'ethash' }]) {
        expect(() => chain(options)).toThrow(expect.objectContaining({ kind: 'config' }));
      }
    });
  });

  describe('when new work is made at the same height', () => {
    it('gives a new seal hash each time and remembers every work', () => {
      const c = chain();
      const first = c.work;
      const second = c.newWork(1_700_000_000);
      expect(second.height).toBe(first.height);
      expect(second.sealHash.equals(first.sealHash)).toBe(false);
      expect(c.work).toBe(second);
      expect(c.findWork(first.sealHash)).toBe(first);
      expect(c.pendingWorks).toBe(2);
    });

    it('drops the oldest works beyond maxPendingWorks', () => {
      const c = chain({ maxPendingWorks: 2 });
      const first = c.work;
      c.newWork(1);
      c.newWork(2);
      expect(c.pendingWorks).toBe(2);
      expect(c.findWork(first.sealHash)).toBeUndefined();
    });
  });

  describe('when a work is sealed', () => {
    it('appends a canonical block on the head with SHA-256(sealHash ‖ nonce ‖ mix) as its hash', () => {
      const c = chain();
      const work = c.work;
      const { outcome, block } = c.seal(work, 0x1234n, mix);
      expect(outcome).toBe('canonical');
      expect(block.hash).toEqual(createHash('sha256').update(work.sealHash).update(be64(0x1234)).update(mix).digest());
      expect(c.head).toBe(block);
      expect(c.height).toBe(1);
      expect(block.totalDifficulty).toBe(2000n);
      expect(c.blockByHash(block.hash)).toBe(block);
      expect(c.minedBlocks).toBe(1);
    });

    it('answers duplicate for the same block again and side for a sibling', () => {
      const c = chain();
      const work = c.work;
      c.seal(work, 1n, mix);
      expect(c.seal(work, 1n, mix).outcome).toBe('duplicate');
      const sibling = c.seal(work, 2n, mix);
      expect(sibling.outcome).toBe('side');
      expect(c.height).toBe(1);
      expect(c.seal(work, 2n, mix).outcome).toBe('duplicate');
    });
  });

  describe('when the head moves on', () => {
    it('calls a work stale once it is not within 7 blocks (height + 7 > head)', () => {
      const c = chain();
      const old = c.work;
      for (let i = 0; i < STALE_THRESHOLD; i++) c.seal(c.newWork(i), 0n, mix);
      expect(c.height).toBe(old.height + STALE_THRESHOLD - 1);
      expect(c.isStale(old)).toBe(false);
      c.seal(c.newWork(99), 0n, mix);
      expect(c.isStale(old)).toBe(true);
      expect(c.findWork(old.sealHash)).toBe(old);
    });

    it(`forgets works ${WORK_RETENTION_BLOCKS} blocks behind the head`, () => {
      const c = chain();
      const old = c.work;
      // head = old.height + k after k blocks on top of the anchor
      for (let i = 0; i < WORK_RETENTION_BLOCKS; i++) c.seal(c.newWork(i), 0n, mix);
      expect(c.findWork(old.sealHash)).toBe(old);
      c.seal(c.newWork(99), 0n, mix);
      expect(c.height - old.height).toBe(WORK_RETENTION_BLOCKS);
      expect(c.findWork(old.sealHash)).toBeUndefined();
    });
  });

  describe('when the seed of an epoch is asked twice', () => {
    it('computes it once', () => {
      const calls: number[] = [];
      const c = new EthashChain({ startHeight: 29_999 }, (e) => (calls.push(e), seed(e)), 0);
      c.seal(c.work, 0n, mix);
      c.newWork(1);
      c.newWork(2);
      expect(c.work.epoch).toEqual({ epoch: 1, seedEpoch: 1 });
      expect(c.work.seedHash).toEqual(seed(1));
      expect(calls).toEqual([0, 1]);
    });
  });
});
