import type { LodeLogger } from '@lode/stratum-core';
import type { BitcoinServerHandler, VersionRollingOptions } from '../server/server-handler';
import type { ConfigureRequest, ConfigureResult, MinerInfo } from './configure-messages';

/**
 * BIP 310 TExtensionResult: `true` = supported and applied, `false` = not
 * supported or unknown, a string = what went wrong.
 *
 * @see specs/002_b8c80480aecfabab.txt "Additional data types"
 */
export type ExtensionResult = boolean | string;

/**
 * One extension's params as the miner sent them, keyed by name with the
 * `"<code>."` prefix removed: `"version-rolling.mask"` arrives as `"mask"`.
 * A Map, so a name such as "constructor" is just a name.
 */
export type ExtensionParams = ReadonlyMap<string, unknown>;

/**
 * What an extension's server part answers. The registry writes `result`
 * under the extension's code and each of `values` under `"<code>.<name>"`,
 * so an extension can only ever add keys of its own namespace (WhatsMiner
 * disconnects on keys it did not ask for, field-notes.md §3(c)).
 */
export interface ExtensionAnswer {
  result: ExtensionResult;
  /** extra result values by name without the prefix, e.g. `{ mask: "1fffe000" }`, in wire order */
  values?: Readonly<Record<string, unknown>>;
}

/** What the pool's answer said about one extension, as the client part reads it. */
export interface ReceivedAnswer {
  /** the value under the extension's code; undefined when the pool left it out (read as false) */
  result: unknown;
  /** the pool's `"<code>.<name>"` values by name without the prefix */
  values: ReadonlyMap<string, unknown>;
}

/** Version rolling as negotiated on one connection. */
export interface NegotiatedVersionRolling {
  /** serverMask & minerMask, uint32 */
  negotiated: number;
  /** the mask last told to the miner (configure reply or set_version_mask): negotiated & ~(last job's version), uint32 */
  mask: number;
  /**
   * the mask the miner asked for (uint32; ffffffff when it sent none), kept
   * so that a server mask changed at run time (BitcoinServerSession.setServerMask)
   * is intersected with it again
   */
  minerMask?: number;
}

/** The per-connection state the built-in extensions read and write (part of the server session's state). */
export interface ConfigureSessionState {
  /** the miner accepts `mining.set_extranonce` (mining.extranonce.subscribe or "subscribe-extranonce") */
  extranonceSubscribed: boolean;
  /** set once "version-rolling" was answered true */
  versionRolling?: NegotiatedVersionRolling;
  /** the version (uint32) of the last job sent on this connection, if any */
  lastJobVersion?: number;
  /** the minimum difficulty the pool agreed to ("minimum-difficulty" answered true; 0 = off) */
  minimumDifficulty?: number;
  /** what the miner told through "info" (the last configure replaces it) */
  info?: MinerInfo;
}

/** What an extension's server part may use: the pool's handler hooks, the session's logger and state, the port's options. */
export interface ConfigureServerContext {
  readonly handler: BitcoinServerHandler;
  readonly logger: LodeLogger;
  readonly state: ConfigureSessionState;
  /** the port's version-rolling policy; undefined = version rolling refused */
  readonly versionRolling: VersionRollingOptions | undefined;
}

/** The miner side of an extension: the params it writes and the result it reads. */
export interface ConfigureClientPart {
  /**
   * This extension's params (names without the `"<code>."` prefix) when
   * `request` asks for it, else undefined (the code is then not sent).
   *
   * @throws LodeError('protocol') when the request's value for it is out of range
   */
  params(request: ConfigureRequest): Readonly<Record<string, unknown>> | undefined;
  /** Records the pool's answer in its field of `into`. Never throws. */
  read(answer: ReceivedAnswer, into: ConfigureResult): void;
}

/**
 * One BIP 310 extension, both sides. A new extension is one module
 * exporting one of these and one entry in `defaultConfigureExtensions()`
 * (or a list passed as the sessions' `configureExtensions` option).
 */
export interface ConfigureExtension {
  /** the extension code, e.g. "version-rolling": non-empty, without "." (the namespace separator) */
  readonly code: string;
  /**
   * Pool side: reads its params and applies them to the connection. Called
   * again on every repeated `mining.configure` that lists the code; each
   * extension defines what a repeat means. Absent = recognised but not
   * supported (answered false). A throw is logged and answered false.
   */
  serve?(ctx: ConfigureServerContext, params: ExtensionParams): ExtensionAnswer;
  /** Miner side; absent = a client never requests it. */
  readonly client?: ConfigureClientPart;
}

/**
 * Reads a plain TExtensionResult from a pool: true, or the pool's message,
 * or false for anything else (a missing answer included: BIP 310 says
 * every requested code MUST be answered, so silence means unsupported).
 */
export function readExtensionResult(result: unknown): ExtensionResult {
  if (result === true) return true;
  if (typeof result === 'string') return result;
  return false;
}
