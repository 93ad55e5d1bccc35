import { Observable, Subject } from 'rxjs';
import type { ShareVerdict } from '@lode/mining';
import { LodeError } from '@lode/stratum-core';
import { AddressList, normalizeAddress } from './address';
import { EventWindow, ShareWindow } from './event-window';
import { classifyShare } from './share-class';

/** Which rule banned an address ('manual': `BanManager.ban`, e.g. from an admin API). */
export type BanRule = 'invalid-shares' | 'malformed-messages' | 'auth-failures' | 'connection-rate' | 'manual';

/** One ban as announced on `BanManager.bans$`. */
export interface BanEvent {
  /** the banned address, normalised (see normalizeAddress: "203.0.113.7", "2001:db8::1") */
  address: string;
  rule: BanRule;
  /** when the ban ends, ms since the epoch (the manager's clock) */
  until: number;
  /** a human line: what was counted against which threshold, e.g. "45 of 50 shares invalid (90%) in 600 s" */
  reason: string;
}

/** A ban in force, as `BanManager.list()` gives it. */
export interface BanEntry extends BanEvent {
  /** when the ban started, ms since the epoch */
  since: number;
}

/**
 * "More than `max` events from one address within `windowSeconds` bans it
 * for `banSeconds`" (malformed messages, failed authorisations, new connections).
 */
export interface RateRuleOptions {
  /** events allowed per window; one more bans. Integer >= 1 */
  max: number;
  /** the sliding window, seconds (> 0) */
  windowSeconds: number;
  /** how long the ban lasts, seconds (> 0) */
  banSeconds: number;
}

/**
 * "At least `minShares` shares from one address within `windowSeconds`, of
 * which the invalid fraction is `maxInvalidRatio` or more, bans it for
 * `banSeconds`" (Miningcore's invalid-share ban, field-notes.md §1.1).
 */
export interface InvalidShareRuleOptions {
  /** shares needed in the window before the ratio is judged; integer >= 1 */
  minShares: number;
  /** the sliding window, seconds (> 0); counted in 10 slices (see ShareWindow) */
  windowSeconds: number;
  /** invalid / total at or above which the address is banned, 0 < ratio <= 1 */
  maxInvalidRatio: number;
  /** how long the ban lasts, seconds (> 0) */
  banSeconds: number;
}

/**
 * Options of a {@link BanManager}. Each rule: undefined takes its default
 * (DEFAULT_BAN_RULES), false turns it off.
 */
export interface BanManagerOptions {
  /** the clock, ms since the epoch; default Date.now */
  now?: () => number;
  /** addresses and CIDR ranges (IPv4 and IPv6) never banned nor tracked; default none */
  allowList?: readonly string[];
  invalidShares?: InvalidShareRuleOptions | false;
  malformedMessages?: RateRuleOptions | false;
  authFailures?: RateRuleOptions | false;
  connectionRate?: RateRuleOptions | false;
  /** addresses tracked at once; the least recently seen is forgotten beyond it. Default 65536 */
  maxTrackedAddresses?: number;
  /** bans held at once; the oldest is lifted beyond it. Default 65536 */
  maxBans?: number;
}

/** The defaults of each rule (also the pool config's defaults). */
export const DEFAULT_BAN_RULES = {
  invalidShares: { minShares: 50, windowSeconds: 600, maxInvalidRatio: 0.5, banSeconds: 600 },
  malformedMessages: { max: 20, windowSeconds: 60, banSeconds: 600 },
  authFailures: { max: 10, windowSeconds: 60, banSeconds: 600 },
  connectionRate: { max: 100, windowSeconds: 10, banSeconds: 300 },
} as const satisfies {
  invalidShares: InvalidShareRuleOptions;
  malformedMessages: RateRuleOptions;
  authFailures: RateRuleOptions;
  connectionRate: RateRuleOptions;
};

/** Record calls between two sweeps of expired trackers and bans. */
const PRUNE_EVERY = 1024;

interface Tracker {
  lastSeen: number;
  shares?: ShareWindow;
  malformed?: EventWindow;
  auth?: EventWindow;
  connections?: EventWindow;
}

