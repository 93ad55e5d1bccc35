import { classicCodec } from './classic-codec';
import { StratumErrorCodes } from './stratum-error-codes';

describe('classicCodec', () => {
  describe('when decoding a request', () => {
    it('reads a cpuminer subscribe (numeric id)', () => {
      // The subscribe cpuminer 2.5.1 sends (facts/bitcoin-stratum.md "Message flow real miners use").
      expect(classicCodec.decode('{"id": 1, "method": "mining.subscribe", "params": ["cpuminer/2.5.1"]}')).toEqual({
        type: 'request',
        id: 1,
        method: 'mining.subscribe',
        params: ['cpuminer/2.5.1'],
      });
    });

    it('keeps a string id as a string', () => {
      expect(classicCodec.decode('{"id":"a7","method":"mining.authorize","params":["w","x"]}')).toEqual({
        type: 'request',
        id: 'a7',
        method: 'mining.authorize',
        params: ['w', 'x'],
      });
    });

    it('reads missing params as []', () => {
      expect(classicCodec.decode('{"id":3,"method":"mining.extranonce.subscribe"}')).toEqual({
        type: 'request',
        id: 3,
        method: 'mining.extranonce.subscribe',
        params: [],
      });
    });
  });

  describe('when decoding a notification', () => {
    it('treats a null id as a notification', () => {
      expect(classicCodec.decode('{"id":null,"method":"mining.set_difficulty","params":[0.001]}')).toEqual({
        type: 'notification',
        method: 'mining.set_difficulty',
        params: [0.001],
      });
    });

    it('treats a missing id as a notification', () => {
      expect(classicCodec.decode('{"method":"client.reconnect","params":[]}')).toEqual({
        type: 'notification',
        method: 'client.reconnect',
        params: [],
      });
    });
  });

  describe('when decoding a response', () => {
    it('reads a success with "error": null', () => {
      expect(classicCodec.decode('{"id":2,"result":true,"error":null}')).toEqual({
        type: 'response',
        id: 2,
        result: true,
        error: null,
      });
    });

    it('reads a success without an error member, and a missing result as null', () => {
      expect(classicCodec.decode('{"id":2,"result":[1,2]}')).toEqual({ type: 'response', id: 2, result: [1, 2], error: null });
      expect(classicCodec.decode('{"id":2,"error":null}')).toEqual({ type: 'response', id: 2, result: null, error: null });
    });

    it('reads the [code, message, data] error triple', () => {
      expect(classicCodec.decode('{"id":4,"result":null,"error":[21,"Job not found",null]}')).toEqual({
        type: 'response',
        id: 4,
        result: null,
        error: { code: 21, message: 'Job not found' },
      });
      expect(classicCodec.decode('{"id":4,"result":null,"error":[23,"Low difficulty share",{"d":0.5}]}')).toEqual({
        type: 'response',
        id: 4,
        result: null,
        error: { code: 23, message: 'Low difficulty share', data: { d: 0.5 } },
      });
    });

    it('tolerates an error object and a bare string', () => {
      expect(classicCodec.decode('{"id":5,"result":null,"error":{"code":-1,"message":"bad"}}')).toEqual({
        type: 'response',
        id: 5,
        result: null,
        error: { code: -1, message: 'bad' },
      });
      expect(classicCodec.decode('{"id":5,"result":null,"error":"Unauthorized worker"}')).toEqual({
        type: 'response',
        id: 5,
        result: null,
        error: { code: 20, message: 'Unauthorized worker' },
      });
    });

    it('tolerates a numeric-string error code', () => {
      expect(classicCodec.decode('{"id":5,"result":null,"error":["22","Duplicate share",null]}')).toMatchObject({
        error: { code: 22, message: 'Duplicate share' },
      });
    });

    it('reads a response to a null id', () => {
      expect(classicCodec.decode('{"id":null,"result":null,"error":[-32700,"Parse error",null]}')).toEqual({
        type: 'response',
        id: null,
        result: null,
        error: { code: -32700, message: 'Parse error' },
      });
    });
  });

  describe('when decoding an invalid line', () => {
    it('reports non-JSON with id null and the parser message', () => {
      const msg = classicCodec.decode('{"id":1,');
      expect(msg.type).toBe('invalid');
      expect(msg).toMatchObject({ id: null });
      expect((msg as { reason: string }).reason).toMatch(/^invalid JSON: /);
    });

    it.each([
      ['[1,2]', 'message is an array, expected a JSON object'],
      ['null', 'message is null, expected a JSON object'],
      ['42', 'message is number 42, expected a JSON object'],
      ['"hi"', 'message is string "hi", expected a JSON object'],
    ])('refuses JSON that is not an object: %s', (line, reason) => {
      expect(classicCodec.decode(line)).toEqual({ type: 'invalid', id: null, reason });
    });

    it('refuses an id that is not a number, string or null', () => {
      expect(classicCodec.decode('{"id":{"x":1},"method":"m","params":[]}')).toEqual({
        type: 'invalid',
        id: null,
        reason: 'id is an object, expected a number, a string or null',
      });
      expect(classicCodec.decode('{"id":true,"method":"m","params":[]}')).toMatchObject({ type: 'invalid', id: null });
    });

    it('refuses params that are not an array, keeping the id', () => {
      expect(classicCodec.decode('{"id":9,"method":"mining.submit","params":{"nonce":"00"}}')).toEqual({
        type: 'invalid',
        id: 9,
        reason: 'params of mining.submit is an object, expected an array',
      });
      expect(classicCodec.decode('{"id":null,"method":"mining.notify","params":"x"}')).toEqual({
        type: 'invalid',
        id: null,
        reason: 'params of mining.notify is string "x", expected an array',
      });
    });

    it('refuses a method that is not a non-empty string, keeping the id', () => {
      expect(classicCodec.decode('{"id":6,"method":7,"params":[]}')).toEqual({
        type: 'invalid',
        id: 6,
        reason: 'method is number 7, expected a non-empty string',
      });
      expect(classicCodec.decode('{"id":6,"method":"","params":[]}')).toMatchObject({ type: 'invalid', id: 6 });
    });

    it('refuses an error that is not a triple, object, string or null', () => {
      expect(classicCodec.decode('{"id":8,"result":null,"error":5}')).toEqual({
        type: 'invalid',
        id: 8,
        reason: 'error is number 5, expected [code, message, data], an object or null',
      });
      expect(classicCodec.decode('{"id":8,"result":null,"error":["x","y"]}')).toEqual({
        type: 'invalid',
        id: 8,
        reason: 'error code is string "x", expected a number',
      });
    });

    it('refuses an object with neither method nor result/error', () => {
      expect(classicCodec.decode('{"id":10,"params":[]}')).toEqual({
        type: 'invalid',
        id: 10,
        reason: 'message has neither "method" nor "result"/"error"',
      });
    });
  });

  describe('when encoding', () => {
    it('writes requests and notifications with id, method, params in that order', () => {
      expect(classicCodec.encodeRequest(1, 'mining.subscribe', ['cpuminer/2.5.1'])).toBe(
        '{"id":1,"method":"mining.subscribe","params":["cpuminer/2.5.1"]}',
      );
      expect(classicCodec.encodeNotification('mining.set_difficulty', [0.5])).toBe(
        '{"id":null,"method":"mining.set_difficulty","params":[0.5]}',
      );
    });

    it('writes "error": null on success, also for an undefined result', () => {
      expect(classicCodec.encodeResult(2, true)).toBe('{"id":2,"result":true,"error":null}');
      // the boolean fast path writes exactly what JSON.stringify writes
      for (const id of [0, -0, 7, -3, 2 ** 53 - 1, 1.5, 'x"y']) {
        for (const result of [true, false]) {
          expect(classicCodec.encodeResult(id, result)).toBe(JSON.stringify({ id, result, error: null }));
        }
      }
      expect(classicCodec.encodeResult('x', undefined)).toBe('{"id":"x","result":null,"error":null}');
    });

    it('writes "result": null and the error triple on failure', () => {
      expect(classicCodec.encodeError(4, { code: 21, message: 'Job not found' })).toBe(
        '{"id":4,"result":null,"error":[21,"Job not found",null]}',
      );
      expect(classicCodec.encodeError(null, { code: StratumErrorCodes.PARSE_ERROR, message: 'Parse error' })).toBe(
        '{"id":null,"result":null,"error":[-32700,"Parse error",null]}',
      );
    });

    it('round-trips an error triple with data', () => {
      const line = classicCodec.encodeError(7, { code: 23, message: 'Low difficulty share', data: { share: 0.3 } });
      expect(classicCodec.decode(line)).toEqual({
        type: 'response',
        id: 7,
        result: null,
        error: { code: 23, message: 'Low difficulty share', data: { share: 0.3 } },
      });
    });

    it('round-trips each message kind', () => {
      expect(classicCodec.decode(classicCodec.encodeRequest('r1', 'm', [1, 'a']))).toEqual({
        type: 'request',
        id: 'r1',
        method: 'm',
        params: [1, 'a'],
      });
      expect(classicCodec.decode(classicCodec.encodeNotification('n', []))).toEqual({
        type: 'notification',
        method: 'n',
        params: [],
      });
      expect(classicCodec.decode(classicCodec.encodeResult(3, { a: 1 }))).toEqual({
        type: 'response',
        id: 3,
        result: { a: 1 },
        error: null,
      });
    });
  });

  describe('when encoding a notification with frozen params', () => {
    afterEach(() => jest.restoreAllMocks());

    /** `items`, frozen (as dialect-bitcoin's encodeNotifyParams returns a job's params). */
    function frozen(items: unknown[]): unknown[] {
      Object.freeze(items);
      return items;
    }

    const branches = Object.freeze(['aa'.repeat(32), 'bb'.repeat(32)]);
    const expected =
      '{"id":null,"method":"mining.notify","params":["1f",' +
      `["${'aa'.repeat(32)}","${'bb'.repeat(32)}"],"20000000",true,null,{"a":1}]}`;

    it('stringifies the same params once and gives the same line after', () => {
      const params = frozen(['1f', branches, '20000000', true, null, Object.freeze({ a: 1 })]);
      const stringify = jest.spyOn(JSON, 'stringify');
      expect(classicCodec.encodeNotification('mining.notify', params)).toBe(expected);
      expect(classicCodec.encodeNotification('mining.notify', params)).toBe(expected);
      expect(classicCodec.encodeNotification('mining.notify', params)).toBe(expected);
      expect(stringify).toHaveBeenCalledTimes(1);
    });

    it('gives the right line for another method with the same params', () => {
      const params = frozen(['1f', branches, '20000000', true, null, Object.freeze({ a: 1 })]);
      expect(classicCodec.encodeNotification('mining.notify', params)).toBe(expected);
      expect(classicCodec.encodeNotification('x.other', params)).toBe(expected.replace('"mining.notify"', '"x.other"'));
      expect(classicCodec.encodeNotification('mining.notify', params)).toBe(expected);
    });

    it('never keeps the line of unfrozen params, or of frozen params holding something that can change', () => {
      const open: unknown[] = ['1f', 1];
      expect(classicCodec.encodeNotification('mining.notify', open)).toBe('{"id":null,"method":"mining.notify","params":["1f",1]}');
      open[1] = 2;
      expect(classicCodec.encodeNotification('mining.notify', open)).toBe('{"id":null,"method":"mining.notify","params":["1f",2]}');

      const inner = ['aa'];
      const shallow = frozen(['1f', inner]);
      expect(classicCodec.encodeNotification('mining.notify', shallow)).toBe('{"id":null,"method":"mining.notify","params":["1f",["aa"]]}');
      inner.push('bb');
      expect(classicCodec.encodeNotification('mining.notify', shallow)).toBe('{"id":null,"method":"mining.notify","params":["1f",["aa","bb"]]}');
    });

    it('writes the extra members, uncached, when there are some', () => {
      const params = frozen(['1f']);
      expect(classicCodec.encodeNotification('mining.notify', params)).toBe('{"id":null,"method":"mining.notify","params":["1f"]}');
      expect(classicCodec.encodeNotification('mining.notify', params, { algo: 'etchash' })).toBe(
        '{"id":null,"method":"mining.notify","params":["1f"],"algo":"etchash"}',
      );
    });
  });

  describe('StratumErrorCodes', () => {
    it('uses the JSON-RPC 2.0 numbers', () => {
      expect(StratumErrorCodes).toEqual({
        PARSE_ERROR: -32700,
        INVALID_REQUEST: -32600,
        METHOD_NOT_FOUND: -32601,
        INVALID_PARAMS: -32602,
      });
    });
  });
});
