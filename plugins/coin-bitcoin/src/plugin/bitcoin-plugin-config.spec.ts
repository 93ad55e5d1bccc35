import { bitcoinPluginConfigSchema, parseBitcoinPluginConfig } from './bitcoin-plugin-config';

describe('parseBitcoinPluginConfig', () => {
  describe('when given the minimal section', () => {
    it('applies the defaults', () => {
      expect(parseBitcoinPluginConfig({ node: { url: 'http://127.0.0.1:8332' }, payoutAddress: 'x' })).toMatchObject({
        node: { url: 'http://127.0.0.1:8332' },
        payoutAddress: 'x',
        network: 'mainnet',
        coinbaseTag: '/Lode/',
        ntimeFutureSeconds: 7200,
      });
    });
  });

  describe('when a member is missing or of the wrong type', () => {
    it.each([
      [{ payoutAddress: 'x' }, 'btc.node is required'],
      [{ node: {}, payoutAddress: 'x' }, 'btc.node.url is required'],
      [{ node: { url: 'http://h' } }, 'btc.payoutAddress is required'],
      [{ node: { url: 'http://h' }, payoutAddress: 'x', network: 'main' }, 'btc.network is "main"'],
      [{ node: { url: 'http://h', longpoll: 'yes' }, payoutAddress: 'x' }, 'btc.node.longpoll is "yes"'],
      [{ node: { url: 'http://h', pollIntervalMs: -1 }, payoutAddress: 'x' }, 'btc.node.pollIntervalMs is -1'],
      [{ node: { url: 'http://h' }, payoutAddress: 'x', ntimeFutureSeconds: 7201 }, 'btc.ntimeFutureSeconds is 7201, at most 7200'],
    ])('throws LodeError(config) naming it (%j)', (config, message) => {
      expect(() => parseBitcoinPluginConfig(config)).toThrow(
        expect.objectContaining({ kind: 'config', message: expect.stringContaining(message) }),
      );
    });
  });
});

describe('bitcoinPluginConfigSchema', () => {
  describe('when read', () => {
    it('closes the section and the node object to unknown members and requires node and payoutAddress', () => {
      expect(bitcoinPluginConfigSchema).toMatchObject({
        type: 'object',
        additionalProperties: false,
        required: ['node', 'payoutAddress'],
        properties: {
          node: { additionalProperties: false, required: ['url'] },
          network: { enum: ['mainnet', 'testnet', 'regtest', 'signet'], default: 'mainnet' },
          coinbaseTag: { default: '/Lode/' },
          ntimeFutureSeconds: { default: 7200 },
        },
      });
    });
  });
});
