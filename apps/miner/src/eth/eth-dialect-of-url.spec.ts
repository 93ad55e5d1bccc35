import { describeEthDialect, ethDialectOfUrl } from './eth-dialect-of-url';

describe('ethDialectOfUrl', () => {
  it.each([
    ['stratum+tcp://127.0.0.1:4444', 'plain'],
    ['stratum+ssl://pool.example.com:4444', 'plain'],
    ['stratum1+tcp://127.0.0.1:4444', 'ethproxy'],
    ['stratum1+tls://pool.example.com:4444', 'ethproxy'],
    ['stratum2+tcp://127.0.0.1:4444', 'es1'],
    ['STRATUM2+SSL://pool.example.com:4444', 'es1'],
    ['stratum3+tcp://127.0.0.1:4444', 'es2'],
    ['stratum3+tls://pool.example.com:4444', 'es2'],
  ])('reads %s as %s (ethminer scheme names, facts/ethash.md §1.5)', (url, dialect) => {
    expect(ethDialectOfUrl(url)).toBe(dialect);
  });

  it('refuses a URL that is not stratum', () => {
    expect(() => ethDialectOfUrl('http://127.0.0.1:8545')).toThrow('has scheme "http"');
  });

  it('names the dialect with its scheme', () => {
    expect(describeEthDialect('ethproxy')).toBe('EthProxy (stratum1)');
    expect(describeEthDialect('es1')).toBe('EthereumStratum/1.0.0 (stratum2)');
    expect(describeEthDialect('es2')).toBe('EthereumStratum/2.0.0 (stratum3)');
    expect(describeEthDialect('plain')).toBe('plain stratum (stratum)');
  });
});
