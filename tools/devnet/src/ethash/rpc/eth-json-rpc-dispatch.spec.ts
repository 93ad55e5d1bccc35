import type { EthashDevnetNode } from '../node/ethash-devnet-node';
import { dispatchEthJsonRpc } from './eth-json-rpc-dispatch';
import { ethRpcError } from './eth-rpc-errors';
import type { EthRpcMethod } from './eth-rpc-method';

const echo: EthRpcMethod = { name: 'test_echo', params: ['a', 'b'], required: 1, handle: (params) => params };
const fails: EthRpcMethod = { name: 'test_fail', params: [], handle: () => { throw ethRpcError(-32000, 'no mining work available yet'); } };
const crashes: EthRpcMethod = { name: 'test_crash', params: [], handle: () => { throw new Error('boom'); } };
const methods = new Map([echo, fails, crashes].map((m) => [m.name, m]));
const context = { node: {} as EthashDevnetNode };
const call = (body: unknown) => dispatchEthJsonRpc(body, methods, context);

describe('dispatchEthJsonRpc', () => {
  describe('when the request is a valid call', () => {
    it('answers jsonrpc, id and result', async () => {
      expect(await call({ jsonrpc: '2.0', id: 7, method: 'test_echo', params: [1, 2] })).toEqual({ jsonrpc: '2.0', id: 7, result: [1, 2] });
      expect(await call({ jsonrpc: '2.0', id: 'x', method: 'test_echo', params: [1] })).toEqual({ jsonrpc: '2.0', id: 'x', result: [1] });
    });
  });

  describe('when the method or its params are wrong', () => {
    it('answers geth\'s codes and messages', async () => {
      expect(await call({ jsonrpc: '2.0', id: 1, method: 'eth_foo' })).toEqual({
        jsonrpc: '2.0',
        id: 1,
        error: { code: -32601, message: 'the method eth_foo does not exist/is not available' },
      });
      expect(await call({ jsonrpc: '2.0', id: 1, method: 'test_echo', params: [1, 2, 3] })).toMatchObject({
        error: { code: -32602, message: 'too many arguments, want at most 2' },
      });
      expect(await call({ jsonrpc: '2.0', id: 1, method: 'test_echo', params: [] })).toMatchObject({
        error: { code: -32602, message: 'missing value for required argument 0' },
      });
      expect(await call({ jsonrpc: '2.0', id: 1, method: 'test_echo', params: { a: 1 } })).toMatchObject({
        error: { code: -32602, message: 'non-array args' },
      });
      expect(await call({ jsonrpc: '2.0', id: 1, method: 'test_fail' })).toMatchObject({ error: { code: -32000, message: 'no mining work available yet' } });
      expect(await call({ jsonrpc: '2.0', id: 1, method: 'test_crash' })).toMatchObject({ error: { code: -32000, message: 'boom' } });
    });
  });

  describe('when the request is not JSON-RPC 2.0', () => {
    it('answers -32600 "invalid request"', async () => {
      const invalid = { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'invalid request' } };
      expect(await call(5)).toEqual(invalid);
      expect(await call({ id: 1, method: 'test_echo', params: [1] })).toEqual({ ...invalid, id: 1 });
      expect(await call({ jsonrpc: '2.0', id: { a: 1 }, method: 'test_echo', params: [1] })).toEqual(invalid);
      expect(await call({ jsonrpc: '2.0', id: 1, method: 5 })).toEqual({ ...invalid, id: 1 });
    });
  });

  describe('when the request is a notification or a batch', () => {
    it('answers nothing for a notification and an array for a batch, notifications left out', async () => {
      expect(await call({ jsonrpc: '2.0', method: 'test_echo', params: [1] })).toBeUndefined();
      expect(
        await call([
          { jsonrpc: '2.0', id: 1, method: 'test_echo', params: [1] },
          { jsonrpc: '2.0', method: 'test_echo', params: [2] },
          'junk',
        ]),
      ).toEqual([
        { jsonrpc: '2.0', id: 1, result: [1] },
        { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'invalid request' } },
      ]);
      expect(await call([])).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'empty batch' } });
      expect(await call([{ jsonrpc: '2.0', method: 'test_echo', params: [2] }])).toBeUndefined();
    });
  });
});
