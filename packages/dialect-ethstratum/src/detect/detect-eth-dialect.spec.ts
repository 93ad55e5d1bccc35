import { classicCodec, eip1571Codec } from '@lode/stratum-core';
import { ETHPROXY_PUSH_METHOD } from '../classic/classic-contract';
import { ETH_DIALECTS, detectEthDialect } from './detect-eth-dialect';
import { ethCodecFor } from './eth-codec-for';

/** First lines as real miners send them (facts/ethash.md §1.1 - §1.4). */
const FIRST_LINES = {
  // EIP-1571 "Session Handling - Hello" (ethminer)
  es2: '{"id":0,"method":"mining.hello","params":{"agent":"ethminer-0.17","host":"somemininigpool.com","port":"4d2","proto":"EthereumStratum/2.0.0"}}',
  // nicehash/Specifications EthereumStratum_NiceHash_v1.0.0.txt
  es1: '{"id":1,"method":"mining.subscribe","params":["EthereumMiner/1.0.0","EthereumStratum/1.0.0"]}',
  // sammy007/open-ethereum-pool docs/STRATUM.md
  ethproxy: '{"id":1,"jsonrpc":"2.0","method":"eth_submitLogin","params":["0xb85150eb365e7df0941f0cf08235f987ba91506a"]}',
  // ethminer mode 0: jsonrpc 2.0, empty params
  plain: '{"id":1,"jsonrpc":"2.0","method":"mining.subscribe","params":[]}',
};

describe('detectEthDialect', () => {
  describe('when the first method is one a dialect starts with', () => {
    it.each(Object.entries(FIRST_LINES))('tells %s from its first line', (dialect, line) => {
      const method = (JSON.parse(line) as { method: string }).method;
      expect(detectEthDialect(line)).toEqual({ dialect, method });
    });

    it('sends the other eth_* methods to EthProxy, whose session refuses them before login', () => {
      expect(detectEthDialect('{"id":1,"jsonrpc":"2.0","method":"eth_getWork"}')).toEqual({ dialect: 'ethproxy', method: 'eth_getWork' });
      expect(detectEthDialect('{"id":9,"method":"eth_submitHashrate","params":["0x1","0x2"]}')).toEqual({ dialect: 'ethproxy', method: 'eth_submitHashrate' });
    });

    it('calls a mining.subscribe plain unless params[1] is exactly "EthereumStratum/1.0.0"', () => {
      const plain = { dialect: 'plain', method: 'mining.subscribe' };
      expect(detectEthDialect('{"id":1,"method":"mining.subscribe","params":["EthereumMiner/1.0.0","EthereumStratum/2.0.0"]}')).toEqual(plain);
      expect(detectEthDialect('{"id":1,"method":"mining.subscribe"}')).toEqual(plain);
      expect(detectEthDialect('{"id":1,"method":"mining.subscribe","params":["EthereumStratum/1.0.0"]}')).toEqual(plain);
      expect(detectEthDialect('{"id":1,"method":"mining.subscribe","params":"s-12345"}')).toEqual(plain);
    });

    it('sends a mining.hello with bad params to ES2 all the same, so that its session answers 400', () => {
      // WildRig's array hello (andru-kun/wildrig-multi #256)
      expect(detectEthDialect('{"id":0,"method":"mining.hello","params":["wildrig","EthereumStratum/2.0.0"]}')).toEqual({ dialect: 'es2', method: 'mining.hello' });
      expect(detectEthDialect('{"id":0,"method":"mining.hello"}')).toEqual({ dialect: 'es2', method: 'mining.hello' });
    });
  });

  describe('when the first line is garbage', () => {
    it('refuses a line that is not JSON, with id null', () => {
      expect(detectEthDialect('GET / HTTP/1.1')).toEqual({ error: expect.stringMatching(/^invalid JSON: /), kind: 'not-json', id: null });
    });

    it('refuses a JSON array, and a JSON value that is not an object', () => {
      expect(detectEthDialect('[{"id":1,"method":"mining.subscribe"}]')).toEqual({ error: 'the message is a JSON array, expected a JSON object', kind: 'not-request', id: null });
      expect(detectEthDialect('42')).toEqual({ error: 'the message is number 42, expected a JSON object', kind: 'not-request', id: null });
      expect(detectEthDialect('null')).toEqual({ error: 'the message is null, expected a JSON object', kind: 'not-request', id: null });
    });

    it('refuses a message without a method, keeping its id', () => {
      expect(detectEthDialect('{"id":1}')).toEqual({ error: 'the first message has no method', kind: 'not-request', id: 1 });
      expect(detectEthDialect('{"id":"a","method":7}')).toEqual({ error: 'method is number 7, expected a non-empty string', kind: 'not-request', id: 'a' });
    });

    it('refuses a first method no dialect starts with, keeping its id', () => {
      expect(detectEthDialect('{"id":5,"method":"mining.authorize","params":["x","y"]}')).toEqual({
        error: 'no Ethereum stratum dialect starts with "mining.authorize"',
        kind: 'unknown-method',
        id: 5,
      });
      expect(detectEthDialect('{"id":{"x":1},"method":"login"}')).toEqual({ error: 'no Ethereum stratum dialect starts with "login"', kind: 'unknown-method', id: null });
    });
  });
});

describe('ethCodecFor', () => {
  it('gives ES2 the EIP-1571 codec with request ids 0..65535', () => {
    expect(ethCodecFor('es2')).toEqual({ codec: eip1571Codec, peerOptions: { firstRequestId: 0, maxRequestId: 65535 } });
  });

  it('gives ES1 and plain stratum the classic codec', () => {
    expect(ethCodecFor('es1').codec).toBe(classicCodec);
    expect(ethCodecFor('plain').codec).toBe(classicCodec);
  });

  it('gives EthProxy JSON-RPC 2.0 whose push is {"id":0,"jsonrpc":"2.0","result":[...]} (facts/ethash.md §1.1)', () => {
    const { codec } = ethCodecFor('ethproxy');
    expect(codec.encodeNotification(ETHPROXY_PUSH_METHOD, ['0xa', '0xb', '0xc'])).toBe('{"id":0,"jsonrpc":"2.0","result":["0xa","0xb","0xc"]}');
    expect(codec.encodeResult(1, true)).toBe('{"id":1,"jsonrpc":"2.0","result":true}');
  });

  it('covers every dialect of ETH_DIALECTS', () => {
    expect(ETH_DIALECTS).toEqual(['es2', 'es1', 'ethproxy', 'plain']);
    for (const dialect of ETH_DIALECTS) expect(ethCodecFor(dialect).codec).toBeDefined();
  });
});
