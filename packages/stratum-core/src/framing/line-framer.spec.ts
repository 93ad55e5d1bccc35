import { LodeError } from '../errors';
import { LineFramer } from './line-framer';

const b = (s: string): Buffer => Buffer.from(s, 'utf8');

describe('LineFramer', () => {
  describe('when a chunk holds several lines', () => {
    it('returns each line in order without its terminator', () => {
      const f = new LineFramer();
      expect(f.push(b('{"id":1}\n{"id":2}\n{"id":3}\n'))).toEqual(['{"id":1}', '{"id":2}', '{"id":3}']);
      expect(f.bufferedBytes).toBe(0);
    });
  });

  describe('when a line is split across chunks', () => {
    it('joins the parts and returns the line once its LF arrives', () => {
      const f = new LineFramer();
      expect(f.push(b('{"id":1,"me'))).toEqual([]);
      expect(f.push(b('thod":"mining.subscribe"'))).toEqual([]);
      expect(f.push(b(',"params":[]}\n{"id"'))).toEqual(['{"id":1,"method":"mining.subscribe","params":[]}']);
      expect(f.push(b(':2}\n'))).toEqual(['{"id":2}']);
    });

    it('handles a line delivered one byte at a time', () => {
      const f = new LineFramer();
      const text = '{"id":7,"method":"mining.authorize","params":["w","x"]}\n';
      const out: string[] = [];
      for (const byte of b(text)) out.push(...f.push(Buffer.from([byte])));
      expect(out).toEqual([text.trimEnd()]);
    });
  });

  describe('when lines end with CRLF', () => {
    it('strips the CR, also when CR and LF arrive in different chunks', () => {
      const f = new LineFramer();
      expect(f.push(b('a\r\nb\r'))).toEqual(['a']);
      expect(f.push(b('\nc\r\n'))).toEqual(['b', 'c']);
    });

    it('strips only one trailing CR', () => {
      expect(new LineFramer().push(b('a\r\r\n'))).toEqual(['a\r']);
    });
  });

  describe('when empty lines arrive', () => {
    it('skips them', () => {
      expect(new LineFramer().push(b('\n\r\na\n\n\nb\n'))).toEqual(['a', 'b']);
    });
  });

  describe('when a multi-byte UTF-8 character is split across chunks', () => {
    it('decodes it correctly', () => {
      // "€" is E2 82 AC, "😀" is F0 9F 98 80 (Unicode 15.0, UTF-8 encoding form).
      const bytes = Buffer.from([0x22, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0x22, 0x0a]);
      const f = new LineFramer();
      expect(f.push(bytes.subarray(0, 2))).toEqual([]);
      expect(f.push(bytes.subarray(2, 6))).toEqual([]);
      expect(f.push(bytes.subarray(6))).toEqual(['"€😀"']);
    });
  });

  describe('when a line is exactly at the cap', () => {
    it('accepts it, with LF or CRLF, in one chunk or split', () => {
      const f = new LineFramer({ maxLineBytes: 8 });
      expect(f.push(b('12345678\n'))).toEqual(['12345678']);
      expect(f.push(b('12345678\r\n'))).toEqual(['12345678']);
      expect(f.push(b('1234'))).toEqual([]);
      expect(f.push(b('5678'))).toEqual([]);
      expect(f.push(b('\r'))).toEqual([]);
      expect(f.push(b('\n'))).toEqual(['12345678']);
    });

    it('counts bytes, not characters', () => {
      const f = new LineFramer({ maxLineBytes: 4 });
      expect(f.push(b('€a\n'))).toEqual(['€a']);
      expect(() => f.push(b('€ab\n'))).toThrow('line over 4 bytes');
    });
  });

  describe('when a line is one byte over the cap', () => {
    it('throws LodeError(framing) for a complete line', () => {
      const f = new LineFramer({ maxLineBytes: 8 });
      let caught: unknown;
      try {
        f.push(b('123456789\n'));
      } catch (e) {
        caught = e;
      }
      expect(LodeError.is(caught, 'framing')).toBe(true);
      expect((caught as LodeError).message).toBe('line over 8 bytes');
    });

    it('throws as soon as the partial line passes the cap, before any LF', () => {
      const f = new LineFramer({ maxLineBytes: 8 });
      expect(f.push(b('12345678'))).toEqual([]);
      expect(() => f.push(b('9'))).toThrow('line over 8 bytes');
      expect(f.bufferedBytes).toBe(0);
    });

    it('uses 16384 bytes by default', () => {
      const f = new LineFramer();
      expect(f.push(b(`${'x'.repeat(16384)}\n`))).toHaveLength(1);
      expect(() => f.push(b('x'.repeat(16385)))).toThrow('line over 16384 bytes');
    });
  });

  describe('when reset', () => {
    it('drops the partial line', () => {
      const f = new LineFramer();
      f.push(b('half'));
      f.reset();
      expect(f.push(b('whole\n'))).toEqual(['whole']);
    });
  });

  describe('when constructed with a bad cap', () => {
    it('throws LodeError(config)', () => {
      expect(() => new LineFramer({ maxLineBytes: 0 })).toThrow('maxLineBytes is 0, expected a positive integer');
    });
  });
});
