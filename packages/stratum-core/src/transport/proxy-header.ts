import { isIPv4, isIPv6 } from 'node:net';
import {
  Command,
  INETProtocol,
  IPv4ProxyAddress,
  IPv6ProxyAddress,
  TransportProtocol,
  V1ProxyProtocol,
  V2ProxyProtocol,
} from 'proxy-protocol-js';
import { LodeError } from '../errors';
import { canonicalAddress, ipv6FromBytes, type PeerAddress } from './peer-address';

/**
 * The PROXY protocol header a port requires before the first byte of each
 * connection (HAProxy's proxy-protocol.txt: version 1, text, "PROXY TCP4 ...\r\n";
 * version 2, binary, the 12-byte signature `0d0a0d0a000d0a515549540a`).
 * 'any' takes either. A connection that does not start with a valid header
 * of an allowed version is dropped (logged, counted on `refused$`).
 */
export type ProxyProtocolMode = 'v1' | 'v2' | 'any';

/** A parsed PROXY protocol header. */
export interface ProxyHeader {
  version: 1 | 2;
  /**
   * the client's address and port; undefined when the header names none and
   * the socket's own address stands (v2 LOCAL, e.g. a load balancer's health
   * check; v1 UNKNOWN; v2 families UNSPEC and UNIX)
   */
  source: PeerAddress | undefined;
  /** the address and port the client connected to, at the proxy; undefined as for `source` */
  destination: PeerAddress | undefined;
  /** bytes of the header (v1: up to and including CRLF; v2: 16 + its length field); what follows is the connection's */
  length: number;
}

/** Longest v1 header, "PROXY" to CRLF included (proxy-protocol.txt §2.1). */
export const PROXY_V1_MAX_BYTES = 107;
/** The 12 bytes a v2 header starts with (proxy-protocol.txt §2.2). */
export const PROXY_V2_SIGNATURE: Buffer = Buffer.from('0d0a0d0a000d0a515549540a', 'hex');
/** Signature, version/command, family/protocol and the 2-byte length (proxy-protocol.txt §2.2). */
const V2_FIXED_BYTES = 16;
/** Longest v2 header: the fixed part and the largest length field. */
export const PROXY_V2_MAX_BYTES = V2_FIXED_BYTES + 0xffff;
const V1_PREFIX = Buffer.from('PROXY ', 'latin1');
const CRLF = Buffer.from('\r\n', 'latin1');

/**
 * Parses the PROXY protocol header at the start of `data`, the bytes a
 * connection sent so far.
 *
 * The version is told by the first byte ('P' for v1, 0x0D for v2). v1 is the
 * text line "PROXY TCP4|TCP6 <src> <dst> <srcport> <dstport>\r\n" of at most
 * 107 bytes, or "PROXY UNKNOWN ...\r\n" (socket address stands); v2 is 16
 * bytes then `length` bytes of addresses and TLVs (TLVs are skipped); v2
 * LOCAL (health checks) names no client. Parsing is done by
 * `proxy-protocol-js`; addresses are checked and made canonical here
 * ("::ffff:1.2.3.4" -> "1.2.3.4").
 *
 * @param data the first bytes received, possibly more than the header
 * @param mode the versions the port takes
 * @returns the header, or undefined when `data` is a valid beginning and more bytes are needed
 * @throws LodeError('protocol') naming the rule broken: not a PROXY header, a version the
 *   port does not take, no CRLF within 107 bytes, malformed fields, a v2 UDP header
 * @see HAProxy proxy-protocol.txt §2.1 (v1), §2.2 (v2)
 */
export function parseProxyHeader(data: Buffer, mode: ProxyProtocolMode): ProxyHeader | undefined {
  if (data.length === 0) return undefined;
  const first = data[0];
  if (first === V1_PREFIX[0]) {
    if (mode === 'v2') throw new LodeError('protocol', 'PROXY protocol v1 header on a port that takes v2 only');
    return parseV1(data);
  }
  if (first === PROXY_V2_SIGNATURE[0]) {
    if (mode === 'v1') throw new LodeError('protocol', 'PROXY protocol v2 header on a port that takes v1 only');
    return parseV2(data);
  }
  throw notProxy(data.subarray(0, 8));
}

/** "not a PROXY protocol header: starts with ..." showing the bytes as text when printable ASCII, else as hex. */
function notProxy(start: Buffer): LodeError {
  const printable = start.every((b) => b >= 0x20 && b < 0x7f);
  return new LodeError('protocol', `not a PROXY protocol header: starts with ${printable ? JSON.stringify(start.toString('latin1')) : `0x${start.toString('hex')}`}`);
}