interface Rules {
  invalidShares: InvalidShareRuleOptions | undefined;
  malformedMessages: RateRuleOptions | undefined;
  authFailures: RateRuleOptions | undefined;
  connectionRate: RateRuleOptions | undefined;
}

/**
 * The pool's ban list (issue 10 "Protection"): counts what each address does
 * against four rules, each with its own window and ban duration, and bans an
 * address that breaks one:
 *
 * - invalid shares: at least `minShares` shares in the window and
 *   invalid/total >= `maxInvalidRatio` (Miningcore's BanManager, field-notes §1.1);
 * - malformed messages: more than `max` unparseable lines, unknown methods or
 *   wrong params in the window;
 * - authorisation failures: more than `max` refused authorize in the window;
 * - connection rate: more than `max` new connections in the window.
 *
 * An allow-listed address (CIDR ranges, IPv4 and IPv6) is never tracked nor
 * banned. Addresses are normalised (normalizeAddress), so "::ffff:1.2.3.4" and
 * "1.2.3.4" are one. A ban resets the address's counts; it ends by itself at
 * `until` (checked lazily), or with `unban`. Each ban is announced once on
 * `bans$` (the ports close the address's open sessions; StratumServer's
 * `admit` asks `banReason` for new connections).
 *
 * Memory is bounded: at most `maxTrackedAddresses` addresses (least recently
 * seen forgotten first, and any not seen for the longest window), each with
 * O(max) event times and 10 share slices; at most `maxBans` bans. Pure logic
 * on an injectable clock; no timers.
 */
export class BanManager {
  /** every new ban (not repeated while it lasts); completes on `dispose()` */
  readonly bans$: Observable<BanEvent>;
  private readonly bansSubject = new Subject<BanEvent>();
  private readonly now: () => number;
  private readonly allow: AddressList;
  private readonly rules: Rules;
  private readonly trackers = new Map<string, Tracker>();
  private readonly banned = new Map<string, BanEntry>();
  private readonly maxTracked: number;
  private readonly maxBans: number;
  /** the longest window of any rule, ms: a tracker silent for longer holds nothing */
  private readonly longestWindowMs: number;
  private sincePrune = 0;

  /** @throws LodeError('config') on an allow-list entry that is not an address or CIDR range, or a rule value out of range */
  constructor(options: BanManagerOptions = {}) {
    this.now = options.now ?? Date.now;
    this.maxTracked = positiveInteger('maxTrackedAddresses', options.maxTrackedAddresses ?? 65536);
    // The allow-list's answers are remembered for as many addresses as are tracked.
    this.allow = new AddressList(options.allowList ?? [], { maxCached: this.maxTracked });
    this.rules = {
      invalidShares: pick(options.invalidShares, DEFAULT_BAN_RULES.invalidShares),
      malformedMessages: pick(options.malformedMessages, DEFAULT_BAN_RULES.malformedMessages),
      authFailures: pick(options.authFailures, DEFAULT_BAN_RULES.authFailures),
      connectionRate: pick(options.connectionRate, DEFAULT_BAN_RULES.connectionRate),
    };
    checkRules(this.rules);
    this.maxBans = positiveInteger('maxBans', options.maxBans ?? 65536);
    this.longestWindowMs =
      Math.max(
        this.rules.invalidShares?.windowSeconds ?? 0,
        this.rules.malformedMessages?.windowSeconds ?? 0,
        this.rules.authFailures?.windowSeconds ?? 0,
        this.rules.connectionRate?.windowSeconds ?? 0,
      ) * 1000;
    this.bans$ = this.bansSubject.asObservable();
  }

  /** Addresses tracked now (for tests and metrics). */
  get trackedAddresses(): number {
    return this.trackers.size;
  }

  /** True when `address` is on the allow-list. */
  isAllowed(address: string): boolean {
    return this.allow.has(address);
  }

