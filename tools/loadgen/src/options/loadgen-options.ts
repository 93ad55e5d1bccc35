import { isIP } from 'node:net';
import { parseStratumUrl } from '@lode/stratum-core';
import { DIALECT_NAMES, type DialectName } from '../dialects/dialect-driver';
import type { ShareMix } from '../mix/share-kind';

/** Everything a load generator run needs; see LOADGEN_DEFAULTS for the defaults. */
export interface LoadgenOptions {
  /** the pool, `stratum+tcp://host:port` (or `stratum+tls://`; certificates are not checked) */
  url: string;
  dialect: DialectName;
  /** sessions to open */
  sessions: number;
  /** hard cap: a run never opens more sessions than this (sessions above it are refused up front) */
  maxSessions: number;
  /** sessions opened per second during ramp-up */
  rampPerSecond: number;
  /** shares per second each session sends (0: idle sessions) */
  sharesPerSecond: number;
  /** percent of shares of each kind */
  mix: ShareMix;
  /** the run stops sending after this many seconds (ramp-up included), then waits for the last replies */
  durationSeconds: number;
  /** a request without a reply after this many ms is missing (and so is a handshake step or the first job) */
  replyTimeoutMs: number;
  /** requests one session may have waiting for their reply; shares past it are throttled */
  maxInFlight: number;
  /** workers are `<user>.<session index>` */
  user: string;
  password: string;
  /** Bitcoin: negotiate BIP 310 version rolling and roll version bits in every share */
  versionRolling: boolean;
  /** local addresses sessions bind to in turn (e.g. 127.0.0.1..127.0.0.4 to pass ~28k connections per source address) */
  localAddresses: readonly string[];
  /** also fail the run when an invalid share is refused for another reason than its kind's */
  strict: boolean;
}

/** The defaults of every option but `url`. */
export const LOADGEN_DEFAULTS: Omit<LoadgenOptions, 'url'> = Object.freeze({
  dialect: 'bitcoin',
  sessions: 100,
  maxSessions: 100_000,
  rampPerSecond: 1000,
  sharesPerSecond: 1,
  mix: Object.freeze({ valid: 100, 'low-difficulty': 0, duplicate: 0, stale: 0, malformed: 0 }),
  durationSeconds: 10,
  replyTimeoutMs: 10_000,
  maxInFlight: 64,
  user: 'loadgen',
  password: 'x',
  versionRolling: false,
  localAddresses: Object.freeze([]) as readonly string[],
  strict: false,
});

/** Longest run, seconds: a run is bounded and stops by itself. */
export const MAX_DURATION_SECONDS = 86_400;
/** Highest hard cap on sessions one process may be asked for. */
export const MAX_SESSIONS_CAP = 1_000_000;

function integerIn(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} is ${value}, expected an integer from ${min} to ${max}`);
}

function numberIn(name: string, value: number, min: number, max: number, minExclusive = false): void {
  if (!Number.isFinite(value) || value > max || (minExclusive ? value <= min : value < min)) {
    throw new Error(`${name} is ${value}, expected a number ${minExclusive ? 'above' : 'from'} ${min}${minExclusive ? ' and at most' : ' to'} ${max}`);
  }
}

/**
 * Fills in defaults and checks every option.
 *
 * @param given `url` and any options to override
 * @returns complete, checked options
 * @throws Error naming the option and the rule: a URL that is not a stratum
 *   URL, an unknown dialect, counts and rates out of range, sessions above
 *   the hard cap, a duration above 86,400 s, a local address that is not an
 *   IP address
 */
export function resolveLoadgenOptions(given: Partial<LoadgenOptions> & { url: string }): LoadgenOptions {
  const o: LoadgenOptions = { ...LOADGEN_DEFAULTS, ...given };
  parseStratumUrl(o.url);
  if (!DIALECT_NAMES.includes(o.dialect)) throw new Error(`dialect "${o.dialect}" is not one of ${DIALECT_NAMES.join(', ')}`);
  integerIn('max-sessions (the hard cap)', o.maxSessions, 1, MAX_SESSIONS_CAP);
  integerIn('sessions', o.sessions, 1, MAX_SESSIONS_CAP);
  if (o.sessions > o.maxSessions) throw new Error(`sessions is ${o.sessions}, above the hard cap max-sessions ${o.maxSessions}`);
  numberIn('ramp (sessions per second)', o.rampPerSecond, 0, 1e6, true);
  numberIn('rate (shares per second per session)', o.sharesPerSecond, 0, 10_000);
  numberIn('duration (seconds)', o.durationSeconds, 0, MAX_DURATION_SECONDS, true);
  integerIn('reply-timeout (ms)', o.replyTimeoutMs, 1, 600_000);
  integerIn('max-in-flight', o.maxInFlight, 1, 4096);
  if (o.user === '') throw new Error('user is empty');
  for (const a of o.localAddresses) if (isIP(a) === 0) throw new Error(`local address "${a}" is not an IP address`);
  if (o.versionRolling && o.dialect !== 'bitcoin') throw new Error(`version rolling is a Bitcoin extension (BIP 310); dialect is ${o.dialect}`);
  return o;
}
