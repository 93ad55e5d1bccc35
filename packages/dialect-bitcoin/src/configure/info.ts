import { ExtensionCodes } from './configure-messages';
import type { MinerInfo } from './configure-messages';
import { readExtensionResult } from './configure-extension';
import type { ConfigureExtension, ExtensionParams } from './configure-extension';

/** Longest info string kept, in characters; longer ones are cut. */
export const MAX_INFO_LENGTH = 256;

/** MinerInfo fields and their BIP 310 param names. */
const FIELDS: ReadonlyArray<[keyof MinerInfo, string]> = [
  ['connectionUrl', 'connection-url'],
  ['hwVersion', 'hw-version'],
  ['swVersion', 'sw-version'],
  ['hwId', 'hw-id'],
];

function readInfo(params: ExtensionParams): MinerInfo {
  const info: MinerInfo = {};
  for (const [field, name] of FIELDS) {
    const value = params.get(name);
    if (typeof value === 'string') info[field] = value.slice(0, MAX_INFO_LENGTH);
  }
  return info;
}

/**
 * BIP 310 extension "info": text about the miner.
 *
 * Pool side: `info.connection-url`, `info.hw-version`, `info.sw-version`
 * and `info.hw-id`, each kept when it is a string (cut to 256 characters),
 * ignored otherwise; stored on the session (a repeat replaces what an
 * earlier one said) and handed to the handler's `setInfo` hook (a throw is
 * logged). Always answered true.
 *
 * Miner side: sends the fields that are set; reads true, false or the pool's message.
 *
 * @see specs/002_b8c80480aecfabab.txt 'Extension "info"'
 */
export const infoExtension: ConfigureExtension = {
  code: ExtensionCodes.INFO,

  serve(ctx, params) {
    const info = readInfo(params);
    ctx.state.info = info;
    try {
      ctx.handler.setInfo?.({ ...info });
    } catch (err) {
      ctx.logger.error({ err }, 'setInfo handler threw');
    }
    return { result: true };
  },

  client: {
    params(request) {
      const info = request.info;
      if (info === undefined) return undefined;
      const out: Record<string, unknown> = {};
      for (const [field, name] of FIELDS) {
        const value = info[field];
        if (value !== undefined) out[name] = value;
      }
      return out;
    },

    read(answer, into) {
      into.info = readExtensionResult(answer.result);
    },
  },
};
