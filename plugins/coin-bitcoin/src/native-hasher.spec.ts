import { createHash } from 'node:crypto';
import { LodeError } from '@lode/plugin-api';
import {
  bitcoinHasherImplementations,
  createBitcoinHasher,
  type BitcoinHasherImplementation,
} from './native-hasher';
import { MAINNET_100000, TESTNET3_1263442 } from './testing/real-blocks.fixture';

// Real headers and their hashes (display order) from facts/bitcoin-stratum.md
// ("Test vectors") and facts/bitcoin-blocks.md.
const GENESIS = {
  header:
    '0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c',
  display: '000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f',
};
const BLOCK_125552 = {
  header:
    '0100000081cd02ab7e569e8bcd9317e2fe99f2de44d49ab2b8851ba4a308000000000000e320b6c2fffc8d750423db8b1eb942ae710e951ed797f7affc8892b0f1fc122bc7f5d74df2b9441a42a14695',
  display: '00000000000000001e8d6829a8a21adc5d38d0a473b144b6765798e61f98bd1d',
  /** submitted nonce `9546a142` = header bytes `42 a1 46 95` */
  nonce: 0x9546a142,
  nbits: 0x1a44b9f2,
};
const BLOCK_100000 = {
  header:
    '0100000050120119172a610421a6c3011dd330d9df07b63616c2cc1f1cd00200000000006657a9252aacd5c0b2940996ecff952228c3067cc38d4885efb5a4ac4247e9f337221b4d4c86041b0f2b5710',
  display: '000000000003ba27aa200b1cecaad478d2b00432346c3f1f3986da1afd33e506',
};
const TESTNET_1263442 = {
  header:
    '000000201c8d1a529c39a396db2db234d5ec152fa651a2872966daccbde028b400000000083f14492679151dbfaa1a825ef4c18518e780c1f91044180280a7d33f4a98ff5f45765aaddc001d38333b9a',
  display: '000000006f27ddfe1dd680044a34548f41bed47eba9e6f0b310da21423bc5f33',
};

const display = (hash: Buffer): string => Buffer.from(hash).reverse().toString('hex');

/** nbits -> target = mantissa * 256^(exponent - 3) (facts/bitcoin-stratum.md, "Targets") */
const nbitsTarget = (nbits: number): bigint => BigInt(nbits & 0xffffff) << (8n * BigInt((nbits >>> 24) - 3));

/** An independent SHA-256d (node's OpenSSL) for hashes the facts do not list. */
const opensslSha256d = (data: Buffer): Buffer =>
  createHash('sha256').update(createHash('sha256').update(data).digest()).digest();

const withNonce = (header: Buffer, nonce: number): Buffer => {
  const copy = Buffer.from(header);
  copy.writeUInt32LE(nonce, 76);
  return copy;
};

const asNumber = (hash: Buffer): bigint => BigInt('0x' + display(hash));