  /**
   * Counts one share verdict of `address`. Accepted (stale included) is
   * valid; a rejection is invalid, except 'not-recorded' (the pool's store
   * failed, not the miner), which is not counted (see classifyShare).
   *
   * @param verdict the engine's verdict, or true (valid) / false (invalid)
   * @returns true when the address is banned now (by this share or before)
   */
  recordShare(address: string, verdict: ShareVerdict | boolean): boolean {
    const kind = typeof verdict === 'boolean' ? (verdict ? 'valid' : 'invalid') : classifyShare(verdict);
    const rule = this.rules.invalidShares;
    const key = normalizeAddress(address);
    if (this.skip(key) || rule === undefined || kind === 'ignored') return this.isBannedKey(key);
    const tracker = this.track(key);
    tracker.shares ??= new ShareWindow(rule.windowSeconds * 1000);
    const { valid, invalid } = tracker.shares.add(tracker.lastSeen, kind === 'valid');
    const total = valid + invalid;
    if (total >= rule.minShares && invalid / total >= rule.maxInvalidRatio) {
      const percent = Math.round((invalid / total) * 100);
      this.impose(key, 'invalid-shares', rule.banSeconds, `${invalid} of ${total} shares invalid (${percent}%) in ${rule.windowSeconds} s`);
    }
    return this.isBannedKey(key);
  }

  /**
   * Counts one malformed message of `address`: a line that is not a valid
   * message, an unknown method, or a known method with wrong params.
   *
   * @returns true when the address is banned now
   */
  recordMalformed(address: string, count = 1): boolean {
    let banned = false;
    for (let i = 0; i < count && !banned; i++) {
      banned = this.rate(address, 'malformed', 'malformedMessages', 'malformed-messages', 'malformed messages');
    }
    return banned || this.isBanned(address);
  }

  /**
   * Counts one refused authorisation of `address`.
   *
   * @returns true when the address is banned now
   */
  recordAuthFailure(address: string): boolean {
    return this.rate(address, 'auth', 'authFailures', 'auth-failures', 'failed authorisations');
  }

  /**
   * Counts one new connection of `address` (call it once the real address is
   * known, after the PROXY header).
   *
   * @returns true when the address is banned now
   */
  recordConnection(address: string): boolean {
    return this.rate(address, 'connections', 'connectionRate', 'connection-rate', 'new connections');
  }

  /** True while a ban of `address` is in force. */
  isBanned(address: string): boolean {
    return this.isBannedKey(normalizeAddress(address));
  }

  /**
   * Why `address` is refused, for StratumServer's `admit`: "banned until
   * 2024-05-01T12:00:00.000Z (connection-rate: 101 new connections in 10 s)",
   * or undefined when it is not banned.
   */
  banReason(address: string): string | undefined {
    const key = normalizeAddress(address);
    if (!this.isBannedKey(key)) return undefined;
    const ban = this.banned.get(key) as BanEntry;
    return `banned until ${new Date(ban.until).toISOString()} (${ban.rule}: ${ban.reason})`;
  }

  /** The bans in force, oldest first. */
  list(): BanEntry[] {
    this.pruneBans(this.now());
    return [...this.banned.values()].map((b) => ({ ...b }));
  }

  /**
   * Bans `address` for `seconds` by hand (rule 'manual'); an allow-listed
   * address is not banned.
   *
   * @returns the ban, or undefined for an allow-listed address
   * @throws LodeError('config') when seconds is not > 0
   */
  ban(address: string, seconds: number, reason = 'banned by an operator'): BanEntry | undefined {
    if (!(seconds > 0) || !Number.isFinite(seconds)) throw new LodeError('config', `ban seconds ${seconds} is not a number > 0`);
    const key = normalizeAddress(address);
    if (this.allow.has(key)) return undefined;
    this.impose(key, 'manual', seconds, reason);
    return { ...(this.banned.get(key) as BanEntry) };
  }

  /**
   * Lifts the ban of `address` and forgets its counts.
   *
   * @returns true when there was a ban in force
   */
  unban(address: string): boolean {
    const key = normalizeAddress(address);
    const was = this.isBannedKey(key);
    this.banned.delete(key);
    this.trackers.delete(key);
    return was;
  }

