import { LodeError } from '../errors';
import { parseProxyHeader } from './proxy-header';
import { proxyV1, proxyV2Ipv4, proxyV2Ipv6, proxyV2Local, proxyV2Raw } from './testing/proxy-headers.test-helper';

// Header examples after HAProxy proxy-protocol.txt §2.1 / §2.2; addresses from the documentation ranges.
const V1_TCP4 = 'PROXY TCP4 192.0.2.1 198.51.100.1 56324 443\r\n';
const V1_TCP6 = 'PROXY TCP6 2001:DB8:0::1 2001:db8::2 4124 3333\r\n';

function refusal(data: Buffer, mode: 'v1' | 'v2' | 'any' = 'any'): LodeError {
  try {
    parseProxyHeader(data, mode);
  } catch (e) {
    if (LodeError.is(e, 'protocol')) return e;
    throw e;
  }
  throw new Error('expected a LodeError(protocol)');
}

describe('parseProxyHeader', () => {
  describe('version 1', () => {
    it('reads a TCP4 header, its source and destination, and its length up to CRLF', () => {
      const data = Buffer.from(`${V1_TCP4}{"id":1}\n`, 'latin1');
      expect(parseProxyHeader(data, 'v1')).toEqual({
        version: 1,
        source: { address: '192.0.2.1', port: 56324 },
        destination: { address: '198.51.100.1', port: 443 },
        length: 45,
      });
    });

    it('reads a TCP6 header and gives the address in canonical form', () => {
      expect(parseProxyHeader(Buffer.from(V1_TCP6, 'latin1'), 'any')).toEqual({
        version: 1,
        source: { address: '2001:db8::1', port: 4124 },
        destination: { address: '2001:db8::2', port: 3333 },
        length: V1_TCP6.length,
      });
    });

    it('turns an IPv4-mapped TCP6 source into its IPv4 address', () => {
      const header = parseProxyHeader(proxyV1('::ffff:203.0.113.7', '::ffff:198.51.100.1', 1234, 3333), 'v1');
      expect(header?.source).toEqual({ address: '203.0.113.7', port: 1234 });
    });

    it('takes "PROXY UNKNOWN" with no address (the socket address stands)', () => {
      expect(parseProxyHeader(Buffer.from('PROXY UNKNOWN\r\n'), 'v1')).toEqual({ version: 1, source: undefined, destination: undefined, length: 15 });
    });

    it('asks for more bytes while the beginning is valid', () => {
      expect(parseProxyHeader(Buffer.from('PRO'), 'v1')).toBeUndefined();
      expect(parseProxyHeader(Buffer.from('PROXY TCP4 192.0.2.1 198.5'), 'any')).toBeUndefined();
    });

    it('refuses a header without CRLF within 107 bytes', () => {
      const data = Buffer.from(`PROXY TCP6 ${'a'.repeat(120)}`);
      expect(refusal(data).message).toBe('PROXY v1 header has no CRLF within 107 bytes');
    });

    it('refuses malformed fields, naming the header', () => {
      expect(refusal(Buffer.from('PROXY TCP4 192.0.2.1\r\n')).message).toBe(
        'PROXY v1 header "PROXY TCP4 192.0.2.1\\r\\n" is not "PROXY TCP4|TCP6 <src> <dst> <srcport> <dstport>"',
      );
      expect(refusal(Buffer.from('PROXY TCP4 2001:db8::1 192.0.2.2 1 2\r\n')).message).toBe("PROXY v1 header address '2001:db8::1' is not an IPv4 address");
      expect(refusal(Buffer.from('PROXY TCP4 192.0.2.1 192.0.2.2 70000 2\r\n')).message).toBe("PROXY v1 header port '70000' is not 0..65535");
    });

    it('refuses v1 on a port that takes v2 only', () => {
      expect(refusal(Buffer.from(V1_TCP4), 'v2').message).toBe('PROXY protocol v1 header on a port that takes v2 only');
    });
  });

  describe('version 2', () => {
    it('reads a PROXY TCP/IPv4 header (fam 0x11), skipping its TLVs', () => {
      // PP2_TYPE_ALPN (0x01), length 2, "h2"
      const tlv = Buffer.from('01000268' + '32', 'hex');
      const header = proxyV2Ipv4('203.0.113.7', '198.51.100.1', 54321, 3333, tlv);
      expect(header.subarray(12, 16).toString('hex')).toBe('21110011'); // ver/cmd, fam, length 12 + 5
      expect(parseProxyHeader(Buffer.concat([header, Buffer.from('{"id":1}\n')]), 'v2')).toEqual({
        version: 2,
        source: { address: '203.0.113.7', port: 54321 },
        destination: { address: '198.51.100.1', port: 3333 },
        length: 16 + 12 + 5,
      });
    });

    it('reads a PROXY TCP/IPv6 header (fam 0x21) with the address in canonical form', () => {
      const header = proxyV2Ipv6('20010db8000000000000000000000001', '20010db8000000000000000000000002', 0xd431, 3333);
      expect(parseProxyHeader(header, 'any')).toEqual({
        version: 2,
        source: { address: '2001:db8::1', port: 54321 },
        destination: { address: '2001:db8::2', port: 3333 },
        length: 16 + 36,
      });
    });

    it('turns an IPv4-mapped IPv6 source into its IPv4 address', () => {
      const header = proxyV2Ipv6('00000000000000000000ffffcb007107', '00000000000000000000ffffc6336401', 1, 2);
      expect(parseProxyHeader(header, 'v2')?.source).toEqual({ address: '203.0.113.7', port: 1 });
    });

    it('takes a LOCAL command (health check) with no address', () => {
      expect(parseProxyHeader(proxyV2Local(), 'v2')).toEqual({ version: 2, source: undefined, destination: undefined, length: 16 });
    });

    it('asks for more bytes until the signature, fixed part and length are in', () => {
      const header = proxyV2Ipv4('203.0.113.7', '198.51.100.1', 1, 2);
      for (const n of [1, 11, 15, 16, 27]) expect(parseProxyHeader(header.subarray(0, n), 'v2')).toBeUndefined();
      expect(parseProxyHeader(header.subarray(0, 28), 'v2')?.length).toBe(28);
    });

    it('refuses a broken signature, another version, another command, and UDP', () => {
      const header = proxyV2Ipv4('203.0.113.7', '198.51.100.1', 1, 2);
      const broken = Buffer.from(header);
      broken[7] = 0x52;
      expect(refusal(broken.subarray(0, 9)).message).toBe('not a PROXY protocol header: starts with 0x0d0a0d0a000d0a5255');
      expect(refusal(proxyV2Raw(0x11, 0x11, Buffer.alloc(12))).message).toBe('PROXY v2 header version is 1, expected 2');
      expect(refusal(proxyV2Raw(0x22, 0x11, Buffer.alloc(12))).message).toBe('PROXY v2 header command is 2, expected 0 (LOCAL) or 1 (PROXY)');
      expect(refusal(proxyV2Raw(0x21, 0x12, Buffer.alloc(12))).message).toBe('PROXY v2 header is for a UDP flow, not a TCP stream');
      expect(refusal(proxyV2Raw(0x21, 0x21, Buffer.alloc(12))).message).toMatch(/^PROXY v2 header rejected: given specified length is shorter/);
    });

    it('refuses v2 on a port that takes v1 only', () => {
      expect(refusal(proxyV2Local(), 'v1').message).toBe('PROXY protocol v2 header on a port that takes v1 only');
    });
  });

  it('refuses bytes that are no PROXY header at all', () => {
    expect(refusal(Buffer.from('{"id":1,"method":"mining.subscribe"}\n')).message).toBe('not a PROXY protocol header: starts with "{\\"id\\":1,"');
    expect(refusal(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00])).message).toBe('not a PROXY protocol header: starts with 0x1603010200');
    expect(refusal(Buffer.from('PROXX TCP4')).message).toBe('not a PROXY protocol header: starts with "PROXX TC"');
  });
});