describe('createBitcoinHasher', () => {
  const available = bitcoinHasherImplementations();

  it('offers the portable path on every CPU, and auto picks the fastest', () => {
    expect(available).toContain('portable');
    expect(createBitcoinHasher().implementation).toBe(available[0]);
  });

  describe.each(available)('when the implementation is %s', (implementation) => {
    const hasher = createBitcoinHasher({ implementation });

    it('reports the implementation it runs', () => {
      expect(hasher.implementation).toBe(implementation);
    });

    it('hashes the genesis header and block 125552 to their facts hashes', () => {
      expect(display(hasher.hash(Buffer.from(GENESIS.header, 'hex')))).toBe(GENESIS.display);
      expect(display(hasher.hash(Buffer.from(BLOCK_125552.header, 'hex')))).toBe(BLOCK_125552.display);
    });

    it('hashes mainnet block 100000 and testnet block 1263442 to their facts hashes', () => {
      expect(display(hasher.hash(Buffer.from(BLOCK_100000.header, 'hex')))).toBe(BLOCK_100000.display);
      expect(display(hasher.hash(Buffer.from(TESTNET_1263442.header, 'hex')))).toBe(TESTNET_1263442.display);
    });

    it('finds exactly block 125552 nonce under its network target, with the facts hash', async () => {
      const header = Buffer.from(BLOCK_125552.header, 'hex');
      header.fill(0, 76); // the scan writes the nonce itself
      const result = await hasher.scan({
        header,
        startNonce: BLOCK_125552.nonce - 700,
        count: 1500,
        target: nbitsTarget(BLOCK_125552.nbits),
        threads: 1,
      });
      expect(result.hashes).toBe(1500);
      expect(result.hits).toHaveLength(1);
      expect(result.hits[0].nonce).toBe(BLOCK_125552.nonce);
      expect(display(result.hits[0].hash)).toBe(BLOCK_125552.display);
    });

    it('returns the same hits on several threads as on one, each hash <= target', async () => {
      const header = Buffer.from(GENESIS.header, 'hex');
      const request = { header, startNonce: 123_456, count: 20_000, target: 1n << 248n, threads: 1 };
      const one = await hasher.scan(request);
      const three = await hasher.scan({ ...request, threads: 3 });
      expect(one.hits.length).toBeGreaterThan(20);
      expect(three.hits).toEqual(one.hits);
      expect(three.hashes).toBe(20_000);
      for (const hit of one.hits) {
        expect(hit.hash).toEqual(opensslSha256d(withNonce(header, hit.nonce)));
        expect(asNumber(hit.hash) <= request.target).toBe(true);
      }
    });

    it('scans up to the last nonce, 2^32 - 1', async () => {
      const header = Buffer.from(GENESIS.header, 'hex');
      const result = await hasher.scan({ header, startNonce: 2 ** 32 - 3, count: 3, target: (1n << 256n) - 1n, threads: 2 });
      expect(result.hits.map((hit) => hit.nonce)).toEqual([2 ** 32 - 3, 2 ** 32 - 2, 2 ** 32 - 1]);
      expect(result.hits[2].hash).toEqual(opensslSha256d(withNonce(header, 2 ** 32 - 1)));
    });

    it('keeps at most 4096 hits and counts the ones it dropped', async () => {
      const header = Buffer.from(GENESIS.header, 'hex');
      const result = await hasher.scan({ header, startNonce: 0, count: 5000, target: (1n << 256n) - 1n, threads: 2 });
      expect(result.hits).toHaveLength(4096);
      expect(result.dropped).toBe(5000 - 4096);
      expect(result.hits[4095].nonce).toBe(4095);
    });

    it('copies the header, so the caller may reuse its buffer at once', async () => {
      const header = Buffer.from(BLOCK_125552.header, 'hex');
      const pending = hasher.scan({
        header,
        startNonce: BLOCK_125552.nonce - 10,
        count: 20,
        target: nbitsTarget(BLOCK_125552.nbits),
        threads: 2,
      });
      header.fill(0xee);
      expect((await pending).hits.map((hit) => hit.nonce)).toEqual([BLOCK_125552.nonce]);
    });
  });

  describe.each(available)('when folding a merkle branch on %s', (implementation) => {
    const hasher = createBitcoinHasher({ implementation });
    const rootOf = (block: typeof MAINNET_100000 | typeof TESTNET3_1263442): Buffer =>
      hasher.merkleRoot(Buffer.from(block.coinbase, 'hex'), Buffer.from(block.branches.join(''), 'hex'));

    it("returns the header's merkle root of mainnet block 100000 (two branches) and testnet3 block 1263442 (one)", () => {
      expect(display(rootOf(MAINNET_100000))).toBe(MAINNET_100000.merkleRootDisplay);
      expect(display(rootOf(TESTNET3_1263442))).toBe(TESTNET3_1263442.merkleRootDisplay);
    });

    it('returns the coinbase txid when there is no branch', () => {
      const root = hasher.merkleRoot(Buffer.from(MAINNET_100000.coinbase, 'hex'), Buffer.alloc(0));
      expect(display(root)).toBe(MAINNET_100000.txidsDisplay[0]);
    });

    it('writes the root into a header at offset 36 and leaves the other bytes alone', () => {
      const header = Buffer.from(MAINNET_100000.header, 'hex');
      const expected = Buffer.from(header);
      header.fill(0xaa, 36, 68);
      hasher.merkleRootInto(
        Buffer.from(MAINNET_100000.coinbase, 'hex'),
        Buffer.from(MAINNET_100000.branches.join(''), 'hex'),
        header,
        36,
      );
      expect(header.toString('hex')).toBe(expected.toString('hex'));
    });
  });

  describe('when inputs are wrong', () => {
    const hasher = createBitcoinHasher();
    const header = Buffer.from(GENESIS.header, 'hex');
    const ok = { header, startNonce: 0, count: 10, target: 1n, threads: 1 };

    it('refuses a header that is not 80 bytes', async () => {
      expect(() => hasher.hash(header.subarray(0, 79))).toThrow('header is 79 bytes, a Bitcoin header is 80');
      await expect(hasher.scan({ ...ok, header: Buffer.alloc(81) })).rejects.toThrow(
        'header is 81 bytes, a Bitcoin header is 80',
      );
    });

    it('refuses a target outside [0, 2^256)', async () => {
      await expect(hasher.scan({ ...ok, target: -1n })).rejects.toThrow('target is 0x-1, it must be in [0, 2^256)');
      await expect(hasher.scan({ ...ok, target: 1n << 256n })).rejects.toThrow('it must be in [0, 2^256)');
    });

    it('refuses zero threads and too many threads', async () => {
      await expect(hasher.scan({ ...ok, threads: 0 })).rejects.toThrow('threads is 0, it must be an integer in [1, 256]');
      await expect(hasher.scan({ ...ok, threads: 1000 })).rejects.toThrow('threads is 1000');
    });

    it('refuses a range past 2^32 and nonces that are not uint32 integers', async () => {
      await expect(hasher.scan({ ...ok, startNonce: 2 ** 32 - 10, count: 11 })).rejects.toThrow(
        'startNonce 4294967286 + count 11 = 4294967297 runs past the nonce space',
      );
      await expect(hasher.scan({ ...ok, startNonce: -1 })).rejects.toThrow('startNonce is -1');
      await expect(hasher.scan({ ...ok, count: 2.5 })).rejects.toThrow('count is 2.5');
    });

    it('refuses merkle branches that are not 32 bytes each, and an output too short for the root', () => {
      const coinbase = Buffer.from(MAINNET_100000.coinbase, 'hex');
      expect(() => hasher.merkleRoot(coinbase, Buffer.alloc(33))).toThrow(
        'branches is 33 bytes, expected a multiple of 32 (the branch hashes concatenated)',
      );
      const out = Buffer.alloc(40, 0x11);
      expect(() => hasher.merkleRootInto(coinbase, Buffer.alloc(0), out, 9)).toThrow(
        'out is 40 bytes, 32 bytes from offset 9 do not fit',
      );
      expect(out).toEqual(Buffer.alloc(40, 0x11));
      let error: unknown;
      try {
        hasher.merkleRoot(coinbase, Buffer.alloc(1));
      } catch (e) {
        error = e;
      }
      expect(LodeError.is(error, 'plugin')).toBe(true);
    });

    it('throws LodeError of kind plugin', async () => {
      const error: unknown = await hasher.scan({ ...ok, threads: 0 }).catch((e: unknown) => e);
      expect(LodeError.is(error, 'plugin')).toBe(true);
    });

    it('refuses an unknown implementation, and sha-ni where the CPU lacks it', () => {
      const unknown = 'avx9' as BitcoinHasherImplementation;
      expect(() => createBitcoinHasher({ implementation: unknown })).toThrow('implementation "avx9" is unknown');
      if (!available.includes('sha-ni')) {
        expect(() => createBitcoinHasher({ implementation: 'sha-ni' })).toThrow('needs a CPU with the SHA extensions');
      }
    });
  });

  describe('when the addon is missing', () => {
    it('throws LodeError(plugin) that says how to build it', () => {
      jest.isolateModules(() => {
        jest.doMock('../native/index.js', () => {
          throw new Error('Cannot find native binding');
        });
        const isolated = require('./native-hasher') as typeof import('./native-hasher');
        let error: unknown;
        try {
          isolated.createBitcoinHasher();
        } catch (e) {
          error = e;
        }
        expect(LodeError.is(error, 'plugin')).toBe(true);
        expect((error as Error).message).toBe(
          'the native SHA-256d addon did not load: Cannot find native binding; run `npx nx run @lode/coin-bitcoin:build-native`',
        );
      });
      jest.dontMock('../native/index.js');
    });
  });
});
