import { LodeError } from '@lode/stratum-core';
import { parseUint32Hex, preview, uint32ToHex } from '../hex';

/*
 * Typed shapes of BIP 310 `mining.configure` and `mining.set_version_mask`
 * (specs/002_b8c80480aecfabab.txt, the text that stands; the earlier draft
 * 001_035fc6d9b893e8fb.txt adds "sp-telemetry"). What real firmware sends is
 * in facts/field-notes.md §3(c).
 */

/** The extension codes Lode knows (BIP 310 "Defined extensions", plus "info" and the draft's "sp-telemetry"). */
export const ExtensionCodes = {
  VERSION_ROLLING: 'version-rolling',
  MINIMUM_DIFFICULTY: 'minimum-difficulty',
  SUBSCRIBE_EXTRANONCE: 'subscribe-extranonce',
  INFO: 'info',
  SP_TELEMETRY: 'sp-telemetry',
  BINARY_PROTOCOL: 'binary-protocol',
  PROMISE_PROTOCOL: 'promise-protocol',
} as const;

/** Most extension codes one `mining.configure` may list; BIP 310 defines seven, so more is abuse. */
export const MAX_CONFIGURE_CODES = 64;

/**
 * BIP 310 extension "info": text the miner tells about itself. Each string
 * is at most 256 characters (longer ones are cut); absent when not sent.
 */
export interface MinerInfo {
  /** `info.connection-url`: the exact URL the mining software connected to */
  connectionUrl?: string;
  /** `info.hw-version`: manufacturer-specific hardware revision */
  hwVersion?: string;
  /** `info.sw-version`: manufacturer-specific software version */
  swVersion?: string;
  /** `info.hw-id`: unique identifier of the device */
  hwId?: string;
}

/**
 * What a miner asks for in `mining.configure`; an absent field is not requested.
 *
 * @see specs/002_b8c80480aecfabab.txt "Defined extensions"
 */
export interface ConfigureRequest {
  /**
   * "version-rolling": `mask` = the bits the miner can roll (uint32, default
   * 0xffffffff, sent as `version-rolling.mask`); `minBitCount` = the fewest
   * bits it needs (integer 0..32, sent as `version-rolling.min-bit-count`,
   * diagnostics for the pool).
   */
  versionRolling?: { mask?: number; minBitCount?: number };
  /** "minimum-difficulty": the lowest share difficulty (not a target) the miner accepts, >= 0; 0 switches it off */
  minimumDifficulty?: number;
  /** "subscribe-extranonce": true to say the miner honours `mining.set_extranonce` */
  subscribeExtranonce?: boolean;
  /** "info": text about the miner */
  info?: MinerInfo;
}

/**
 * The pool's answer to a {@link ConfigureRequest}, per extension:
 * `undefined` = not requested; `false` = not supported, unknown, or the
 * pool answered mining.configure with an error or not at all (old pools);
 * a string = the pool's error message (BIP 310 TExtensionResult).
 */
export interface ConfigureResult {
  /** `{ mask }` = negotiated: the miner may roll exactly the bits of `mask` (uint32) and sends a 6th submit param */
  versionRolling: { mask: number } | false | string | undefined;
  minimumDifficulty: boolean | string | undefined;
  /** true = the pool may send `mining.set_extranonce` (the client session always honours it) */
  subscribeExtranonce: boolean | string | undefined;
  info: boolean | string | undefined;
  /** the pool's result map as received ({} when it answered an error or nothing) */
  raw: Record<string, unknown>;
}

/** `mining.configure` params, decoded: the requested codes and the extension-parameters map. */
export interface ConfigureParams {
  /** requested extension codes, in the miner's order (duplicates kept; the registry answers each once) */
  codes: string[];
  /** the extension-parameters map, `"<code>.<name>" -> value` */
  params: Readonly<Record<string, unknown>>;
}

/**
 * Decodes `mining.configure` params `[codes, extensionParams]`. A missing or
 * null second param reads as `{}` (some miners leave it out).
 *
 * @throws LodeError('protocol') "mining.configure extension codes ... is not an array of strings",
 *   "... lists 65 extension codes, at most 64 allowed", "... extension parameters ... is not an object"
 * @see specs/002_b8c80480aecfabab.txt 'Request "mining.configure"'
 */
export function decodeConfigureParams(params: unknown[]): ConfigureParams {
  const [codes, extensionParams] = params;
  if (!Array.isArray(codes) || !codes.every((c): c is string => typeof c === 'string')) {
    throw new LodeError(
      'protocol',
      `mining.configure takes [extensionCodes, extensionParams]; extension codes ${preview(codes)} is not an array of strings`,
    );
  }
  if (codes.length > MAX_CONFIGURE_CODES) {
    throw new LodeError(
      'protocol',
      `mining.configure lists ${codes.length} extension codes, at most ${MAX_CONFIGURE_CODES} allowed`,
    );
  }
  if (extensionParams === undefined || extensionParams === null) return { codes, params: {} };
  if (typeof extensionParams !== 'object' || Array.isArray(extensionParams)) {
    throw new LodeError(
      'protocol',
      `mining.configure extension parameters ${preview(extensionParams)} is not an object`,
    );
  }
  return { codes, params: extensionParams as Record<string, unknown> };
}

/**
 * Encodes `mining.set_version_mask` params: `[mask as 8 lower-case hex digits]`.
 *
 * @throws LodeError('protocol') if mask is not a uint32
 */
export function encodeVersionMaskParams(mask: number): unknown[] {
  return [uint32ToHex(mask)];
}

/**
 * Decodes `mining.set_version_mask` params `[TMask]` (8 hex digits, either case).
 *
 * @throws LodeError('protocol') "mining.set_version_mask mask '<value>' is not 8 hex digits"
 */
export function decodeVersionMaskParams(params: unknown[]): number {
  const mask = parseUint32Hex(params[0]);
  if (mask === undefined) {
    throw new LodeError('protocol', `mining.set_version_mask mask '${preview(params[0])}' is not 8 hex digits`);
  }
  return mask;
}
