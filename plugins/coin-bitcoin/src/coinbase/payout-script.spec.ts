import { payoutScript } from './payout-script';

describe('payoutScript', () => {
  describe('when given a standard address of its network', () => {
    it.each([
      // P2PKH: the genesis block's address
      ['P2PKH', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', 'mainnet', '76a91462e907b15cbf27d5425399ebf6f0fb50ebb88f1888ac'],
      // P2SH: the Bitcoin wiki "Address" example
      ['P2SH', '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy', 'mainnet', 'a914b472a266d0bd89c13706a4132ccfb16f7c3b9fcb87'],
      // BIP 173 / BIP 350 valid segwit address vectors
      ['P2WPKH', 'BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4', 'mainnet', '0014751e76e8199196d454941c45d1b3a323f1433bd6'],
      [
        'P2WSH',
        'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7',
        'testnet',
        '00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262',
      ],
      [
        'P2TR',
        'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0',
        'mainnet',
        '512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798',
      ],
      [
        'P2TR (testnet)',
        'tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c',
        'testnet',
        '5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433',
      ],
      [
        'P2TR (signet shares testnet prefixes)',
        'tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c',
        'signet',
        '5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433',
      ],
    ] as const)('returns the %s script', (_type, address, network, script) => {
      expect(payoutScript(address, network).toString('hex')).toBe(script);
    });
  });

  describe('when the address is of another network', () => {
    it('throws LodeError(config) for a bech32 address', () => {
      expect(() => payoutScript('BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4', 'testnet')).toThrow(
        expect.objectContaining({ kind: 'config', message: expect.stringContaining('BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4') }),
      );
    });

    it('throws LodeError(config) for a taproot address', () => {
      expect(() => payoutScript('bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0', 'regtest')).toThrow(
        expect.objectContaining({ kind: 'config', message: expect.stringContaining('"bcrt1"') }),
      );
    });
  });

  describe('when the address is malformed', () => {
    it('throws LodeError(config) for a v1 address with a bech32 (not bech32m) checksum (BIP 350 invalid vector)', () => {
      expect(() => payoutScript('bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd', 'mainnet')).toThrow(
        expect.objectContaining({ kind: 'config' }),
      );
    });

    it('throws LodeError(config) for text that is no address', () => {
      expect(() => payoutScript('not-an-address', 'mainnet')).toThrow(expect.objectContaining({ kind: 'config' }));
    });
  });
});