function parseV1(data: Buffer): ProxyHeader | undefined {
  const prefixBytes = Math.min(data.length, V1_PREFIX.length);
  if (!data.subarray(0, prefixBytes).equals(V1_PREFIX.subarray(0, prefixBytes))) {
    throw notProxy(data.subarray(0, 8));
  }
  const end = data.subarray(0, PROXY_V1_MAX_BYTES).indexOf(CRLF);
  if (end < 0) {
    if (data.length >= PROXY_V1_MAX_BYTES) throw new LodeError('protocol', `PROXY v1 header has no CRLF within ${PROXY_V1_MAX_BYTES} bytes`);
    return undefined;
  }
  const length = end + CRLF.length;
  const text = data.toString('latin1', 0, length);
  // "PROXY UNKNOWN" may be followed by anything up to CRLF, which the receiver ignores (§2.1).
  if (text.startsWith('PROXY UNKNOWN')) return { version: 1, source: undefined, destination: undefined, length };
  let parsed: V1ProxyProtocol;
  try {
    parsed = V1ProxyProtocol.parse(text);
  } catch {
    throw new LodeError('protocol', `PROXY v1 header ${JSON.stringify(text)} is not "PROXY TCP4|TCP6 <src> <dst> <srcport> <dstport>"`);
  }
  const isFamily = parsed.inetProtocol === INETProtocol.TCP4 ? isIPv4 : isIPv6;
  for (const peer of [parsed.source, parsed.destination]) {
    if (!isFamily(peer.ipAddress)) {
      throw new LodeError('protocol', `PROXY v1 header address '${peer.ipAddress}' is not an ${parsed.inetProtocol === INETProtocol.TCP4 ? 'IPv4' : 'IPv6'} address`);
    }
    if (!Number.isInteger(peer.port) || peer.port > 0xffff) throw new LodeError('protocol', `PROXY v1 header port '${peer.port}' is not 0..65535`);
  }
  return {
    version: 1,
    source: { address: canonicalAddress(parsed.source.ipAddress), port: parsed.source.port },
    destination: { address: canonicalAddress(parsed.destination.ipAddress), port: parsed.destination.port },
    length,
  };
}

function parseV2(data: Buffer): ProxyHeader | undefined {
  const signatureBytes = Math.min(data.length, PROXY_V2_SIGNATURE.length);
  if (!data.subarray(0, signatureBytes).equals(PROXY_V2_SIGNATURE.subarray(0, signatureBytes))) {
    throw notProxy(data.subarray(0, 12));
  }
  if (data.length < V2_FIXED_BYTES) return undefined;
  const versionCommand = data[12] as number;
  if (versionCommand >> 4 !== 2) throw new LodeError('protocol', `PROXY v2 header version is ${versionCommand >> 4}, expected 2`);
  if ((versionCommand & 0x0f) > Command.PROXY) throw new LodeError('protocol', `PROXY v2 header command is ${versionCommand & 0x0f}, expected 0 (LOCAL) or 1 (PROXY)`);
  const length = V2_FIXED_BYTES + data.readUInt16BE(14);
  if (data.length < length) return undefined;
  let parsed: V2ProxyProtocol;
  try {
    parsed = V2ProxyProtocol.parse(new Uint8Array(data.buffer, data.byteOffset, length));
  } catch (e) {
    throw new LodeError('protocol', `PROXY v2 header rejected: ${(e as { message?: string }).message ?? String(e)}`);
  }
  const local = { version: 2 as const, source: undefined, destination: undefined, length };
  // LOCAL: the proxy's own connection (health check); the socket's address stands (§2.2).
  if (parsed.command === Command.LOCAL) return local;
  if (parsed.transportProtocol === TransportProtocol.DGRAM) throw new LodeError('protocol', 'PROXY v2 header is for a UDP flow, not a TCP stream');
  const address = parsed.proxyAddress;
  if (address instanceof IPv4ProxyAddress) {
    return {
      ...local,
      source: { address: address.sourceAddress.address.join('.'), port: address.sourcePort },
      destination: { address: address.destinationAddress.address.join('.'), port: address.destinationPort },
    };
  }
  if (address instanceof IPv6ProxyAddress) {
    return {
      ...local,
      source: { address: ipv6FromBytes(address.sourceAddress.address), port: address.sourcePort },
      destination: { address: ipv6FromBytes(address.destinationAddress.address), port: address.destinationPort },
    };
  }
  // UNSPEC or UNIX: no IP address to report; the socket's own stands (§2.2 allows accepting them).
  return local;
}
