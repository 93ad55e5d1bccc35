import { LodeError, silentLogger } from '@lode/stratum-core';
import type { ConfigureExtension, ConfigureServerContext } from './configure-extension';
import { ConfigureRegistry, defaultConfigureExtensions } from './registry';

function context(): ConfigureServerContext {
  return {
    handler: {
      subscribe: () => Promise.reject(new Error('not used')),
      authorize: () => Promise.resolve(true),
      submit: () => Promise.reject(new Error('not used')),
    },
    logger: silentLogger,
    state: { extranonceSubscribed: false },
    versionRolling: { serverMask: 0x1fffe000 },
  };
}

describe('ConfigureRegistry', () => {
  describe('when built', () => {
    it('knows the BIP 310 codes, the earlier draft sp-telemetry and info, in client order', () => {
      expect(new ConfigureRegistry().codes).toEqual([
        'version-rolling',
        'minimum-difficulty',
        'subscribe-extranonce',
        'info',
        'sp-telemetry',
        'binary-protocol',
        'promise-protocol',
      ]);
    });

    it('refuses a code registered twice, an empty code and a code with a dot', () => {
      const twice = [...defaultConfigureExtensions(), { code: 'info' }];
      expect(() => new ConfigureRegistry(twice)).toThrow("extension code 'info' is registered twice");
      expect(() => new ConfigureRegistry([{ code: '' }])).toThrow(LodeError);
      expect(() => new ConfigureRegistry([{ code: 'a.b' }])).toThrow(/must be non-empty and contain no "."/);
    });
  });

  describe('when it answers a request', () => {
    it('answers an extension that throws or returns no TExtensionResult with false', () => {
      const broken: ConfigureExtension[] = [
        {
          code: 'x-throws',
          serve: () => {
            throw new Error('boom');
          },
        },
        { code: 'x-number', serve: () => ({ result: 1 as unknown as boolean }) },
      ];
      const registry = new ConfigureRegistry(broken);
      expect(registry.answer(context(), ['x-throws', 'x-number'], {})).toEqual({ 'x-throws': false, 'x-number': false });
    });

    it('hands each extension only its own params, without the prefix', () => {
      const seen: Array<[string, unknown][]> = [];
      const spy: ConfigureExtension = {
        code: 'x-spy',
        serve: (_ctx, params) => {
          seen.push([...params]);
          return { result: true };
        },
      };
      const registry = new ConfigureRegistry([spy]);
      registry.answer(context(), ['x-spy'], { 'x-spy.a': 1, 'x-spyx.b': 2, 'x-spy': 3, 'other.c': 4, 'x-spy.constructor': 5 });
      expect(seen).toEqual([
        [
          ['a', 1],
          ['constructor', 5],
        ],
      ]);
    });
  });

  describe('when a client encodes and decodes', () => {
    it('requests only what the request asks for', () => {
      const registry = new ConfigureRegistry();
      expect(registry.encodeRequest({ minimumDifficulty: 0, info: { hwVersion: 'rev1' } })).toEqual({
        codes: ['minimum-difficulty', 'info'],
        params: { 'minimum-difficulty.value': 0, 'info.hw-version': 'rev1' },
      });
    });

    it('reads only the requested codes and keeps the raw map', () => {
      const registry = new ConfigureRegistry();
      const raw = { info: true, 'minimum-difficulty': true };
      expect(registry.decodeResult({ info: {} }, raw)).toEqual({
        versionRolling: undefined,
        minimumDifficulty: undefined,
        subscribeExtranonce: undefined,
        info: true,
        raw,
      });
    });
  });
});
