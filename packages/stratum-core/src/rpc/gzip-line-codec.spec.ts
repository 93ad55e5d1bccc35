import { gunzipSync, gzipSync } from 'node:zlib';
import { LodeError } from '../errors';
import { eip1571Codec } from './eip1571-codec';
import { gzipLineCodec } from './gzip-line-codec';

const codec = gzipLineCodec(eip1571Codec);

function b64gzip(text: string | Buffer): string {
  return gzipSync(typeof text === 'string' ? Buffer.from(text, 'utf8') : text).toString('base64');
}

describe('gzipLineCodec', () => {
  describe('when encoding', () => {
    it('writes base64(gzip(inner line)), byte for byte what node:zlib gives for the same line', () => {
      // The submit of specs/003 "Solution submission", as the inner codec writes it.
      const plain = '{"id":31,"method":"mining.submit","params":["bf0488aa","68765fccd712","w-123"]}';
      expect(eip1571Codec.encodeRequest(31, 'mining.submit', ['bf0488aa', '68765fccd712', 'w-123'])).toBe(plain);
      const line = codec.encodeRequest(31, 'mining.submit', ['bf0488aa', '68765fccd712', 'w-123']);
      expect(line).toBe(gzipSync(Buffer.from(plain)).toString('base64'));
      expect(gunzipSync(Buffer.from(line, 'base64')).toString()).toBe(plain);
    });

    it('writes only printable ASCII, never LF, even when the gzip bytes contain 0x0a', () => {
      // Find a short line whose raw gzip holds a 0x0a byte, to show why base64 is used.
      let id = 0;
      while (!gzipSync(Buffer.from(eip1571Codec.encodeResult(id, 'x'))).includes(0x0a)) id++;
      const line = codec.encodeResult(id, 'x');
      expect(/^[A-Za-z0-9+/=]+$/.test(line)).toBe(true);
      expect(codec.decode(line)).toEqual({ type: 'response', id, result: 'x', error: null });
    });

    it('is named after the inner codec and passes its encoding errors through', () => {
      expect(codec.name).toBe('ethereumstratum-2.0.0+gzip');
      expect(() => codec.encodeResult(null, 'x')).toThrow(/response id is null/);
    });
  });

  describe('when a message makes a round trip', () => {
    it.each([
      ['request', () => codec.encodeRequest(0, 'mining.hello', { agent: 'lode', proto: 'EthereumStratum/2.0.0' })],
      ['notification', () => codec.encodeNotification('mining.notify', ['bf0488aa', '6526d5', 'ab', '1'])],
      ['short success', () => codec.encodeResult(31, undefined)],
      ['failure', () => codec.encodeError(31, { code: 406, message: 'Bad nonce' })],
    ])('decodes a %s to what the inner codec reads from the plain line', (_what, encode) => {
      const line = encode();
      const plain = gunzipSync(Buffer.from(line, 'base64')).toString();
      expect(codec.decode(line)).toEqual(eip1571Codec.decode(plain));
      expect(codec.decode(line).type).not.toBe('invalid');
    });
  });

  describe('when a line is not a base64 gzip line', () => {
    it.each([
      ['plain JSON after the switch', '{"id":1,"method":"mining.subscribe"}', 'not base64'],
      ['an empty line', '', 'not base64'],
      ['base64 without padding', 'H4sIAA', 'not base64'],
      ['URL-safe base64', 'H4sIAAAAAAAAA-uuVo3OVo3', 'not base64'],
      ['base64 with a space', 'H4sI AAAA', 'not base64'],
      ['non-canonical padding bits', 'QR==', 'not canonical base64'],
      ['base64 of plain text', Buffer.from('{"id":1}').toString('base64'), 'not a gzip stream'],
      ['a truncated gzip stream', b64gzip('{"id":31,"method":"mining.noop"}').slice(0, 32), 'gzip stream is corrupt'],
    ])('refuses %s with code 400 and id null', (_what, line, why) => {
      expect(codec.decode(line)).toEqual({
        type: 'invalid',
        id: null,
        code: 400,
        reason: expect.stringMatching(new RegExp(`^expected a base64 gzip line \\(encoding gzip\\), got .*: ${why}`)) as unknown,
      });
    });

    it('refuses a line that inflates beyond maxDecodedBytes (default 16384), and bounds a compression bomb', () => {
      const atCap = `{"id":1,"result":"${'a'.repeat(16_384 - 20)}"}`;
      expect(Buffer.byteLength(atCap)).toBe(16_384);
      expect(codec.decode(b64gzip(atCap))).toMatchObject({ type: 'response', id: 1 });
      const overCap = `{"id":1,"result":"${'a'.repeat(16_384 - 19)}"}`;
      expect(codec.decode(b64gzip(overCap))).toMatchObject({
        type: 'invalid',
        id: null,
        code: 400,
        reason: expect.stringMatching(/inflates beyond 16384 bytes$/) as unknown,
      });
      // 16 MiB of zeros compress to ~16 KiB; only the first 16 KiB may be inflated.
      expect(codec.decode(b64gzip(Buffer.alloc(16 << 20)))).toMatchObject({ type: 'invalid', code: 400 });
    });

    it('honours a smaller maxDecodedBytes', () => {
      const small = gzipLineCodec(eip1571Codec, { maxDecodedBytes: 8 });
      expect(small.decode(b64gzip('{"id":1}'))).toEqual({ type: 'response', id: 1, result: undefined, error: null });
      expect(small.decode(b64gzip('{"id":10}'))).toMatchObject({ type: 'invalid', code: 400 });
    });

    it('passes the inner codec\'s verdict through for a well-formed gzip line', () => {
      expect(codec.decode(b64gzip('{"id":7,"jsonrpc":"2.0","method":"mining.noop"}'))).toEqual({
        type: 'invalid',
        id: 7,
        code: 400,
        reason: 'member "jsonrpc" must be omitted in EthereumStratum/2.0.0',
      });
    });
  });

  describe('when the options are wrong', () => {
    it.each([[0], [-1], [1.5], [Number.NaN]])('throws LodeError(config) for maxDecodedBytes %p', (maxDecodedBytes) => {
      let thrown: unknown;
      try {
        gzipLineCodec(eip1571Codec, { maxDecodedBytes });
      } catch (e) {
        thrown = e;
      }
      expect(LodeError.is(thrown, 'config')).toBe(true);
    });
  });
});
