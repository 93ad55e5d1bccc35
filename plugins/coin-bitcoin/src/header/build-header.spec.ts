import { MAINNET_100000, TESTNET3_1263442 } from '../testing/real-blocks.fixture';
import { displayFromRaw, rawFromDisplay, referenceSha256d } from '../testing/sha256d.fixture';
import { buildHeader } from './build-header';

describe('buildHeader', () => {
  describe.each([
    ['mainnet block 100000', MAINNET_100000],
    ['testnet3 block 1263442', TESTNET3_1263442],
  ])('when given the stratum-form fields of %s', (_name, block) => {
    const fields = {
      version: block.version,
      merkleRoot: rawFromDisplay(block.merkleRootDisplay),
      ntime: block.ntime,
      nbits: block.nbits,
      nonce: block.nonce,
    };

    it('rebuilds the facts header from the notify prevhash', () => {
      const header = buildHeader({ ...fields, prevhashStratum: block.prevhashStratum });
      expect(header.toString('hex')).toBe(block.header);
    });

    it('rebuilds the same header from the display prevhash', () => {
      expect(buildHeader({ ...fields, prevHashDisplay: block.prevhashDisplay }).toString('hex')).toBe(block.header);
    });

    it('hashes (sha256d, node:crypto) to the block hash', () => {
      const header = buildHeader({ ...fields, prevhashStratum: block.prevhashStratum });
      expect(displayFromRaw(referenceSha256d(header))).toBe(block.hashDisplay);
    });
  });

  describe('when given block 125552 from facts/bitcoin-stratum.md', () => {
    it('stores version, ntime, nbits and nonce little-endian', () => {
      const header = buildHeader({
        version: 0x00000001,
        prevhashStratum: 'ab02cd818b9e567ee21793cddef299feb29ad444a41b85b8000008a300000000',
        merkleRoot: Buffer.from('e320b6c2fffc8d750423db8b1eb942ae710e951ed797f7affc8892b0f1fc122b', 'hex'),
        ntime: 0x4dd7f5c7,
        nbits: 0x1a44b9f2,
        nonce: 0x9546a142,
      });
      expect(header.toString('hex')).toBe(
        '0100000081cd02ab7e569e8bcd9317e2fe99f2de44d49ab2b8851ba4a308000000000000e320b6c2fffc8d750423db8b1eb942ae710e951ed797f7affc8892b0f1fc122bc7f5d74df2b9441a42a14695',
      );
      expect(displayFromRaw(referenceSha256d(header))).toBe('00000000000000001e8d6829a8a21adc5d38d0a473b144b6765798e61f98bd1d');
    });
  });

  describe('when the merkle root is not 32 bytes', () => {
    it('throws LodeError(protocol) naming the length', () => {
      expect(() =>
        buildHeader({ version: 1, prevhashBytes: Buffer.alloc(32), merkleRoot: Buffer.alloc(31), ntime: 0, nbits: 0, nonce: 0 }),
      ).toThrow(expect.objectContaining({ kind: 'protocol', message: 'merkle root is 31 bytes, a header needs 32' }));
    });
  });
});
