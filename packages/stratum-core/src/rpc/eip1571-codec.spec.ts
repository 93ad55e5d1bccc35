import { LodeError } from '../errors';
import { eip1571Codec } from './eip1571-codec';

/** A pretty-printed example from the spec as the one line it stands for (each line break and its indent -> one space). */
function oneLine(text: string): string {
  return text.trim().replace(/\n\s*/g, ' ');
}

/** The spec's examples, copied verbatim from specs/003_fafafa51dc5fa36a.txt, section named in each comment. */
const spec = {
  // "Responses": success with no data
  shortSuccess: '{"id": 2}',
  // "Responses": the "wrong response" example
  wrongResponse: '{"id": 2, "result": false}',
  // "Responses", Example 1
  badNonce: `{
  "id": 31,
  "error": {
      "code": 406,
      "message" : "Bad nonce"
  }
}`,
  // "Responses", Example 2
  stale: `{
  "id": 31,
  "error": {
      "code": 202,
      "message" : "Stale"
  }
}`,
  // "Responses", Example 3
  invalidWorker: `{
  "id": 1,
  "error": {
      "code": 215,
      "message" : "Invalid Worker Name"
  }
}`,
  // "Session Handling - Hello": the request
  hello: `{
  "id" : 0,
  "method": "mining.hello", 
  "params": 
  { 
    "agent": "ethminer-0.17",
    "host" : "somemininigpool.com",
    "port" : "4d2",
    "proto": "EthereumStratum/2.0.0"
  }
}`,
  // "Session Handling - Hello": the reply
  helloReply: `{
  "id" : 0,
  "result": 
  { 
    "proto" : "EthereumStratum/2.0.0",
    "encoding" : "gzip",
    "resume" : "1",
    "timeout" : "b4",
    "maxerrors" : "5",
    "node" : "Geth/v1.8.18-unstable-f08f596a/linux-amd64/go1.10.4"
  } 
}`,
  // "Session Handling - Hello": the first error sample
  helloBadProtocol: `{
  "id" : 0,
  "error": 
  { 
      "code": 400,
      "message" : "Bad protocol request"
  } 
}`,
  // "Session Handling - Hello": the second error sample
  helloForbidden: `{
  "id" : 0,
  "error": 
  { 
      "code": 403,
      "message" : "Forbidden - Banned IP address"
  } 
}`,
  // "Session Handling - Bye"
  bye: `{
  "method": "mining.bye"
}`,
  // "Session Handling - Session Subscription": resume
  subscribeResume: `{
  "id": 1,
  "method": "mining.subscribe", 
  "params": "s-12345"
}`,
  // "Session Handling - Session Subscription": new session
  subscribeNew: `{
  "id": 1,
  "method": "mining.subscribe"
}`,
  // "Session Handling - Response to Subscription"
  subscribeReply: `{
  "id": 1,
  "result": "s-12345"
}`,
  // "Session Handling - Noop"
  noop: `{
  "id": 50,
  "method": "mining.noop"
}`,
  // "Session Handling - Reconnect"
  reconnect: `{
  "method": "mining.reconnect",
  "params": {
      "host": "someotherhost.com",
      "port": "d80",
      "resume": "1"
  }
}`,
  // "Workers Authorization": the request
  authorize: `{
  "id": 2,
  "method": "mining.authorize", 
  "params": ["<account>[.<MachineName>]", "password"]
}`,
  // "Workers Authorization": the reply
  authorizeReply: `{
  "id": 2,
  "result": "w-123"
}`,
  // "Prepare for mining"
  set: `{
  "method": "mining.set", 
  "params": {
      "epoch" : "dc",
      "target" : "0112e0be826d694b2e62d01511f12a6061fbaec8bc02357593e70e52ba",
      "algo" : "ethash",
      "extranonce" : "af4c"
  }
}`,
  // "Jobs notification": a comma is missing after "6526d5" (facts/ethash.md §1.3)
  notify: `{
  "method": "mining.notify", 
  "params": [
      "bf0488aa",
      "6526d5"
      "645cf20198c2f3861e947d4f67e3ab63b7b2e24dcc9095bd9123e7b33371f6cc",
      "0"
  ]
}`,
  // "Solution submission": the request
  submit: `{
  "id": 31,
  "method": "mining.submit", 
  "params": [
      "bf0488aa",
      "68765fccd712",
      "w-123"
  ]
}`,
  // "Solution submission": the short success
  submitAccepted: '{"id": 31}',
  // "Solution submission": the failure
  jobNotFound: `{
  "id": 31,
  "error": {
      "code": 404,
      "message" : "Job not found"
  }
}`,
  // "Hashrate": client -> server
  hashrate: `{
  "id" : 16,
  "method": "mining.hashrate",
  "params": [
      "500000",
      "w-123"
      ]
}`,
  // "Hashrate": the acknowledgement
  hashrateAck: '{"id": 16 }',
  // "Hashrate": the reply with the pool's findings
  hashrateReply: `{
  "id": 16,
  "result" : [
      "4f0000",
      "w-123"
      ]
}`,
  // "Hashrate": too frequent
  hashrateCalm: `{
  "id": 16,
  "error" : {
    "code": 220,
    "message": "Enhance your calm. Too many requests"
  }
}`,
  // "Server communicates hashrate to client": a trailing comma after "rejected": 0
  hashrateNotification: `{
  "method": "mining.hashrate",
  "params": {
      "interval": 60,
      "hr": "500000",
      "accepted": [3692,20],
      "rejected": 0,
  }
}`,
};

