import { gunzipSync, gzipSync } from 'node:zlib';
import { LodeError } from '../errors';
import type { RpcCodec, RpcMessage } from './messages';

/** Options of {@link gzipLineCodec}. */
export interface GzipLineCodecOptions {
  /**
   * the largest inflated line accepted, in bytes; a line that inflates beyond
   * it is `invalid` (this bounds a compression bomb). Default 16384, the
   * line cap of `LineFramer`.
   */
  maxDecodedBytes?: number;
}

/** EIP-1571 4xx: "server could not process the request due to syntactic problems". */
const BAD_REQUEST = 400;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function show(line: string): string {
  const text = JSON.stringify(line);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/**
 * Wraps a line codec in EIP-1571's `"encoding": "gzip"`.
 *
 * Framing (EIP-1571 says "gzip compress all next messages" and leaves the
 * wire form open; this is Lode's documented choice): each message is the
 * inner codec's line, UTF-8 encoded, gzip-compressed (RFC 1952, node:zlib
 * defaults), then base64-encoded (RFC 4648 §4, standard alphabet, with `=`
 * padding), and sent as one LF-terminated line. Raw gzip bytes may contain
 * 0x0a, which would break the spec's rule that LF ends a message; base64
 * keeps the LF delimiter unambiguous and every line printable ASCII, as the
 * "Conventions" require.
 *
 * Decoding never throws. A line that is not strict base64 (standard
 * alphabet, padded, canonical), is not a gzip stream, or inflates beyond
 * `maxDecodedBytes` decodes to `{type:'invalid', id: null, code: 400,
 * reason: 'expected a base64 gzip line (encoding gzip), got ...'}`; a
 * plain-text line after the switch is refused this way, and the spec then
 * has the server close the connection. Otherwise the inner codec decodes the
 * inflated text, and its verdict (including its own `invalid`) stands.
 *
 * Switch to it with `RpcPeer.setCodec(gzipLineCodec(eip1571Codec))` right
 * after the `mining.hello` reply that carries `"encoding": "gzip"`.
 *
 * @param inner the codec of the inflated lines (normally `eip1571Codec`)
 * @returns a codec named `<inner.name>+gzip`; its encoders throw what the inner ones throw
 * @throws LodeError('config') when `maxDecodedBytes` is not a positive integer
 * @see specs/003_fafafa51dc5fa36a.txt "Session Handling - Hello" (encoding), "Conventions";
 *   facts/ethash.md §1.3 (the author's repository later dropped gzip)
 */
export function gzipLineCodec<P>(inner: RpcCodec<P>, options: GzipLineCodecOptions = {}): RpcCodec<P> {
  const maxDecodedBytes = options.maxDecodedBytes ?? 16_384;
  if (!Number.isSafeInteger(maxDecodedBytes) || maxDecodedBytes <= 0) {
    throw new LodeError('config', `maxDecodedBytes is ${maxDecodedBytes}, expected a positive integer`);
  }
  const invalid = (why: string, line: string): RpcMessage<P> => ({
    type: 'invalid',
    id: null,
    code: BAD_REQUEST,
    reason: `expected a base64 gzip line (encoding gzip), got ${show(line)}: ${why}`,
  });
  const wrap = (line: string): string => gzipSync(Buffer.from(line, 'utf8')).toString('base64');

  return {
    name: `${inner.name}+gzip`,
    decode(line) {
      if (line === '' || !BASE64.test(line)) return invalid('not base64', line);
      const bytes = Buffer.from(line, 'base64');
      // Refuse non-zero padding bits: one message has one spelling.
      if (bytes.toString('base64') !== line) return invalid('not canonical base64', line);
      if (bytes.length < 18 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return invalid('not a gzip stream', line);
      let text: string;
      try {
        text = gunzipSync(bytes, { maxOutputLength: maxDecodedBytes }).toString('utf8');
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        return invalid(
          err.code === 'ERR_BUFFER_TOO_LARGE'
            ? `inflates beyond ${maxDecodedBytes} bytes`
            : `gzip stream is corrupt (${err.message})`,
          line,
        );
      }
      return inner.decode(text);
    },
    encodeRequest: (id, method, params) => wrap(inner.encodeRequest(id, method, params)),
    encodeNotification: (method, params, extra) => wrap(inner.encodeNotification(method, params, extra)),
    encodeResult: (id, result, extra) => wrap(inner.encodeResult(id, result, extra)),
    encodeError: (id, error) => wrap(inner.encodeError(id, error)),
  };
}