  /** Drops expired bans and trackers silent for longer than the longest window (also done every 1024 records). */
  prune(): void {
    const now = this.now();
    this.pruneBans(now);
    this.pruneTrackers(now);
  }

  /** Completes `bans$`. */
  dispose(): void {
    this.bansSubject.complete();
  }

  private rate(
    address: string,
    slot: 'malformed' | 'auth' | 'connections',
    ruleName: 'malformedMessages' | 'authFailures' | 'connectionRate',
    banRule: BanRule,
    what: string,
  ): boolean {
    const rule = this.rules[ruleName];
    const key = normalizeAddress(address);
    if (this.skip(key) || rule === undefined) return this.isBannedKey(key);
    const tracker = this.track(key);
    const window = (tracker[slot] ??= new EventWindow(rule.max, rule.windowSeconds * 1000));
    if (window.add(tracker.lastSeen)) {
      this.impose(key, banRule, rule.banSeconds, `more than ${rule.max} ${what} in ${rule.windowSeconds} s`);
    }
    return this.isBannedKey(key);
  }

  /** allow-listed or already banned: nothing to count */
  private skip(key: string): boolean {
    return this.allow.has(key) || this.isBannedKey(key);
  }

  private isBannedKey(key: string): boolean {
    const ban = this.banned.get(key);
    if (ban === undefined) return false;
    if (ban.until > this.now()) return true;
    this.banned.delete(key);
    return false;
  }

  /** the address's tracker, moved to the most recently seen end; may forget the least recently seen */
  private track(key: string): Tracker {
    const now = this.now();
    let tracker = this.trackers.get(key);
    if (tracker !== undefined) this.trackers.delete(key);
    tracker ??= { lastSeen: now };
    tracker.lastSeen = now;
    this.trackers.set(key, tracker);
    if (++this.sincePrune >= PRUNE_EVERY) {
      this.sincePrune = 0;
      this.prune();
    }
    while (this.trackers.size > this.maxTracked) this.trackers.delete(this.trackers.keys().next().value as string);
    return tracker;
  }

  private impose(key: string, rule: BanRule, seconds: number, reason: string): void {
    const since = this.now();
    const entry: BanEntry = { address: key, rule, since, until: since + seconds * 1000, reason };
    this.banned.delete(key);
    this.banned.set(key, entry);
    this.trackers.delete(key);
    while (this.banned.size > this.maxBans) this.banned.delete(this.banned.keys().next().value as string);
    this.bansSubject.next({ address: key, rule, until: entry.until, reason });
  }

  private pruneBans(now: number): void {
    for (const [key, ban] of this.banned) if (ban.until <= now) this.banned.delete(key);
  }

  private pruneTrackers(now: number): void {
    // Least recently seen first: stop at the first one still inside the longest window.
    for (const [key, tracker] of this.trackers) {
      if (now - tracker.lastSeen < this.longestWindowMs) break;
      this.trackers.delete(key);
    }
  }
}

function pick<T>(value: T | false | undefined, fallback: T): T | undefined {
  if (value === false) return undefined;
  return value ?? fallback;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new LodeError('config', `${name} ${value} is not an integer >= 1`);
  return value;
}

function positive(name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) throw new LodeError('config', `${name} ${value} is not a number > 0`);
}

function checkRules(rules: Rules): void {
  const shares = rules.invalidShares;
  if (shares !== undefined) {
    positiveInteger('invalidShares.minShares', shares.minShares);
    positive('invalidShares.windowSeconds', shares.windowSeconds);
    positive('invalidShares.banSeconds', shares.banSeconds);
    if (!(shares.maxInvalidRatio > 0 && shares.maxInvalidRatio <= 1)) {
      throw new LodeError('config', `invalidShares.maxInvalidRatio ${shares.maxInvalidRatio} is not in (0, 1]`);
    }
  }
  for (const name of ['malformedMessages', 'authFailures', 'connectionRate'] as const) {
    const rule = rules[name];
    if (rule === undefined) continue;
    positiveInteger(`${name}.max`, rule.max);
    positive(`${name}.windowSeconds`, rule.windowSeconds);
    positive(`${name}.banSeconds`, rule.banSeconds);
  }
}
