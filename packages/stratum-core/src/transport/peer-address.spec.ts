import { canonicalAddress, ipv6FromBytes } from './peer-address';

describe('canonicalAddress', () => {
  it('turns an IPv4-mapped IPv6 address into its IPv4 address, in dotted or hex form', () => {
    expect(canonicalAddress('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(canonicalAddress('::FFFF:203.0.113.7')).toBe('203.0.113.7');
    expect(canonicalAddress('::ffff:cb00:7107')).toBe('203.0.113.7');
  });

  it('writes IPv6 in RFC 5952 form and leaves IPv4 and non-addresses alone', () => {
    expect(canonicalAddress('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(canonicalAddress('::1')).toBe('::1');
    expect(canonicalAddress('192.0.2.1')).toBe('192.0.2.1');
    expect(canonicalAddress('unknown')).toBe('unknown');
  });
});

describe('ipv6FromBytes', () => {
  it('reads 16 bytes as an address', () => {
    expect(ipv6FromBytes(Buffer.from('20010db8000000000000000000000001', 'hex'))).toBe('2001:db8::1');
    expect(ipv6FromBytes(Buffer.from('00000000000000000000ffffc0000201', 'hex'))).toBe('192.0.2.1');
  });
});
