import { invalidLineShape, jsonRpcMalformedKind, reportJsonRpcErrorReply, reportMalformed, type MalformedMessage } from './malformed';
import type { LodeLogger } from '../logger';

/** a logger that keeps its error lines */
function errors(): { logger: LodeLogger; lines: unknown[][] } {
  const lines: unknown[][] = [];
  const none = (): void => undefined;
  const logger: LodeLogger = { debug: none, info: none, warn: none, error: (obj, msg) => lines.push([obj, msg]), child: () => logger };
  return { logger, lines };
}

describe('malformed messages (stratum-core)', () => {
  describe('invalidLineShape', () => {
    it('tells a line that is not JSON (JSON-RPC 2.0 §5.1 -32700)', () => {
      expect(invalidLineShape('{"id":1,"method":"mining.submit","params":[')).toEqual({ kind: 'not-json' });
      expect(invalidLineShape('GET / HTTP/1.1')).toEqual({ kind: 'not-json' });
    });

    it('tells a response to one of our requests (never answered) from a bad request', () => {
      expect(invalidLineShape('{"id":7,"result":true,"error":null}')).toEqual({ kind: 'response' });
      expect(invalidLineShape('{"id":7,"error":[21,"x",null]}')).toEqual({ kind: 'response' });
      expect(invalidLineShape('{"id":7}')).toEqual({ kind: 'not-request' });
    });

    it('names the method of a bad request when it is a string, uncut', () => {
      const long = 'm'.repeat(100);
      expect(invalidLineShape(`{"id":1,"method":"${long}","params":{}}`)).toEqual({ kind: 'not-request', method: long });
      expect(invalidLineShape('{"id":1,"method":7}')).toEqual({ kind: 'not-request' });
      expect(invalidLineShape('[1,2]')).toEqual({ kind: 'not-request' });
      expect(invalidLineShape('null')).toEqual({ kind: 'not-request' });
    });
  });

  it('maps the four JSON-RPC 2.0 §5.1 codes to kinds, and nothing else', () => {
    expect([-32700, -32600, -32601, -32602].map(jsonRpcMalformedKind)).toEqual(['not-json', 'not-request', 'unknown-method', 'bad-params']);
    // Stratum v1 share rejections (20..25) and the internal error (-32603) are not malformed messages
    expect([20, 21, 22, 23, 24, 25, -32603, 400].map(jsonRpcMalformedKind)).toEqual(Array(8).fill(undefined));
  });

  it('reports a request\'s error reply by its JSON-RPC code, and never a share rejection', () => {
    const seen: MalformedMessage[] = [];
    const { logger } = errors();
    const sink = { malformed: (m: MalformedMessage) => seen.push(m) };
    reportJsonRpcErrorReply(sink, logger, 'mining.submit', { code: -32602, message: 'mining.submit takes 5 or 6 params, got 2' });
    reportJsonRpcErrorReply(sink, logger, 'mining.submit', { code: 23, message: 'Low difficulty share' });
    reportJsonRpcErrorReply(sink, logger, 'mining.frob', { code: -32601, message: 'Method not found' });
    expect(seen).toEqual([
      { kind: 'bad-params', method: 'mining.submit', reason: 'mining.submit takes 5 or 6 params, got 2' },
      { kind: 'unknown-method', method: 'mining.frob', reason: 'Method not found' },
    ]);
  });

  describe('reportMalformed', () => {
    it('gives the sink one message, its method cut to 64 characters', () => {
      const seen: MalformedMessage[] = [];
      const { logger } = errors();
      reportMalformed({ malformed: (m) => seen.push(m) }, logger, 'unknown-method', 'Method not found', 'x'.repeat(70));
      reportMalformed({ malformed: (m) => seen.push(m) }, logger, 'not-json', 'Parse error');
      expect(seen).toEqual([
        { kind: 'unknown-method', method: 'x'.repeat(64), reason: 'Method not found' },
        { kind: 'not-json', reason: 'Parse error' },
      ]);
      expect('method' in (seen[1] as object)).toBe(false);
    });

    it('logs a throwing sink at error and returns', () => {
      const { logger, lines } = errors();
      const boom = new Error('observer broke');
      const throwing = {
        malformed: (): void => {
          throw boom;
        },
      };
      expect(() => reportMalformed(throwing, logger, 'bad-params', 'wrong params', 'mining.submit')).not.toThrow();
      expect(lines).toEqual([[{ err: boom, kind: 'bad-params' }, 'malformed handler threw']]);
    });

    it('does nothing for a sink without malformed', () => {
      const { logger, lines } = errors();
      expect(() => reportMalformed({}, logger, 'overlong', 'line over 16384 bytes')).not.toThrow();
      expect(lines).toEqual([]);
    });
  });
});
