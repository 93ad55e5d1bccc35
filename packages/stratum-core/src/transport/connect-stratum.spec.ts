import * as net from 'node:net';
import { LodeError } from '../errors';
import { connectStratum } from './connect-stratum';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

describe('connectStratum', () => {
  describe('when nothing listens on the port', () => {
    it('rejects with LodeError(connection) naming address and code, keeping the cause', async () => {
      const port = await freePort();
      const err = await connectStratum(`stratum+tcp://127.0.0.1:${port}`).catch((e: unknown) => e);
      expect(LodeError.is(err, 'connection')).toBe(true);
      expect((err as Error).message).toBe(`connect to 127.0.0.1:${port} failed: ECONNREFUSED`);
      expect((err as Error).cause).toMatchObject({ code: 'ECONNREFUSED' });
    });

    it('brackets an IPv6 address in the message', async () => {
      const port = await freePort();
      const err = await connectStratum(`stratum+tcp://[::1]:${port}`).catch((e: unknown) => e);
      expect(LodeError.is(err, 'connection')).toBe(true);
      expect((err as Error).message).toMatch(new RegExp(`^connect to \\[::1\\]:${port} failed: `));
    });
  });

  describe('when the URL is not a stratum URL', () => {
    it('rejects with LodeError(config)', async () => {
      const err = await connectStratum('http://127.0.0.1:3333').catch((e: unknown) => e);
      expect(LodeError.is(err, 'config')).toBe(true);
    });
  });
});
