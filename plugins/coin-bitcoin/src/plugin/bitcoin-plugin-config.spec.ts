import { bitcoinPluginConfigSchema, parseBitcoinPluginConfig, parseVersionRollingMask } from './bitcoin-plugin-config';

const MINIMAL = { node: { url: 'http://127.0.0.1:8332' }, payoutAddress: 'x' };

describe('parseBitcoinPluginConfig', () => {
  describe('when given the minimal section', () => {
    it('applies the defaults', () => {
      expect(parseBitcoinPluginConfig({ node: { url: 'http://127.0.0.1:8332' }, payoutAddress: 'x' })).toMatchObject({
        node: { url: 'http://127.0.0.1:8332' },
        payoutAddress: 'x',
        network: 'mainnet',
        coinbaseTag: '/Lode/',
        ntimeFutureSeconds: 7200,
        versionRollingMask: 0x1fffe000,
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
      [{ ...MINIMAL, versionRollingMask: 'bip999' }, 'btc.versionRollingMask is "bip999", expected "bip320", "bip323", "off" or 8 hex digits'],
      [{ ...MINIMAL, versionRollingMask: 0x1fffe000 }, 'btc.versionRollingMask is 536862720'],
      [{ ...MINIMAL, versionRollingMask: 'ffffffff' }, 'btc.versionRollingMask is "ffffffff": a mask must leave bits 29-31 (e0000000) clear'],
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
          versionRollingMask: { type: 'string', default: 'bip320' },
        },
      });
    });
  });

  describe('when a versionRollingMask setting is checked against it', () => {
    // What a JSON Schema validator does with this member (ajv compiles patterns with the u flag).
    const member = bitcoinPluginConfigSchema.properties.versionRollingMask;
    const schemaAccepts = (value: unknown): boolean => typeof value === 'string' && new RegExp(member.pattern, 'u').test(value);

    it('defaults to "bip320", which parses to 1fffe000', () => {
      expect(member.default).toBe('bip320');
      expect(parseBitcoinPluginConfig({ ...MINIMAL, versionRollingMask: member.default }).versionRollingMask).toBe(0x1fffe000);
    });

    it.each([
      ['bip320', 0x1fffe000],
      ['bip323', 0x1fffffe0],
      ['off', 0],
      ['00fff000', 0x00fff000],
      ['1FFFE000', 0x1fffe000],
    ])('accepts %j, which parses to its mask', (setting, mask) => {
      expect(schemaAccepts(setting)).toBe(true);
      expect(parseBitcoinPluginConfig({ ...MINIMAL, versionRollingMask: setting }).versionRollingMask).toBe(mask);
    });

    it.each([['BIP320'], ['1fffe00'], ['1fffe0000'], ['0x1fffe0'], ['ffffffff'], ['e0000000'], ['1fffe00g'], [''], [536862720], [true]])(
      'rejects %j, as the parser does',
      (setting) => {
        expect(schemaAccepts(setting)).toBe(false);
        expect(() => parseBitcoinPluginConfig({ ...MINIMAL, versionRollingMask: setting })).toThrow(
          expect.objectContaining({ kind: 'config', message: expect.stringContaining('btc.versionRollingMask is') }),
        );
      },
    );
  });
});

describe('parseVersionRollingMask', () => {
  describe('when given a named mask', () => {
    it('reads BIP 320 and BIP 323 as published (field-notes §3(c))', () => {
      expect(parseVersionRollingMask('bip320')).toBe(0x1fffe000);
      expect(parseVersionRollingMask('bip323')).toBe(0x1fffffe0);
      expect(parseVersionRollingMask('off')).toBe(0);
      expect(parseVersionRollingMask(undefined)).toBe(0x1fffe000);
    });
  });

  describe('when a name is not one of its own', () => {
    it('does not read inherited members of the name table', () => {
      expect(() => parseVersionRollingMask('toString', 'coins.btc.versionRollingMask')).toThrow(
        'coins.btc.versionRollingMask is "toString"',
      );
    });
  });
});
