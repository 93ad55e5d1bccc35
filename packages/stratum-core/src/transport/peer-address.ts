import { isIPv4, isIPv6 } from 'node:net';

/** A peer's address: the socket's, or the source named by a PROXY protocol header. */
export interface PeerAddress {
  /** IPv4 or IPv6 text form, e.g. "203.0.113.7" or "2001:db8::1" (see {@link canonicalAddress}) */
  address: string;
  port: number;
}

/** "::ffff:203.0.113.7" (how a dual-stack socket reports an IPv4 peer) */
const MAPPED_V4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;
/** the same, once WHATWG URL has serialised it as hex groups: "::ffff:cb00:7107" */
const MAPPED_V4_HEX = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/;

/**
 * The form of an address that bans, limits and logs key on, so one host is
 * one key whatever the socket or a PROXY header reported: an IPv4-mapped
 * IPv6 address becomes its IPv4 address ("::ffff:203.0.113.7" ->
 * "203.0.113.7"), an IPv6 address its lower-case compressed form (RFC 5952,
 * as WHATWG URL serialises it: "2001:DB8:0::1" -> "2001:db8::1"); anything
 * else is returned unchanged. Same rule as pool-engine's `normalizeAddress`.
 */
export function canonicalAddress(address: string): string {
  const mapped = MAPPED_V4.exec(address);
  if (mapped !== null && isIPv4(mapped[1] as string)) return mapped[1] as string;
  if (!isIPv6(address)) return address;
  const canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const hex = MAPPED_V4_HEX.exec(canonical);
  if (hex === null) return canonical;
  const n = (parseInt(hex[1] as string, 16) << 16) | parseInt(hex[2] as string, 16);
  return [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff].join('.');
}

/**
 * Text form of a 16-byte IPv6 address (as a PROXY v2 header carries it),
 * canonical per {@link canonicalAddress}.
 */
export function ipv6FromBytes(bytes: ArrayLike<number>): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  return canonicalAddress(groups.join(':'));
}
