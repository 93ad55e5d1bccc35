import type { Socket } from 'node:net';
import { LodeError } from '../errors';
import { parseProxyHeader, type ProxyHeader, type ProxyProtocolMode } from './proxy-header';

/**
 * Reads the PROXY protocol header from the first bytes of a raw socket.
 *
 * On success the socket is left paused with every byte after the header
 * pushed back (`unshift`), so whoever takes it next (a line framer after
 * `resume()`, or a `tls.TLSSocket` wrapping it) sees the stream as the client
 * sent it. The bytes held while waiting are bounded by the header's own
 * limit (107 bytes for v1, 16 + 65535 for v2). `done` is called exactly
 * once, synchronously from the socket's event, and never after the socket's
 * listeners added here are removed.
 *
 * @param timeoutMs how long the whole header may take, in ms
 * @param done gets the header, or a LodeError: 'protocol' for a malformed header or a
 *   version the port does not take (see {@link parseProxyHeader}); 'connection' for
 *   "no complete PROXY header within 5000 ms" or the socket closing or failing first.
 *   The socket is not destroyed here on error; the caller does it.
 */
export function readProxyHeader(
  socket: Socket,
  mode: ProxyProtocolMode,
  timeoutMs: number,
  done: (err: LodeError | undefined, header?: ProxyHeader) => void,
): void {
  let received: Buffer = Buffer.alloc(0);
  let finished = false;

  const finish = (err: LodeError | undefined, header?: ProxyHeader): void => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    socket.off('data', onData);
    socket.off('end', onEnd);
    socket.off('close', onEnd);
    socket.off('error', onError);
    done(err, header);
  };
  const onData = (chunk: Buffer): void => {
    received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
    let header: ProxyHeader | undefined;
    try {
      header = parseProxyHeader(received, mode);
    } catch (e) {
      finish(e as LodeError);
      return;
    }
    if (header === undefined) return;
    // Stop the flow before handing over; what followed the header goes back in front of the stream.
    socket.pause();
    if (received.length > header.length) socket.unshift(received.subarray(header.length));
    finish(undefined, header);
  };
  const onEnd = (): void =>
    finish(new LodeError('connection', received.length === 0 ? 'closed before sending a PROXY header' : `closed after ${received.length} bytes of a PROXY header`));
  const onError = (err: Error): void => finish(new LodeError('connection', `socket failed before its PROXY header: ${err.message}`, { cause: err }));
  const timer = setTimeout(() => finish(new LodeError('connection', `no complete PROXY header within ${timeoutMs} ms`)), timeoutMs);
  timer.unref();

  socket.on('data', onData);
  socket.on('end', onEnd);
  socket.on('close', onEnd);
  socket.on('error', onError);
}