function decode(text: string): ReturnType<typeof eip1571Codec.decode> {
  return eip1571Codec.decode(oneLine(text));
}

describe('eip1571Codec', () => {
  describe('when decoding the examples of the spec', () => {
    it('reads the hello request with id 0 as a request, params an object', () => {
      expect(decode(spec.hello)).toEqual({
        type: 'request',
        id: 0,
        method: 'mining.hello',
        params: { agent: 'ethminer-0.17', host: 'somemininigpool.com', port: '4d2', proto: 'EthereumStratum/2.0.0' },
      });
    });

    it('reads the hello reply as a success with a result object', () => {
      expect(decode(spec.helloReply)).toEqual({
        type: 'response',
        id: 0,
        result: {
          proto: 'EthereumStratum/2.0.0',
          encoding: 'gzip',
          resume: '1',
          timeout: 'b4',
          maxerrors: '5',
          node: 'Geth/v1.8.18-unstable-f08f596a/linux-amd64/go1.10.4',
        },
        error: null,
      });
    });

    it.each([
      ['helloBadProtocol', 0, 400, 'Bad protocol request'],
      ['helloForbidden', 0, 403, 'Forbidden - Banned IP address'],
      ['badNonce', 31, 406, 'Bad nonce'],
      ['stale', 31, 202, 'Stale'],
      ['invalidWorker', 1, 215, 'Invalid Worker Name'],
      ['jobNotFound', 31, 404, 'Job not found'],
      ['hashrateCalm', 16, 220, 'Enhance your calm. Too many requests'],
    ] as const)('reads %s as a failure response with id %d, code %d', (name, id, code, message) => {
      expect(decode(spec[name])).toEqual({ type: 'response', id, result: undefined, error: { code, message } });
    });

    it.each([
      ['shortSuccess', 2],
      ['submitAccepted', 31],
      ['hashrateAck', 16],
    ] as const)('reads %s as a success with no result (id %d)', (name, id) => {
      const msg = decode(spec[name]);
      expect(msg).toEqual({ type: 'response', id, result: undefined, error: null });
      expect(msg.type === 'response' && 'result' in msg && msg.result === undefined).toBe(true);
    });

    it.each([
      ['subscribeReply', 1, 's-12345'],
      ['authorizeReply', 2, 'w-123'],
      ['hashrateReply', 16, ['4f0000', 'w-123']],
    ] as const)('reads %s as a success with its result', (name, id, result) => {
      expect(decode(spec[name])).toEqual({ type: 'response', id, result, error: null });
    });

    it('refuses the "wrong response" {"id": 2, "result": false} (a JSON boolean), keeping id 2', () => {
      expect(decode(spec.wrongResponse)).toEqual({
        type: 'invalid',
        id: 2,
        code: 400,
        reason: expect.stringContaining('JSON boolean false') as unknown,
      });
    });

    it.each([
      ['subscribeResume', 1, 'mining.subscribe', 's-12345'],
      ['subscribeNew', 1, 'mining.subscribe', undefined],
      ['noop', 50, 'mining.noop', undefined],
      ['authorize', 2, 'mining.authorize', ['<account>[.<MachineName>]', 'password']],
      ['submit', 31, 'mining.submit', ['bf0488aa', '68765fccd712', 'w-123']],
      ['hashrate', 16, 'mining.hashrate', ['500000', 'w-123']],
    ] as const)('reads %s as request %d %s', (name, id, method, params) => {
      expect(decode(spec[name])).toEqual({ type: 'request', id, method, params });
    });

    it.each([
      ['bye', 'mining.bye', undefined],
      ['reconnect', 'mining.reconnect', { host: 'someotherhost.com', port: 'd80', resume: '1' }],
      [
        'set',
        'mining.set',
        { epoch: 'dc', target: '0112e0be826d694b2e62d01511f12a6061fbaec8bc02357593e70e52ba', algo: 'ethash', extranonce: 'af4c' },
      ],
    ] as const)('reads %s as a notification of %s', (name, method, params) => {
      expect(decode(spec[name])).toEqual({ type: 'notification', method, params });
    });

    it('refuses the notify example, which lacks a comma after "6526d5" (facts/ethash.md §1.3)', () => {
      expect(decode(spec.notify)).toEqual({
        type: 'invalid',
        id: null,
        code: 400,
        reason: expect.stringMatching(/^invalid JSON: /) as unknown,
      });
    });

    it('reads the notify example once the comma is restored', () => {
      expect(decode(spec.notify.replace('"6526d5"', '"6526d5",'))).toEqual({
        type: 'notification',
        method: 'mining.notify',
        params: ['bf0488aa', '6526d5', '645cf20198c2f3861e947d4f67e3ab63b7b2e24dcc9095bd9123e7b33371f6cc', '0'],
      });
    });

    it('refuses the server hashrate notification, which has a trailing comma after "rejected": 0', () => {
      expect(decode(spec.hashrateNotification)).toMatchObject({ type: 'invalid', id: null, code: 400 });
      expect(decode(spec.hashrateNotification.replace('"rejected": 0,', '"rejected": 0'))).toEqual({
        type: 'notification',
        method: 'mining.hashrate',
        params: { interval: 60, hr: '500000', accepted: [3692, 20], rejected: 0 },
      });
    });
  });

  describe('when a line breaks a rule', () => {
    it.each([
      ['a tab (0x09)', '{"id":5,\t"method":"mining.noop"}', 5, /character 0x09 at offset 8 is outside printable ASCII 32\.\.126/],
      ['a DEL (0x7f) in a string', '{"id":5,"method":"mining.noop\u007f"}', 5, /0x7f/],
      ['a raw é in a string', '{"id":5,"method":"mining.authorize","params":["é","x"]}', 5, /0xe9 at offset 47/],
      ['a CR at the end', '{"id":5,"method":"mining.noop"}\r', 5, /0x0d/],
      ['text that is not JSON', 'mining.noop', null, /^invalid JSON: /],
      ['non-ASCII text that is not JSON', 'é', null, /0xe9 at offset 0/],
      ['a JSON array', '[1,2]', null, /message is array, expected a JSON object/],
      ['a JSON string', '"mining.noop"', null, /message is string/],
      ['a jsonrpc member', '{"id":3,"jsonrpc":"2.0","method":"mining.noop"}', 3, /"jsonrpc" must be omitted/],
      ['id null', '{"id":null,"method":"mining.bye"}', null, /id is null, expected an integer 0\.\.65535/],
      ['a string id', '{"id":"7","method":"mining.noop"}', null, /id is "7"/],
      ['id 65536', '{"id":65536,"method":"mining.noop"}', null, /id is 65536/],
      ['id -1', '{"id":-1,"result":"x"}', null, /id is -1/],
      ['a fractional id', '{"id":1.5,"method":"mining.noop"}', null, /id is 1\.5/],
      ['a member name with a capital', '{"id":4,"method":"mining.hello","params":{"Agent":"x"}}', 4, /member name "Agent" in params/],
      ['a member name starting with a digit', '{"id":4,"result":{"a":{"1b":"x"}}}', 4, /member name "1b" in result\.a/],
      ['a member name with an underscore', '{"id":4,"method":"m","params":[{"job_id":"1"}]}', 4, /member name "job_id" in params\[0\]/],
      ['an empty member name', '{"id":4,"result":{"":"x"}}', 4, /member name ""/],
      ['a capital top-level member', '{"ID":4,"method":"mining.noop"}', null, /member name "ID" in the message/],
      ['"params": null', '{"id":9,"method":"mining.subscribe","params":null}', 9, /"params": null is not permitted/],
      ['numeric params', '{"id":9,"method":"mining.subscribe","params":12}', 9, /expected an array, an object or a string/],
      ['an array mixing strings and numbers', '{"id":8,"method":"mining.submit","params":["a",1]}', 8, /params mixes element types \(string at \[0\], number at \[1\]\)/],
      ['an array mixing a string and null', '{"id":8,"method":"m","params":["a",null]}', 8, /string at \[0\], null at \[1\]/],
      ['a nested mixed array', '{"id":8,"result":{"accepted":[[1,2],[3,"4"]]}}', 8, /array result\.accepted\[1\] mixes element types/],
      ['arrays mixing arrays and objects', '{"id":8,"result":[[1],{"a":1}]}', 8, /array result mixes element types \(array at \[0\], object at \[1\]\)/],
      ['JSON true in a top-level member', '{"id":7,"method":"mining.notify","params":["a","b","c","d"],"x":true}', 7, /x is the JSON boolean true/],
      ['JSON false deep in params', '{"method":"mining.set","params":{"a":[{"b":false}]}}', null, /params\.a\[0\]\.b is the JSON boolean false; EIP-1571 writes booleans as "0"\/"1"/],
      ['a message with neither method nor id', '{"result":"x"}', null, /neither "method" .* nor "id"/],
      ['an empty object', '{}', null, /neither "method"/],
      ['params without a method', '{"id":3,"params":["a"]}', 3, /"params" but no "method"/],
      ['method and result', '{"id":3,"method":"mining.noop","result":"1"}', 3, /"method" and "result"/],
      ['method and error', '{"id":3,"method":"mining.noop","error":{"code":400,"message":"x"}}', 3, /"method" and "error"/],
      ['an empty method', '{"id":3,"method":""}', 3, /method is "", expected a non-empty string/],
      ['a numeric method', '{"id":3,"method":7}', 3, /method is 7/],
      ['an error that is a string', '{"id":6,"error":"Job not found"}', 6, /error is "Job not found", expected \{"code"/],
      ['an error in the Stratum v1 triple', '{"id":6,"error":[21,"Job not found"]}', 6, /array error mixes element types \(number at \[0\], string at \[1\]\)/],
      ['an error null', '{"id":6,"error":null}', 6, /error is null/],
      ['an error without code', '{"id":6,"error":{"message":"x"}}', 6, /error code is undefined, expected an integer/],
      ['an error with a string code', '{"id":6,"error":{"code":"404","message":"x"}}', 6, /error code is "404"/],
      ['an error with a fractional code', '{"id":6,"error":{"code":40.4,"message":"x"}}', 6, /error code is 40\.4/],
      ['an error without message', '{"id":6,"error":{"code":404}}', 6, /error message is undefined, expected a string/],
      ['an error with another member', '{"id":6,"error":{"code":404,"message":"x","extra":"y"}}', 6, /error has member "extra"/],
    ])('refuses %s with code 400, keeping the id when it was readable', (_what, line, id, reason) => {
      const msg = eip1571Codec.decode(line);
      expect(msg).toEqual({ type: 'invalid', id, code: 400, reason: expect.stringMatching(reason) as unknown });
    });

    it('never throws, even on a line nested 8000 deep', () => {
      const deep = `{"id":1,"result":${'['.repeat(8000)}${']'.repeat(8000)}}`;
      expect(eip1571Codec.decode(deep)).toEqual({ type: 'response', id: 1, result: expect.any(Array) as unknown, error: null });
      const deepBad = `{"id":1,"result":${'['.repeat(8000)}true${']'.repeat(8000)}}`;
      expect(eip1571Codec.decode(deepBad)).toMatchObject({ type: 'invalid', id: 1, code: 400 });
    });
  });

  describe('when a line follows the rules', () => {
    it('reads "id": 0 with a method as a request, not a notification', () => {
      expect(eip1571Codec.decode('{"id":0,"method":"mining.noop"}')).toEqual({
        type: 'request',
        id: 0,
        method: 'mining.noop',
        params: undefined,
      });
    });

    it('reads ids 0 and 65535 on responses', () => {
      expect(eip1571Codec.decode('{"id":65535}')).toEqual({ type: 'response', id: 65535, result: undefined, error: null });
      expect(eip1571Codec.decode('{"id":0,"result":null}')).toEqual({ type: 'response', id: 0, result: null, error: null });
    });

    it('keeps a result that comes with an error (a failure response MAY carry one) and the error data', () => {
      expect(eip1571Codec.decode('{"id":3,"result":"x","error":{"code":202,"message":"Stale","data":{"job":"bf"}}}')).toEqual({
        type: 'response',
        id: 3,
        result: 'x',
        error: { code: 202, message: 'Stale', data: { job: 'bf' } },
      });
    });

    it('accepts empty arrays, arrays of objects and arrays of arrays of one type', () => {
      expect(eip1571Codec.decode('{"method":"m","params":[[],[1,2],[3]]}')).toEqual({
        type: 'notification',
        method: 'm',
        params: [[], [1, 2], [3]],
      });
      expect(eip1571Codec.decode('{"id":1,"method":"m","params":[{"a":"1"},{"b":2}]}')).toMatchObject({ type: 'request' });
    });

    it('reads an escaped non-ASCII character (the line itself is printable ASCII)', () => {
      expect(eip1571Codec.decode('{"id":2,"result":"caf\\u00e9"}')).toEqual({
        type: 'response',
        id: 2,
        result: 'café',
        error: null,
      });
    });
  });

  describe('when encoding', () => {
    it('writes requests, notifications and responses in the spec\'s shapes, without "jsonrpc"', () => {
      expect(
        eip1571Codec.encodeRequest(0, 'mining.hello', {
          agent: 'lode-miner/0.1.0',
          host: 'pool.example',
          port: '4d2',
          proto: 'EthereumStratum/2.0.0',
        }),
      ).toBe(
        '{"id":0,"method":"mining.hello","params":{"agent":"lode-miner/0.1.0","host":"pool.example","port":"4d2","proto":"EthereumStratum/2.0.0"}}',
      );
      expect(eip1571Codec.encodeRequest(1, 'mining.subscribe', undefined)).toBe('{"id":1,"method":"mining.subscribe"}');
      expect(eip1571Codec.encodeRequest(1, 'mining.subscribe', 's-12345')).toBe(
        '{"id":1,"method":"mining.subscribe","params":"s-12345"}',
      );
      expect(eip1571Codec.encodeNotification('mining.bye', undefined)).toBe('{"method":"mining.bye"}');
      expect(eip1571Codec.encodeNotification('mining.notify', ['bf0488aa', '6526d5', 'ab', '0'])).toBe(
        '{"method":"mining.notify","params":["bf0488aa","6526d5","ab","0"]}',
      );
      expect(eip1571Codec.encodeResult(31, undefined)).toBe('{"id":31}');
      expect(eip1571Codec.encodeResult(2, 'w-123')).toBe('{"id":2,"result":"w-123"}');
      expect(eip1571Codec.encodeResult(2, null)).toBe('{"id":2,"result":null}');
      expect(eip1571Codec.encodeError(31, { code: 406, message: 'Bad nonce' })).toBe(
        '{"id":31,"error":{"code":406,"message":"Bad nonce"}}',
      );
      expect(eip1571Codec.encodeError(31, { code: 202, message: 'Stale', data: 'bf0488aa' })).toBe(
        '{"id":31,"error":{"code":202,"message":"Stale","data":"bf0488aa"}}',
      );
    });

    it('escapes every character outside 32..126 as \\uXXXX', () => {
      const line = eip1571Codec.encodeResult(2, 'café \u007f 😀 tab\there');
      expect(line).toBe('{"id":2,"result":"caf\\u00e9 \\u007f \\ud83d\\ude00 tab\\there"}');
      expect(/^[\x20-\x7e]*$/.test(line)).toBe(true);
      expect(eip1571Codec.decode(line)).toEqual({ type: 'response', id: 2, result: 'café \u007f 😀 tab\there', error: null });
    });

    it.each([
      ['request id 65536', () => eip1571Codec.encodeRequest(65536, 'mining.noop', undefined), /id is 65536; EIP-1571 ids are integers 0\.\.65535/],
      ['request id -1', () => eip1571Codec.encodeRequest(-1, 'mining.noop', undefined), /id is -1/],
      ['a string request id', () => eip1571Codec.encodeRequest('7', 'mining.noop', undefined), /id is "7"/],
      ['a fractional request id', () => eip1571Codec.encodeRequest(1.5, 'mining.noop', undefined), /id is 1\.5/],
      ['a result with a null id', () => eip1571Codec.encodeResult(null, 'x'), /response id is null; .*always carry the request id/],
      ['an error with a null id', () => eip1571Codec.encodeError(null, { code: 400, message: 'x' }), /response id is null/],
      ['a result with id 70000', () => eip1571Codec.encodeResult(70000, 'x'), /id is 70000/],
      ['params null', () => eip1571Codec.encodeNotification('m', null as unknown as undefined), /"params": null is not permitted/],
      ['an empty method', () => eip1571Codec.encodeNotification('', undefined), /method is ""/],
      ['a JSON boolean result', () => eip1571Codec.encodeResult(2, true), /result is the JSON boolean true/],
      ['a mixed array', () => eip1571Codec.encodeNotification('m', ['a', 1]), /params mixes element types/],
      ['a member name with capitals', () => eip1571Codec.encodeRequest(3, 'm', { jobId: 'a' }), /member name "jobId"/],
      ['a fractional error code', () => eip1571Codec.encodeError(3, { code: 4.5, message: 'x' }), /error code is 4\.5/],
      ['a bigint', () => eip1571Codec.encodeResult(3, 5n), /cannot encode result for id 3/],
    ])('throws LodeError(protocol) for %s', (_what, encode, message) => {
      let thrown: unknown;
      try {
        encode();
      } catch (e) {
        thrown = e;
      }
      expect(LodeError.is(thrown, 'protocol')).toBe(true);
      expect((thrown as Error).message).toMatch(message);
    });
  });

  describe('when a message makes a round trip', () => {
    it.each([
      ['request', () => eip1571Codec.encodeRequest(65535, 'mining.submit', ['bf0488aa', '68765fccd712', 'w-123'])],
      ['request id 0 with object params', () => eip1571Codec.encodeRequest(0, 'mining.hello', { agent: 'a', port: '4d2' })],
      ['notification without params', () => eip1571Codec.encodeNotification('mining.bye', undefined)],
      ['notification with object params', () => eip1571Codec.encodeNotification('mining.set', { epoch: 'dc', extranonce: '' })],
      ['short success', () => eip1571Codec.encodeResult(31, undefined)],
      ['success with an array', () => eip1571Codec.encodeResult(16, ['4f0000', 'w-123'])],
      ['failure with data', () => eip1571Codec.encodeError(0, { code: 403, message: 'Forbidden', data: { ip: '10.0.0.1' } })],
    ])('decodes a %s back to what was encoded', (_what, encode) => {
      const line = encode();
      const msg = eip1571Codec.decode(line);
      expect(msg.type).not.toBe('invalid');
      const again =
        msg.type === 'request'
          ? eip1571Codec.encodeRequest(msg.id, msg.method, msg.params)
          : msg.type === 'notification'
            ? eip1571Codec.encodeNotification(msg.method, msg.params)
            : msg.type === 'response' && msg.error !== null
              ? eip1571Codec.encodeError(msg.id, msg.error)
              : msg.type === 'response'
                ? eip1571Codec.encodeResult(msg.id, msg.result)
                : '';
      expect(again).toBe(line);
    });

    it('decodes the spec examples and encodes them to the same messages, compacted', () => {
      for (const name of ['hello', 'helloReply', 'set', 'submit', 'badNonce', 'shortSuccess'] as const) {
        const text = oneLine(spec[name]);
        const msg = eip1571Codec.decode(text);
        const line =
          msg.type === 'request'
            ? eip1571Codec.encodeRequest(msg.id, msg.method, msg.params)
            : msg.type === 'notification'
              ? eip1571Codec.encodeNotification(msg.method, msg.params)
              : msg.type === 'response' && msg.error !== null
                ? eip1571Codec.encodeError(msg.id, msg.error)
                : msg.type === 'response'
                  ? eip1571Codec.encodeResult(msg.id, msg.result)
                  : 'invalid';
        expect(JSON.parse(line)).toEqual(JSON.parse(text));
      }
    });
  });
});
