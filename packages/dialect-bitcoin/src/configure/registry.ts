import { LodeError } from '@lode/stratum-core';
import { preview } from '../hex';
import type { ConfigureRequest, ConfigureResult } from './configure-messages';
import type { ConfigureExtension, ConfigureServerContext, ExtensionAnswer } from './configure-extension';
import { infoExtension } from './info';
import { minimumDifficultyExtension } from './minimum-difficulty';
import { subscribeExtranonceExtension } from './subscribe-extranonce';
import { unpublishedExtensions } from './unpublished';
import { versionRollingExtension } from './version-rolling';

/**
 * Every extension Lode knows, in the order a client lists them:
 * "version-rolling", "minimum-difficulty", "subscribe-extranonce", "info",
 * then "sp-telemetry", "binary-protocol", "promise-protocol" (recognised,
 * answered false). A fresh array each call, so a caller may add to it.
 */
export function defaultConfigureExtensions(): ConfigureExtension[] {
  return [
    versionRollingExtension,
    minimumDifficultyExtension,
    subscribeExtranonceExtension,
    infoExtension,
    ...unpublishedExtensions,
  ];
}

/** The extension-parameters entries of one namespace, the `"<code>."` prefix removed. */
function namespace(map: Readonly<Record<string, unknown>>, code: string): Map<string, unknown> {
  const prefix = `${code}.`;
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(map)) {
    if (key.startsWith(prefix)) out.set(key.slice(prefix.length), value);
  }
  return out;
}

function isResult(value: unknown): value is boolean | string {
  return typeof value === 'boolean' || typeof value === 'string';
}

/**
 * The BIP 310 extensions one side speaks, by code, and the two halves of
 * `mining.configure` built from them.
 *
 * Pool side (`answer`): every requested code gets exactly one result; an
 * unknown or unsupported code -> false; a code listed twice is answered
 * once; each extension adds only keys of its own namespace.
 * Miner side (`encodeRequest`, `decodeResult`): each extension writes its
 * own params and reads its own result.
 *
 * @see specs/002_b8c80480aecfabab.txt 'Request "mining.configure"' ("Each code from extensions list MUST have a defined return value")
 */
export class ConfigureRegistry {
  private readonly byCode = new Map<string, ConfigureExtension>();

  /**
   * @param extensions the extensions to speak; default `defaultConfigureExtensions()`
   * @throws LodeError('config') when a code is empty, contains ".", or appears twice
   */
  constructor(extensions: readonly ConfigureExtension[] = defaultConfigureExtensions()) {
    for (const ext of extensions) {
      if (ext.code.length === 0 || ext.code.includes('.')) {
        throw new LodeError('config', `extension code '${ext.code}' must be non-empty and contain no "."`);
      }
      if (this.byCode.has(ext.code)) throw new LodeError('config', `extension code '${ext.code}' is registered twice`);
      this.byCode.set(ext.code, ext);
    }
  }

  /** The registered codes, in registration order. */
  get codes(): string[] {
    return [...this.byCode.keys()];
  }

  /** The extension registered under `code`, if any. */
  get(code: string): ConfigureExtension | undefined {
    return this.byCode.get(code);
  }

  /**
   * Pool side: the result map of one `mining.configure`, in request order,
   * each code followed by its own `"<code>.<name>"` values.
   *
   * @param codes the requested codes as the miner sent them
   * @param params the extension-parameters map
   * @returns e.g. `{"version-rolling": true, "version-rolling.mask": "1fffe000", "foo": false}`
   */
  answer(
    ctx: ConfigureServerContext,
    codes: readonly string[],
    params: Readonly<Record<string, unknown>>,
  ): Record<string, unknown> {
    const entries: Array<[string, unknown]> = [];
    const answered = new Set<string>();
    for (const code of codes) {
      if (answered.has(code)) continue;
      answered.add(code);
      const answer = this.serveOne(ctx, code, params);
      entries.push([code, answer.result]);
      for (const [name, value] of Object.entries(answer.values ?? {})) entries.push([`${code}.${name}`, value]);
    }
    // fromEntries defines own properties, so a code such as "__proto__" is just a key.
    return Object.fromEntries(entries);
  }

  /**
   * Miner side: the codes and extension-parameters map for `request`, in
   * registration order; extensions without a client part are never requested.
   *
   * @throws LodeError('protocol') when a requested value is out of range (a mask that is not a uint32, ...)
   */
  encodeRequest(request: ConfigureRequest): { codes: string[]; params: Record<string, unknown> } {
    const codes: string[] = [];
    const entries: Array<[string, unknown]> = [];
    for (const ext of this.byCode.values()) {
      const own = ext.client?.params(request);
      if (own === undefined) continue;
      codes.push(ext.code);
      for (const [name, value] of Object.entries(own)) entries.push([`${ext.code}.${name}`, value]);
    }
    return { codes, params: Object.fromEntries(entries) };
  }

  /**
   * Miner side: reads the pool's result map for `request`. A result that is
   * not an object (an error answer, silence, null) reads as `{}`, so every
   * requested extension comes out false.
   */
  decodeResult(request: ConfigureRequest, result: unknown): ConfigureResult {
    const raw: Record<string, unknown> =
      typeof result === 'object' && result !== null && !Array.isArray(result)
        ? Object.fromEntries(Object.entries(result))
        : {};
    const out: ConfigureResult = {
      versionRolling: undefined,
      minimumDifficulty: undefined,
      subscribeExtranonce: undefined,
      info: undefined,
      raw,
    };
    for (const ext of this.byCode.values()) {
      if (ext.client === undefined || ext.client.params(request) === undefined) continue;
      const own = Object.hasOwn(raw, ext.code) ? raw[ext.code] : undefined;
      ext.client.read({ result: own, values: namespace(raw, ext.code) }, out);
    }
    return out;
  }

  private serveOne(ctx: ConfigureServerContext, code: string, params: Readonly<Record<string, unknown>>): ExtensionAnswer {
    const ext = this.byCode.get(code);
    if (ext?.serve === undefined) {
      if (ext === undefined) ctx.logger.debug({ code: preview(code) }, 'unknown extension requested; answered false');
      return { result: false };
    }
    let answer: ExtensionAnswer;
    try {
      answer = ext.serve(ctx, namespace(params, code));
    } catch (err) {
      ctx.logger.error({ err, code }, 'extension failed; answered false');
      return { result: false };
    }
    if (!isResult(answer.result)) {
      ctx.logger.error({ code, result: preview(answer.result) }, 'extension answered no TExtensionResult; answered false');
      return { result: false };
    }
    return answer;
  }
}
