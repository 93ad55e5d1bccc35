import { LodeError } from '../errors';
import { parseStratumUrl } from './parse-stratum-url';

function configError(url: string): LodeError {
  try {
    parseStratumUrl(url);
  } catch (e) {
    if (LodeError.is(e, 'config')) return e;
    throw e;
  }
  throw new Error(`${url} parsed`);
}

describe('parseStratumUrl', () => {
  describe('when given a plain TCP URL', () => {
    it('returns scheme, host, port and tls false', () => {
      expect(parseStratumUrl('stratum+tcp://pool.example.com:3333')).toEqual({
        scheme: 'stratum+tcp',
        host: 'pool.example.com',
        port: 3333,
        tls: false,
      });
    });

    it.each(['stratum1+tcp', 'stratum2+tcp', 'stratum3+tcp', 'stratum2+ssl'])('accepts ethminer\'s %s (facts/ethash.md §1.5)', (scheme) => {
      const url = parseStratumUrl(`${scheme}://pool.example.com:4444`);
      expect(url).toMatchObject({ scheme, host: 'pool.example.com', port: 4444, tls: scheme.endsWith('+ssl') });
    });

    it('ignores a trailing slash and the scheme case', () => {
      expect(parseStratumUrl('Stratum+TCP://127.0.0.1:3333/')).toEqual({
        scheme: 'stratum+tcp',
        host: '127.0.0.1',
        port: 3333,
        tls: false,
      });
    });
  });

  describe('when given a TLS URL', () => {
    it.each(['stratum+ssl', 'stratum+tls'])('sets tls for %s', (scheme) => {
      expect(parseStratumUrl(`${scheme}://pool.example.com:4333`)).toEqual({
        scheme,
        host: 'pool.example.com',
        port: 4333,
        tls: true,
      });
    });
  });

  describe('when the host is IPv6', () => {
    it('returns the address without brackets', () => {
      expect(parseStratumUrl('stratum+tcp://[::1]:3333')).toMatchObject({ host: '::1', port: 3333 });
    });
  });

  describe('when credentials are present', () => {
    it('exposes them percent-decoded', () => {
      expect(parseStratumUrl('stratum+tcp://bc1qexample.rig1:p%40ss@pool.example.com:3333')).toEqual({
        scheme: 'stratum+tcp',
        host: 'pool.example.com',
        port: 3333,
        tls: false,
        username: 'bc1qexample.rig1',
        password: 'p@ss',
      });
      expect(parseStratumUrl('stratum+tcp://worker@pool.example.com:3333')).toMatchObject({ username: 'worker' });
      expect(parseStratumUrl('stratum+tcp://worker@pool.example.com:3333')).not.toHaveProperty('password');
    });
  });

  describe('when the URL is not a stratum URL', () => {
    it.each([
      ['pool.example.com:3333', 'has no scheme'],
      ['http://pool.example.com:3333', 'has scheme "http"'],
      ['stratum4+tcp://pool.example.com:3333', 'has scheme "stratum4+tcp"'],
      ['stratum+tcp://pool.example.com', 'has no port'],
      ['stratum+tcp://pool.example.com:0', 'has port 0, expected 1-65535'],
      ['stratum+tcp://pool.example.com:99999', 'is not a valid URL'],
      ['stratum+tcp://:3333', 'is not a valid URL'],
      ['stratum+tcp://pool.example.com:3333/path', 'has a path, query or fragment'],
      ['stratum+tcp://pool.example.com:3333?x=1', 'has a path, query or fragment'],
    ])('refuses %s', (url, rule) => {
      expect(configError(url).message).toContain(rule);
    });

    it('keeps the password out of the message', () => {
      const message = configError('http://w:secret@pool.example.com:3333').message;
      expect(message).not.toContain('secret');
      expect(message).toContain('http://***@pool.example.com:3333');
    });
  });
});
