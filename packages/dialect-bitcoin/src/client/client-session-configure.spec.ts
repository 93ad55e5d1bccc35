import { classicCodec, createLinePair, LodeError, RpcPeer } from '@lode/stratum-core';
import type { LineTransport } from '@lode/stratum-core';
import { BitcoinClientSession } from './client-session';
import type { BitcoinClientSessionOptions } from './client-session';

/*
 * BIP 310 mining.configure on the miner side (specs/002_b8c80480aecfabab.txt),
 * asserted as literal lines. Pool answers are written by hand.
 */

/** The pool's end of the wire: raw lines out, raw lines in. */
class LineProbe {
  private readonly buffered: string[] = [];
  private readonly waiters: Array<(line: string) => void> = [];

  constructor(private readonly transport: LineTransport) {
    transport.lines$.subscribe((line) => {
      const w = this.waiters.shift();
      if (w) w(line);
      else this.buffered.push(line);
    });
  }

  send(message: string | object): void {
    this.transport.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  next(): Promise<string> {
    const line = this.buffered.shift();
    return line !== undefined ? Promise.resolve(line) : new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Pings the miner; once the pong is back, every line sent before it has been handled and nothing else was sent. */
  async barrier(id = 900): Promise<void> {
    this.send({ id, method: 'mining.ping', params: [] });
    expect(await this.next()).toBe(`{"id":${id},"result":"pong","error":null}`);
  }

  close(): void {
    this.transport.close('test over');
  }
}

const opened: LineProbe[] = [];

function setup(options: Partial<BitcoinClientSessionOptions> = {}) {
  const [poolEnd, minerEnd] = createLinePair();
  const client = new BitcoinClientSession(new RpcPeer(minerEnd, classicCodec), { userAgent: 'lode-test/1.0', ...options });
  const pool = new LineProbe(poolEnd);
  opened.push(pool);
  const masks: number[] = [];
  client.versionMask$.subscribe((m) => masks.push(m));
  return { client, pool, masks };
}

/** A client that negotiated version rolling with mask 1fffe000. */
async function negotiated() {
  const ctx = setup();
  const done = ctx.client.configure({ versionRolling: {} });
  await ctx.pool.next();
  ctx.pool.send('{"id":1,"result":{"version-rolling":true,"version-rolling.mask":"1fffe000"},"error":null}');
  await done;
  return ctx;
}

afterEach(() => {
  for (const p of opened.splice(0)) p.close();
});

describe('BitcoinClientSession.configure (BIP 310)', () => {
  describe('when it asks for version rolling only', () => {
    it('sends what Bitaxe sends (mask ffffffff, no min-bit-count) and reads the mask', async () => {
      const { client, pool, masks } = setup();
      const done = client.configure({ versionRolling: {} });
      expect(await pool.next()).toBe(
        '{"id":1,"method":"mining.configure","params":[["version-rolling"],{"version-rolling.mask":"ffffffff"}]}',
      );
      pool.send('{"id":1,"result":{"version-rolling":true,"version-rolling.mask":"1FFFE000"},"error":null}');
      await expect(done).resolves.toEqual({
        versionRolling: { mask: 0x1fffe000 },
        minimumDifficulty: undefined,
        subscribeExtranonce: undefined,
        info: undefined,
        raw: { 'version-rolling': true, 'version-rolling.mask': '1FFFE000' },
      });
      expect(client.versionMask).toBe(0x1fffe000);
      expect(masks).toEqual([0x1fffe000]);
    });
  });

  describe('when it asks for every extension', () => {
    it('writes each one in its namespace and reads each answer', async () => {
      const { client, pool } = setup();
      const done = client.configure({
        versionRolling: { mask: 0x00fff000, minBitCount: 2 },
        minimumDifficulty: 2048,
        subscribeExtranonce: true,
        info: { swVersion: 'lode-miner/0.1.0', hwId: 'cpu-1' },
      });
      expect(await pool.next()).toBe(
        '{"id":1,"method":"mining.configure","params":[["version-rolling","minimum-difficulty","subscribe-extranonce","info"],' +
          '{"version-rolling.mask":"00fff000","version-rolling.min-bit-count":2,"minimum-difficulty.value":2048,' +
          '"info.sw-version":"lode-miner/0.1.0","info.hw-id":"cpu-1"}]}',
      );
      pool.send(
        '{"id":1,"result":{"version-rolling":true,"version-rolling.mask":"007f8000","minimum-difficulty":false,' +
          '"subscribe-extranonce":true,"info":"info is not accepted here"},"error":null}',
      );
      const result = await done;
      expect(result.versionRolling).toEqual({ mask: 0x007f8000 });
      expect(result.minimumDifficulty).toBe(false);
      expect(result.subscribeExtranonce).toBe(true);
      expect(result.info).toBe('info is not accepted here');
    });

    it('reads a code the pool left out as false, and true without a readable mask as a message', async () => {
      const { client, pool } = setup();
      const done = client.configure({ versionRolling: {}, subscribeExtranonce: true });
      await pool.next();
      pool.send('{"id":1,"result":{"version-rolling":true},"error":null}');
      const result = await done;
      expect(result.versionRolling).toBe(
        "the pool answered version-rolling true with version-rolling.mask 'undefined', not 8 hex digits",
      );
      expect(result.subscribeExtranonce).toBe(false);
      expect(client.versionMask).toBeUndefined();
    });
  });

  describe('when the pool does not speak mining.configure', () => {
    it('reads an error answer (-32601) as false for every requested extension, not a throw', async () => {
      const { client, pool, masks } = setup();
      const done = client.configure({ versionRolling: {}, minimumDifficulty: 0, info: {} });
      await pool.next();
      pool.send('{"id":1,"result":null,"error":[-32601,"Method not found",null]}');
      await expect(done).resolves.toEqual({
        versionRolling: false,
        minimumDifficulty: false,
        subscribeExtranonce: undefined,
        info: false,
        raw: {},
      });
      expect(client.versionMask).toBeUndefined();
      expect(masks).toEqual([]);
    });

    it('reads silence (NOMP never answers) as false', async () => {
      const { client, pool } = setup({ optionalAnswerTimeoutMs: 20 });
      const done = client.configure({ versionRolling: {} });
      await pool.next();
      expect((await done).versionRolling).toBe(false);
    });

    it('reads a result that is not an object as false', async () => {
      const { client, pool } = setup();
      const done = client.configure({ subscribeExtranonce: true });
      await pool.next();
      pool.send('{"id":1,"result":true,"error":null}');
      expect(await done).toMatchObject({ subscribeExtranonce: false, raw: {} });
    });
  });

  describe('when the request is out of range', () => {
    it.each([
      ['a mask over 32 bits', { versionRolling: { mask: 2 ** 32 } }, /4294967296 is not a uint32/],
      ['min-bit-count 33', { versionRolling: { minBitCount: 33 } }, /min-bit-count 33 is not an integer from 0 to 32/],
      ['a negative minimum difficulty', { minimumDifficulty: -1 }, /minimum difficulty -1 is not a finite number >= 0/],
    ])('throws LodeError protocol for %s and sends nothing', async (_name, request, message) => {
      const { client, pool } = setup();
      const err: unknown = await client.configure(request).catch((e: unknown) => e);
      expect(LodeError.is(err, 'protocol')).toBe(true);
      expect(err).toMatchObject({ message: expect.stringMatching(message) });
      await pool.barrier();
    });

    it('sends nothing for an empty request', async () => {
      const { client, pool } = setup();
      await expect(client.configure({ subscribeExtranonce: false })).resolves.toEqual({
        versionRolling: undefined,
        minimumDifficulty: undefined,
        subscribeExtranonce: undefined,
        info: undefined,
        raw: {},
      });
      await pool.barrier();
    });
  });

  describe('when the pool sends mining.set_version_mask', () => {
    it('applies it at once, as a notification or a request', async () => {
      const { client, pool, masks } = await negotiated();
      pool.send('{"id":null,"method":"mining.set_version_mask","params":["1f7fe000"]}');
      await pool.barrier();
      expect(client.versionMask).toBe(0x1f7fe000);
      pool.send('{"id":7,"method":"mining.set_version_mask","params":["00003000"]}');
      expect(await pool.next()).toBe('{"id":7,"result":true,"error":null}');
      expect(client.versionMask).toBe(0x00003000);
      expect(masks).toEqual([0x1fffe000, 0x1f7fe000, 0x00003000]);
    });

    it('drops a malformed mask and keeps the one in force', async () => {
      const { client, pool } = await negotiated();
      pool.send('{"id":null,"method":"mining.set_version_mask","params":["1f7fe0"]}');
      await pool.barrier();
      expect(client.versionMask).toBe(0x1fffe000);
      expect(client.counters.malformed).toBe(1);
    });

    it('ignores it before version rolling was negotiated', async () => {
      const { client, pool, masks } = setup();
      pool.send('{"id":null,"method":"mining.set_version_mask","params":["1fffe000"]}');
      await pool.barrier();
      expect(client.versionMask).toBeUndefined();
      expect(masks).toEqual([]);
    });

    it('completes versionMask$ when the connection closes', async () => {
      const { client, pool } = await negotiated();
      const completed = new Promise<void>((resolve) => client.versionMask$.subscribe({ complete: resolve }));
      pool.close();
      await expect(completed).resolves.toBeUndefined();
    });
  });
});
