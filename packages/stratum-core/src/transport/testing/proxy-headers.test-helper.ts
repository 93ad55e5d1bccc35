import { isIPv4 } from 'node:net';

/**
 * PROXY protocol headers built by hand from HAProxy's proxy-protocol.txt
 * (§2.1 v1, §2.2 v2), independently of the parser under test.
 */

/** §2.2: the 12-byte v2 signature. */
const V2_SIGNATURE = Buffer.from('0d0a0d0a000d0a515549540a', 'hex');

/** A v1 header: "PROXY TCP4|TCP6 src dst srcport dstport\r\n". */
export function proxyV1(src: string, dst: string, srcPort: number, dstPort: number): Buffer {
  const proto = isIPv4(src) ? 'TCP4' : 'TCP6';
  return Buffer.from(`PROXY ${proto} ${src} ${dst} ${srcPort} ${dstPort}\r\n`, 'latin1');
}

function v2(verCmd: number, famProto: number, body: Buffer): Buffer {
  const len = Buffer.alloc(2);
  len.writeUInt16BE(body.length);
  return Buffer.concat([V2_SIGNATURE, Buffer.from([verCmd, famProto]), len, body]);
}

function port(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

/**
 * A v2 PROXY command over TCP/IPv4 (ver/cmd 0x21, fam 0x11): src addr, dst addr (4 bytes each),
 * src port, dst port (big-endian), then `tlvs` as given.
 */
export function proxyV2Ipv4(src: string, dst: string, srcPort: number, dstPort: number, tlvs: Buffer = Buffer.alloc(0)): Buffer {
  const octets = (a: string): Buffer => Buffer.from(a.split('.').map(Number));
  return v2(0x21, 0x11, Buffer.concat([octets(src), octets(dst), port(srcPort), port(dstPort), tlvs]));
}

/** A v2 PROXY command over TCP/IPv6 (ver/cmd 0x21, fam 0x21); addresses as 32 hex digits (16 bytes). */
export function proxyV2Ipv6(srcHex: string, dstHex: string, srcPort: number, dstPort: number): Buffer {
  return v2(0x21, 0x21, Buffer.concat([Buffer.from(srcHex, 'hex'), Buffer.from(dstHex, 'hex'), port(srcPort), port(dstPort)]));
}

/** A v2 LOCAL command (ver/cmd 0x20, fam 0x00 UNSPEC, length 0): a proxy's own health check. */
export function proxyV2Local(): Buffer {
  return v2(0x20, 0x00, Buffer.alloc(0));
}

/** A v2 header with any version/command and family/protocol bytes, for malformed cases. */
export function proxyV2Raw(verCmd: number, famProto: number, body: Buffer): Buffer {
  return v2(verCmd, famProto, body);
}
