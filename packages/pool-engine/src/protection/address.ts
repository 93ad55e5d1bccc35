import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { LodeError } from '@lode/stratum-core';

/** "::ffff:203.0.113.7" (how a dual-stack socket reports an IPv4 peer) */
const MAPPED_V4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** Most IPv6 forms normalizeAddress remembers; past it the memory starts over. */
const MAX_NORMALIZED = 4096;
/** normalizeAddress's answers for addresses with a ':' (the only ones it changes) */
const normalized = new Map<string, string>();

/**
 * The form of an address used as a ban and tracking key, so that one host is
 * one key whatever the socket reported: an IPv4-mapped IPv6 address becomes
 * its IPv4 address ("::ffff:203.0.113.7" -> "203.0.113.7"), an IPv6 address
 * its canonical lower-case compressed form ("2001:DB8:0::1" -> "2001:db8::1"
 * per RFC 5952, as WHATWG URL serialises it); anything else is returned
 * unchanged (e.g. "unknown" when a socket had no address).
 *
 * Runs for every share (BanManager.recordShare): text without a ':' (every
 * IPv4 address) is returned at once, no regular expression run, and the
 * answers for the others are remembered (at most 4096, then forgotten all
 * at once).
 */
export function normalizeAddress(address: string): string {
  // Both forms it rewrites contain ':' (IPv6, "::ffff:a.b.c.d"); nothing else changes.
  if (address.indexOf(':') === -1) return address;
  let answer = normalized.get(address);
  if (answer === undefined) {
    answer = normalizeColonAddress(address);
    if (normalized.size >= MAX_NORMALIZED) normalized.clear();
    normalized.set(address, answer);
  }
  return answer;
}

/** normalizeAddress for text with a ':', uncached. */
function normalizeColonAddress(address: string): string {
  const mapped = MAPPED_V4.exec(address);
  if (mapped !== null && isIPv4(mapped[1] as string)) return mapped[1] as string;
  if (isIPv6(address)) {
    const host = new URL(`http://[${address}]/`).hostname;
    const canonical = host.slice(1, -1);
    const inner = MAPPED_V4.exec(canonical);
    return inner !== null ? (inner[1] as string) : canonical;
  }
  return address;
}

/** Options of an {@link AddressList}. */
export interface AddressListOptions {
  /**
   * Answers of `has` remembered at once, by the address as asked (the
   * oldest forgotten first beyond it); 0 remembers none. Integer >= 0,
   * default 65536.
   */
  maxCached?: number;
}

/**
 * A set of addresses and CIDR ranges, IPv4 and IPv6 ("192.0.2.7",
 * "10.0.0.0/8", "::1", "2001:db8::/32"), matched with node's `net.BlockList`.
 * IPv4-mapped IPv6 peers ("::ffff:10.1.2.3") match IPv4 entries.
 *
 * The entries never change, so the answer for an address is remembered
 * (bounded by `maxCached`): `BanManager` asks it for every share, and a
 * `BlockList.check` (a new SocketAddress and an IPv6 regular expression) costs
 * several µs (docs/performance.md (b)).
 */
export class AddressList {
  private readonly list = new BlockList();
  private readonly cache = new Map<string, boolean>();
  /**
   * The cached addresses in the order they came, a ring once full (`oldest`
   * is the next forgotten): asking the Map for its first key instead walks
   * every entry deleted before it, slower with every address forgotten.
   */
  private readonly order: string[] = [];
  private oldest = 0;
  private readonly maxCached: number;
  /** the entries as given */
  readonly entries: readonly string[];

  /**
   * @param entries addresses or CIDR ranges
   * @throws LodeError('config') naming the first entry that is neither an IP address nor a CIDR range with a valid prefix length, or when maxCached is not an integer >= 0
   */
  constructor(entries: readonly string[], options: AddressListOptions = {}) {
    const maxCached = options.maxCached ?? 65536;
    if (!Number.isSafeInteger(maxCached) || maxCached < 0) {
      throw new LodeError('config', `maxCached ${maxCached} is not an integer >= 0`);
    }
    this.maxCached = maxCached;
    this.entries = [...entries];
    for (const entry of entries) {
      const [base, prefix, extra] = entry.trim().split('/');
      const family = isIPv4(base ?? '') ? 'ipv4' : isIPv6(base ?? '') ? 'ipv6' : undefined;
      const maxPrefix = family === 'ipv4' ? 32 : 128;
      if (family === undefined || extra !== undefined) {
        throw new LodeError('config', `allow-list entry '${entry}' is not an IP address or CIDR range (e.g. 10.0.0.0/8, 2001:db8::/32)`);
      }
      if (prefix === undefined) {
        this.list.addAddress(base as string, family);
        continue;
      }
      const bits = Number(prefix);
      if (!/^\d{1,3}$/.test(prefix) || bits > maxPrefix) {
        throw new LodeError('config', `allow-list entry '${entry}' has prefix length '${prefix}', expected 0..${maxPrefix}`);
      }
      this.list.addSubnet(base as string, bits, family);
    }
  }

  /** Answers remembered now (at most `maxCached`; for tests and metrics). */
  get cachedAnswers(): number {
    return this.cache.size;
  }

  /** True when `address` (IPv4, IPv6 or IPv4-mapped IPv6) is one of the entries or inside one of the ranges; false for non-IP text. */
  has(address: string): boolean {
    const known = this.cache.get(address);
    if (known !== undefined) return known;
    const answer = this.check(address);
    if (this.maxCached > 0) {
      if (this.order.length < this.maxCached) {
        this.order.push(address);
      } else {
        this.cache.delete(this.order[this.oldest] as string);
        this.order[this.oldest] = address;
        this.oldest = this.oldest + 1 === this.maxCached ? 0 : this.oldest + 1;
      }
      this.cache.set(address, answer);
    }
    return answer;
  }

  private check(address: string): boolean {
    const a = normalizeAddress(address);
    if (isIPv4(a)) return this.list.check(a, 'ipv4');
    if (isIPv6(a)) return this.list.check(a, 'ipv6');
    return false;
  }
}
