import { createHash } from 'node:crypto';
import { LodeError } from '@lode/stratum-core';
import { DevnetChain } from './devnet-chain';
import { DEVNET_GENESIS } from './genesis';

const dsha = (b: Buffer): Buffer => createHash('sha256').update(createHash('sha256').update(b).digest()).digest();

describe('DevnetChain', () => {
  describe('when created with defaults', () => {
    const chain = new DevnetChain();

    it('starts at the fixed genesis, height 0', () => {
      expect(chain.height).toBe(0);
      expect(chain.tip.hashHex).toBe(Buffer.from(dsha(DEVNET_GENESIS.bytes.subarray(0, 80))).reverse().toString('hex'));
      expect(chain.entryAtHeight(0)).toBe(chain.tip);
      expect(chain.entryByHash(chain.tip.hashHex.toUpperCase())).toBe(chain.tip);
    });

    it('has a genesis whose hash meets its own nBits 207fffff and whose merkle root is its coinbase txid', () => {
      const header = DEVNET_GENESIS.bytes.subarray(0, 80);
      const target = 0x7fffffn << BigInt(8 * (0x20 - 3));
      expect(header.readUInt32LE(72)).toBe(0x207fffff);
      expect(BigInt(`0x${Buffer.from(dsha(header)).reverse().toString('hex')}`) <= target).toBe(true);
      expect(header.subarray(36, 68).equals(dsha(DEVNET_GENESIS.bytes.subarray(81)))).toBe(true);
    });

    it('expects nBits 1d200000 and 50 BTC for block 1', () => {
      expect(chain.nextBlockRules()).toEqual({ height: 1, bits: 0x1d200000, medianTimePast: DEVNET_GENESIS.header.time, subsidy: 5_000_000_000n });
    });
  });

  describe('when given nbits that are no target or above the regtest limit', () => {
    it('throws a config LodeError', () => {
      expect(() => new DevnetChain({ bits: 0x04923456 })).toThrow(LodeError);
      expect(() => new DevnetChain({ bits: 0x2100ffff })).toThrow(/above the devnet's limit/);
      expect(() => new DevnetChain({ halvingInterval: 0 })).toThrow(/halving interval/);
    });
  });
});
