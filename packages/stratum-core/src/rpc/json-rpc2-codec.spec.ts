import { LodeError } from '../errors';
import { classicCodec, jsonRpc2Codec } from './classic-codec';

/** EthProxy lines from sammy007/open-ethereum-pool docs/STRATUM.md, as quoted in facts/ethash.md §1.1. */
describe('jsonRpc2Codec (EthProxy framing)', () => {
  const codec = jsonRpc2Codec({ pushMethod: 'eth_pushWork' });

  it('decodes eth_submitLogin and keeps the top-level worker as extra', () => {
    expect(
      codec.decode('{"id":1,"jsonrpc":"2.0","method":"eth_submitLogin","params":["0xb85150eb365e7df0941f0cf08235f987ba91506a"],"worker":"rig-1"}'),
    ).toEqual({
      type: 'request',
      id: 1,
      method: 'eth_submitLogin',
      params: ['0xb85150eb365e7df0941f0cf08235f987ba91506a'],
      extra: { worker: 'rig-1' },
    });
  });

  it('decodes eth_getWork without params as an empty array and without extra', () => {
    expect(codec.decode('{"id":1,"jsonrpc":"2.0","method":"eth_getWork"}')).toEqual({ type: 'request', id: 1, method: 'eth_getWork', params: [] });
  });

  it('decodes a pushed work result with id 0, or without id, as a notification of the push method', () => {
    const work = ['0x' + 'aa'.repeat(32), '0x' + 'bb'.repeat(32), '0x' + 'cc'.repeat(32)];
    expect(codec.decode(JSON.stringify({ id: 0, jsonrpc: '2.0', result: work }))).toEqual({ type: 'notification', method: 'eth_pushWork', params: work });
    expect(codec.decode(JSON.stringify({ jsonrpc: '2.0', result: work, algo: 'etchash' }))).toEqual({
      type: 'notification',
      method: 'eth_pushWork',
      params: work,
      extra: { algo: 'etchash' },
    });
  });

  it('keeps a result with id 1 a response, and reads object errors', () => {
    expect(codec.decode('{"id":1,"jsonrpc":"2.0","result":true}')).toEqual({ type: 'response', id: 1, result: true, error: null });
    expect(codec.decode('{"id":10,"result":null,"error":{"code":0,"message":"Work not ready"}}')).toEqual({
      type: 'response',
      id: 10,
      result: null,
      error: { code: 0, message: 'Work not ready' },
    });
  });

  it('writes jsonrpc 2.0 results, object errors and the id-0 push with extra members after its own', () => {
    expect(codec.encodeResult(1, true)).toBe('{"id":1,"jsonrpc":"2.0","result":true}');
    expect(codec.encodeError(1, { code: 23, message: 'Invalid share' })).toBe(
      '{"id":1,"jsonrpc":"2.0","result":null,"error":{"code":23,"message":"Invalid share"}}',
    );
    expect(codec.encodeNotification('eth_pushWork', ['0x1'], { algo: 'etchash' })).toBe('{"id":0,"jsonrpc":"2.0","result":["0x1"],"algo":"etchash"}');
    expect(codec.encodeRequest(2, 'eth_submitHashrate', ['0x1', '0x2'])).toBe(
      '{"id":2,"jsonrpc":"2.0","method":"eth_submitHashrate","params":["0x1","0x2"]}',
    );
  });

  it('refuses an extra member that would overwrite one of its own', () => {
    expect(() => codec.encodeResult(1, true, { id: 5 })).toThrow(LodeError);
    expect(() => classicCodec.encodeNotification('mining.notify', [], { params: 1 })).toThrow(LodeError);
  });
});

describe('classicCodec extra members', () => {
  it('writes the ETChash algo hint after a notify and reads it back', () => {
    const line = classicCodec.encodeNotification('mining.notify', ['bf0488aa'], { algo: 'etchash' });
    expect(line).toBe('{"id":null,"method":"mining.notify","params":["bf0488aa"],"algo":"etchash"}');
    expect(classicCodec.decode(line)).toEqual({ type: 'notification', method: 'mining.notify', params: ['bf0488aa'], extra: { algo: 'etchash' } });
  });

  it('does not read id-0 results as pushes', () => {
    expect(classicCodec.decode('{"id":0,"result":["0x1"]}').type).toBe('response');
  });
});
