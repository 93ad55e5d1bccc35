import type { ShareVerdict } from '@lode/mining';
import { classicCodec, createLinePair, RpcPeer } from '@lode/stratum-core';
import type { CloseInfo, LineTransport, LodeLogger } from '@lode/stratum-core';
import type { ConfigureExtension } from '../configure/configure-extension';
import type { MinerInfo } from '../configure/configure-messages';
import { defaultConfigureExtensions } from '../configure/registry';
import type { NotifyParams, SubmitRequest } from '../messages';
import type { BitcoinServerHandler, BitcoinServerSessionOptions } from './server-handler';
import { BitcoinServerSession } from './server-session';

/*
 * BIP 310 mining.configure on the pool side, asserted as literal lines.
 * Requests are the exact ones firmware sends (facts/field-notes.md §3(c))
 * and the examples of specs/002_b8c80480aecfabab.txt and 001_035fc6d9b893e8fb.txt.
 * Expected masks are worked out by hand in the comments, never by the code under test.
 */

/** The miner's end of the wire: raw lines out, raw lines in. */
class LineProbe {
  private readonly buffered: string[] = [];
  private readonly waiters: Array<{ resolve(line: string): void; reject(e: Error): void }> = [];
  closeInfo: CloseInfo | undefined;

  constructor(private readonly transport: LineTransport) {
    transport.lines$.subscribe((line) => {
      const w = this.waiters.shift();
      if (w) w.resolve(line);
      else this.buffered.push(line);
    });
    transport.closed$.subscribe((info) => {
      this.closeInfo = info;
      for (const w of this.waiters.splice(0)) w.reject(new Error(`closed: ${info.reason}`));
    });
  }

  send(message: string | object): void {
    this.transport.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  next(): Promise<string> {
    const line = this.buffered.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.closeInfo) return Promise.reject(new Error(`closed: ${this.closeInfo.reason}`));
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Sends a ping and returns every line that arrived before its reply: proves the connection is up. */
  async drainWithPing(id: number): Promise<string[]> {
    this.send({ id, method: 'mining.ping', params: [] });
    const before: string[] = [];
    for (;;) {
      const line = await this.next();
      if (line === `{"id":${id},"result":"pong","error":null}`) return before;
      before.push(line);
    }
  }

  close(): void {
    this.transport.close('test over');
  }
}

/** A logger that keeps what it is told, to check that diagnostics are logged and not sent. */
class RecordingLogger implements LodeLogger {
  readonly lines: Array<{ level: string; msg: string }> = [];
  debug(): void {
    // debug lines are not asserted
  }
  info(_obj: object, msg = ''): void {
    this.lines.push({ level: 'info', msg });
  }
  warn(_obj: object, msg = ''): void {
    this.lines.push({ level: 'warn', msg });
  }
  error(_obj: object, msg = ''): void {
    this.lines.push({ level: 'error', msg });
  }
  child(): LodeLogger {
    return this;
  }
}

/** Block 125552 in stratum form (facts/bitcoin-stratum.md, "Test vectors"), version overridden per test. */
const JOB: NotifyParams = {
  jobId: 'b125552',
  prevhash: 'ab02cd818b9e567ee21793cddef299feb29ad444a41b85b8000008a300000000',
  coinb1: '01000000010000',
  coinb2: 'ffffffff00',
  merkleBranches: [],
  version: 0x20000000,
  nbits: 0x1a44b9f2,
  ntime: 0x4dd7f5c7,
  cleanJobs: true,
};

function notifyLine(jobId: string, versionHex: string, clean = true): string {
  return `{"id":null,"method":"mining.notify","params":["${jobId}","ab02cd818b9e567ee21793cddef299feb29ad444a41b85b8000008a300000000","01000000010000","ffffffff00",[],"${versionHex}","1a44b9f2","4dd7f5c7",${clean}]}`;
}

interface FakePool extends BitcoinServerHandler {
  submits: SubmitRequest[];
  minimumDifficulties: number[];
  infos: MinerInfo[];
  extranonceSubscribes: number;
  minimumDifficultyAnswer: true | string;
  onSubscribe?: () => void;
}

const ACCEPTED: ShareVerdict = { accepted: true, difficulty: 1, shareDifficulty: 2, block: false, hash: '00'.repeat(32) };

function fakePool(hooks: { minimumDifficulty?: boolean } = {}): FakePool {
  const pool: FakePool = {
    submits: [],
    minimumDifficulties: [],
    infos: [],
    extranonceSubscribes: 0,
    minimumDifficultyAnswer: true,
    async subscribe() {
      pool.onSubscribe?.();
      return { extranonce1: Buffer.from('08000002', 'hex'), extranonce2Size: 4, sessionId: 's1' };
    },
    async authorize() {
      return true;
    },
    async submit(req) {
      pool.submits.push(req);
      return ACCEPTED;
    },
    extranonceSubscribe() {
      pool.extranonceSubscribes++;
    },
    setInfo(info) {
      pool.infos.push(info);
    },
  };
  if (hooks.minimumDifficulty !== false) {
    pool.setMinimumDifficulty = (value) => {
      pool.minimumDifficulties.push(value);
      return pool.minimumDifficultyAnswer;
    };
  }
  return pool;
}

const opened: LineProbe[] = [];

const BIP320 = { versionRolling: { serverMask: 0x1fffe000 } };

function setup(options: BitcoinServerSessionOptions = BIP320, pool = fakePool()) {
  const [minerEnd, poolEnd] = createLinePair();
  const logger = new RecordingLogger();
  const session = new BitcoinServerSession(new RpcPeer(poolEnd, classicCodec), pool, { logger, ...options });
  const miner = new LineProbe(minerEnd);
  opened.push(miner);
  return { session, pool, miner, logger };
}

/** Subscribe (id 1) and authorize (id 2), replies consumed, plus whatever the pool sent right after. */
async function handshake(ctx: ReturnType<typeof setup>): Promise<void> {
  ctx.miner.send({ id: 1, method: 'mining.subscribe', params: ['bitaxe/BM1366/v2.4.0'] });
  await ctx.miner.next();
  ctx.miner.send({ id: 2, method: 'mining.authorize', params: ['alice.rig1', 'x'] });
  expect(await ctx.miner.next()).toBe('{"id":2,"result":true,"error":null}');
}

function submit(id: number, versionBits?: string): object {
  const params = ['alice.rig1', 'b125552', '00000001', '4dd7f5c7', '9546a142'];
  return { id, method: 'mining.submit', params: versionBits === undefined ? params : [...params, versionBits] };
}

afterEach(() => {
  for (const o of opened.splice(0)) o.close();
});

describe('BitcoinServerSession mining.configure (BIP 310)', () => {
  describe('when real firmware configures (field-notes.md §3(c)), server mask 1fffe000', () => {
    it('answers Bitaxe / ESP-Miner (mask ffffffff, no min-bit-count) with the server mask', async () => {
      // ffffffff & 1fffe000 = 1fffe000
      const { miner, session } = setup();
      miner.send('{"id": 1, "method": "mining.configure", "params": [["version-rolling"], {"version-rolling.mask": "ffffffff"}]}');
      expect(await miner.next()).toBe(
        '{"id":1,"result":{"version-rolling":true,"version-rolling.mask":"1fffe000"},"error":null}',
      );
      expect(session.versionMask).toBe(0x1fffe000);
    });

    it('answers WhatsMiner M30S+ with exactly the two keys it asked for and nothing else', async () => {
      const { miner } = setup({ versionRolling: { serverMask: 0x1fffe000 } }, fakePool());
      miner.send('{"id": 1, "method": "mining.configure", "params": [["version-rolling"], {"version-rolling.mask": "1fffe000"}]}');
      const line = await miner.next();
      expect(line).toBe('{"id":1,"result":{"version-rolling":true,"version-rolling.mask":"1fffe000"},"error":null}');
      expect(line).not.toMatch(/min-bit-count|minimum-difficulty/);
      expect(Object.keys(JSON.parse(line).result)).toEqual(['version-rolling', 'version-rolling.mask']);
    });

    it('answers Antminer S9 bmminer (min-bit-count 2, mask 00c00000) with 00c00000, no min-bit-count echoed', async () => {
      // 00c00000 (bits 22, 23) & 1fffe000 (bits 13..28) = 00c00000: 2 bits, enough for min-bit-count 2
      const { miner, logger } = setup();
      miner.send(
        '{"id": 1, "method": "mining.configure", "params": [["version-rolling"], {"version-rolling.min-bit-count": 2, "version-rolling.mask": "00c00000"}]}',
      );
      expect(await miner.next()).toBe(
        '{"id":1,"result":{"version-rolling":true,"version-rolling.mask":"00c00000"},"error":null}',
      );
      expect(logger.lines.filter((l) => l.level === 'warn')).toEqual([]);
    });

    it('answers cgminer 4.x (mask ffffffff) with the server mask', async () => {
      const { miner } = setup();
      miner.send('{"id": 3, "method": "mining.configure", "params": [["version-rolling"], {"version-rolling.mask": "ffffffff"}]}');
      expect(await miner.next()).toBe(
        '{"id":3,"result":{"version-rolling":true,"version-rolling.mask":"1fffe000"},"error":null}',
      );
    });

    it.each([
      ['"zz"', '"zz"'],
      ['an object', '{"bits": 2}'],
      ['a fraction', '2.5'],
    ])('answers Braiins OS with a malformed min-bit-count (%s) true + mask, logs it, and stays up', async (_name, value) => {
      const { miner, logger } = setup();
      miner.send(
        `{"id": 1, "method": "mining.configure", "params": [["version-rolling"], {"version-rolling.mask": "ffffffff", "version-rolling.min-bit-count": ${value}}]}`,
      );
      expect(await miner.next()).toBe(
        '{"id":1,"result":{"version-rolling":true,"version-rolling.mask":"1fffe000"},"error":null}',
      );
      expect(await miner.drainWithPing(99)).toEqual([]);
      expect(logger.lines).toEqual([{ level: 'warn', msg: expect.stringMatching(/min-bit-count .* ignored/) }]);
    });

    it('reads min-bit-count as hex text (BIP 310 types it TMask) and only warns when the mask has fewer bits', async () => {
      // 00c00000 has 2 bits; "00000010" is 16 bits wanted -> degraded, still true
      const { miner, logger } = setup();
      miner.send(
        '{"id": 1, "method": "mining.configure", "params": [["version-rolling"], {"version-rolling.mask": "00c00000", "version-rolling.min-bit-count": "00000010"}]}',
      );
      expect(await miner.next()).toBe(
        '{"id":1,"result":{"version-rolling":true,"version-rolling.mask":"00c00000"},"error":null}',
      );
      expect(logger.lines).toEqual([
        { level: 'warn', msg: 'version-rolling.min-bit-count asks for 16 bits, the mask 00c00000 grants 2; the miner runs degraded' },
      ]);
    });
  });

  describe('when the spec examples are replayed', () => {
    it('answers the BIP 310 example (minimum-difficulty 2048, version-rolling 00fff000, min-bit-count 2) in request order', async () => {
      // 00fff000 = bits 12..23; 1fffe000 = bits 13..28; common bits 13..23 = 00ffe000
      const { miner, pool, session } = setup();
      miner.send(
        '{"method": "mining.configure", "id": 1, "params": [["minimum-difficulty", "version-rolling"], {"minimum-difficulty.value": 2048, "version-rolling.mask": "00fff000", "version-rolling.min-bit-count": 2}]}',
      );
      expect(await miner.next()).toBe(
        '{"id":1,"result":{"minimum-difficulty":true,"version-rolling":true,"version-rolling.mask":"00ffe000"},"error":null}',
      );
      expect(pool.minimumDifficulties).toEqual([2048]);
      expect(session.minimumDifficulty).toBe(2048);
      expect(session.versionMask).toBe(0x00ffe000);
    });

    it("answers the earlier draft's example with sp-telemetry false", async () => {
      const { miner } = setup();
      miner.send(
        '{"method": "mining.configure", "id": 1, "params": [["sp-telemetry", "version-rolling"], {"sp-telemetry.version": 1, "version-rolling.mask": "00fff000"}]}',
      );
      expect(await miner.next()).toBe(
        '{"id":1,"result":{"sp-telemetry":false,"version-rolling":true,"version-rolling.mask":"00ffe000"},"error":null}',
      );
    });

    it('answers every code once: info, unknown codes, the three unpublished ones, a repeated code', async () => {
      const { miner, pool, session } = setup();
      miner.send({
        id: 1,
        method: 'mining.configure',
        params: [
          [
            'minimum-difficulty',
            'version-rolling',
            'info',
            'sp-telemetry',
            'binary-protocol',
            'promise-protocol',
            'x-unknown',
            'version-rolling',
            '__proto__',
          ],
          {
            'minimum-difficulty.value': 2048,
            'version-rolling.mask': '00fff000',
            'version-rolling.min-bit-count': 2,
            'info.connection-url': 'stratum+tcp://pool.example.com:3333',
            'info.hw-version': 'BM1366 rev 204',
            'info.sw-version': 'esp-miner v2.4.0',
            'info.hw-id': 'a8032a1b2c3d',
            'x-unknown.foo': 1,
          },
        ],
      });
      expect(await miner.next()).toBe(
        '{"id":1,"result":{"minimum-difficulty":true,"version-rolling":true,"version-rolling.mask":"00ffe000","info":true,' +
          '"sp-telemetry":false,"binary-protocol":false,"promise-protocol":false,"x-unknown":false,"__proto__":false},"error":null}',
      );
      const info = {
        connectionUrl: 'stratum+tcp://pool.example.com:3333',
        hwVersion: 'BM1366 rev 204',
        swVersion: 'esp-miner v2.4.0',
        hwId: 'a8032a1b2c3d',
      };
      expect(pool.infos).toEqual([info]);
      expect(session.info).toEqual(info);
      expect(await miner.drainWithPing(99)).toEqual([]);
    });
  });

  describe('when the request is out of shape', () => {
    it('refuses codes that are not an array of strings with -32602 and stays up', async () => {
      const { miner } = setup();
      miner.send({ id: 1, method: 'mining.configure', params: ['version-rolling', {}] });
      expect(await miner.next()).toBe(
        '{"id":1,"result":null,"error":[-32602,"mining.configure takes [extensionCodes, extensionParams]; extension codes version-rolling is not an array of strings",null]}',
      );
      miner.send({ id: 2, method: 'mining.configure', params: [['version-rolling', 7], {}] });
      expect(JSON.parse(await miner.next()).error[0]).toBe(-32602);
      miner.send({ id: 3, method: 'mining.configure', params: [] });
      expect(JSON.parse(await miner.next()).error[0]).toBe(-32602);
      expect(await miner.drainWithPing(99)).toEqual([]);
    });

    it('reads a missing second param as {}', async () => {
      // no version-rolling.mask -> ffffffff -> the whole server mask
      const { miner } = setup();
      miner.send('{"id": 1, "method": "mining.configure", "params": [["version-rolling", "subscribe-extranonce"]]}');
      expect(await miner.next()).toBe(
        '{"id":1,"result":{"version-rolling":true,"version-rolling.mask":"1fffe000","subscribe-extranonce":true},"error":null}',
      );
    });

    it('answers a malformed mask with an error string naming it, not a disconnect', async () => {
      const { miner, session } = setup();
      miner.send('{"id": 1, "method": "mining.configure", "params": [["version-rolling"], {"version-rolling.mask": "1fffe00"}]}');
      expect(await miner.next()).toBe(
        '{"id":1,"result":{"version-rolling":"version-rolling.mask \'1fffe00\' is not 8 hex digits (TMask)"},"error":null}',
      );
      expect(session.versionMask).toBeUndefined();
      expect(await miner.drainWithPing(99)).toEqual([]);
    });

    it('reads the mask in either case and answers lower case', async () => {
      const { miner } = setup();
      miner.send('{"id": 1, "method": "mining.configure", "params": [["version-rolling"], {"version-rolling.mask": "1FFFE000"}]}');
      expect(await miner.next()).toBe(
        '{"id":1,"result":{"version-rolling":true,"version-rolling.mask":"1fffe000"},"error":null}',
      );
    });
  });

  describe('when the port sets its version mask', () => {
    it('answers false without a versionRolling option or with server mask 0', async () => {
      for (const options of [{}, { versionRolling: { serverMask: 0 } }]) {
        const { miner, session } = setup(options);
        miner.send('{"id": 1, "method": "mining.configure", "params": [["version-rolling"], {"version-rolling.mask": "ffffffff"}]}');
        expect(await miner.next()).toBe('{"id":1,"result":{"version-rolling":false},"error":null}');
        expect(session.versionMask).toBeUndefined();
      }
    });

    it('intersects the BIP 323 mask 1fffffe0 with the miner mask', async () => {
      // 1fffffe0 & 0000fff0 = 0000ffe0
      const { miner } = setup({ versionRolling: { serverMask: 0x1fffffe0 } });
      miner.send('{"id": 1, "method": "mining.configure", "params": [["version-rolling"], {"version-rolling.mask": "0000fff0"}]}');
      expect(await miner.next()).toBe(
        '{"id":1,"result":{"version-rolling":true,"version-rolling.mask":"0000ffe0"},"error":null}',
      );
    });

    it('refuses a server mask that is not a uint32 at construction', () => {
      expect(() => setup({ versionRolling: { serverMask: 0x100000000 } })).toThrow(
        /versionRolling.serverMask 4294967296 is not a uint32/,
      );
    });
  });

  describe('when a job version sets a bit inside the negotiated mask', () => {
    it('sends set_version_mask before the notify that introduces it, and again when it goes away', async () => {
      // job version 20800000 sets bit 23, inside 1fffe000: 1fffe000 & ~20800000 = 1f7fe000
      const ctx = setup();
      const { miner, session, pool } = ctx;
      miner.send('{"id": 1, "method": "mining.configure", "params": [["version-rolling"], {"version-rolling.mask": "ffffffff"}]}');
      await miner.next();
      pool.onSubscribe = () => session.sendNotify({ ...JOB, jobId: 'j1', version: 0x20800000 });
      miner.send({ id: 2, method: 'mining.subscribe', params: [] });
      expect(JSON.parse(await miner.next()).id).toBe(2);
      expect(await miner.next()).toBe('{"id":null,"method":"mining.set_version_mask","params":["1f7fe000"]}');
      expect(await miner.next()).toBe(notifyLine('j1', '20800000'));
      expect(session.versionMask).toBe(0x1f7fe000);

      session.sendNotify({ ...JOB, jobId: 'j2', version: 0x20800000, cleanJobs: false });
      session.sendNotify({ ...JOB, jobId: 'j3', version: 0x20000000 });
      expect(await miner.next()).toBe(notifyLine('j2', '20800000', false));
      expect(await miner.next()).toBe('{"id":null,"method":"mining.set_version_mask","params":["1fffe000"]}');
      expect(await miner.next()).toBe(notifyLine('j3', '20000000'));
      expect(session.versionMask).toBe(0x1fffe000);
    });

    it('answers a configure that comes after such a job with the mask without that bit', async () => {
      const { miner, session } = setup();
      session.sendNotify({ ...JOB, version: 0x20800000 });
      miner.send('{"id": 1, "method": "mining.configure", "params": [["version-rolling"], {"version-rolling.mask": "ffffffff"}]}');
      expect(await miner.next()).toBe(
        '{"id":1,"result":{"version-rolling":true,"version-rolling.mask":"1f7fe000"},"error":null}',
      );
    });

    it('checks submits against the mask in effect: bits only in the old mask refused, bits of the new one accepted', async () => {
      const ctx = setup();
      const { miner, session, pool } = ctx;
      miner.send('{"id": 1, "method": "mining.configure", "params": [["version-rolling"], {"version-rolling.mask": "ffffffff"}]}');
      await miner.next();
      await handshake(ctx);

      miner.send(submit(3, '00800000'));
      expect(await miner.next()).toBe('{"id":3,"result":true,"error":null}');
      expect(pool.submits[0]).toMatchObject({ versionBits: 0x00800000, versionMask: 0x1fffe000 });

      session.sendNotify({ ...JOB, version: 0x20800000 });
      expect(await miner.next()).toBe('{"id":null,"method":"mining.set_version_mask","params":["1f7fe000"]}');
      await miner.next();
      miner.send(submit(4, '00800000'));
      expect(await miner.next()).toBe(
        '{"id":4,"result":null,"error":[20,"version bits 00800000 fall outside the mask 1f7fe000",null]}',
      );
      miner.send(submit(5, '00402000'));
      expect(await miner.next()).toBe('{"id":5,"result":true,"error":null}');
      expect(pool.submits[1]).toMatchObject({ versionBits: 0x00402000, versionMask: 0x1f7fe000 });
      expect(pool.submits).toHaveLength(2);
    });
  });

  describe('when a negotiated miner submits', () => {
    async function negotiated() {
      const ctx = setup();
      ctx.miner.send('{"id": 1, "method": "mining.configure", "params": [["version-rolling"], {"version-rolling.mask": "ffffffff"}]}');
      await ctx.miner.next();
      await handshake(ctx);
      return ctx;
    }

    it('refuses a bit outside the mask with 20 naming both', async () => {
      const { miner, pool } = await negotiated();
      miner.send(submit(3, '20000000'));
      expect(await miner.next()).toBe(
        '{"id":3,"result":null,"error":[20,"version bits 20000000 fall outside the mask 1fffe000",null]}',
      );
      expect(pool.submits).toEqual([]);
    });

    it('accepts a submit without the 6th param: versionBits and versionMask absent', async () => {
      const { miner, pool } = await negotiated();
      miner.send(submit(3));
      expect(await miner.next()).toBe('{"id":3,"result":true,"error":null}');
      expect(pool.submits[0].versionBits).toBeUndefined();
      expect(pool.submits[0].versionMask).toBeUndefined();
      expect('versionBits' in pool.submits[0]).toBe(false);
    });

    it('refuses a 6th param that is not 8 hex digits, and a 7th param', async () => {
      const { miner } = await negotiated();
      miner.send(submit(3, '2000'));
      expect(await miner.next()).toBe('{"id":3,"result":null,"error":[20,"version bits \'2000\' is not 8 hex digits",null]}');
      miner.send({ id: 4, method: 'mining.submit', params: [...(submit(0, '00002000') as { params: string[] }).params, 'x'] });
      expect(await miner.next()).toBe(
        '{"id":4,"result":null,"error":[-32602,"mining.submit takes 5 or 6 parameters, got 7",null]}',
      );
    });
  });

  describe('when the miner configures again', () => {
    it('renegotiates version rolling with the same computation, after subscribe too', async () => {
      const ctx = setup();
      await handshake(ctx);
      const { miner, session } = ctx;
      miner.send('{"id": 3, "method": "mining.configure", "params": [["version-rolling"], {"version-rolling.mask": "ffffffff"}]}');
      expect(await miner.next()).toBe(
        '{"id":3,"result":{"version-rolling":true,"version-rolling.mask":"1fffe000"},"error":null}',
      );
      // 1fffe000 & 0000ffff = 0000e000
      miner.send('{"id": 4, "method": "mining.configure", "params": [["version-rolling"], {"version-rolling.mask": "0000ffff"}]}');
      expect(await miner.next()).toBe(
        '{"id":4,"result":{"version-rolling":true,"version-rolling.mask":"0000e000"},"error":null}',
      );
      expect(session.versionMask).toBe(0x0000e000);
      miner.send(submit(5, '00010000'));
      expect(JSON.parse(await miner.next()).error).toEqual([20, 'version bits 00010000 fall outside the mask 0000e000', null]);
    });

    it('keeps the earlier negotiation when a repeat sends a malformed mask', async () => {
      const { miner, session } = setup();
      miner.send('{"id": 1, "method": "mining.configure", "params": [["version-rolling"], {"version-rolling.mask": "ffffffff"}]}');
      await miner.next();
      miner.send('{"id": 2, "method": "mining.configure", "params": [["version-rolling"], {"version-rolling.mask": 5}]}');
      expect(await miner.next()).toBe(
        '{"id":2,"result":{"version-rolling":"version-rolling.mask \'5\' is not 8 hex digits (TMask)"},"error":null}',
      );
      expect(session.versionMask).toBe(0x1fffe000);
    });

    it('replaces the info', async () => {
      const { miner, session, pool } = setup();
      miner.send({ id: 1, method: 'mining.configure', params: [['info'], { 'info.hw-id': 'a', 'info.sw-version': 'v1' }] });
      expect(await miner.next()).toBe('{"id":1,"result":{"info":true},"error":null}');
      miner.send({ id: 2, method: 'mining.configure', params: [['info'], { 'info.sw-version': 'v2' }] });
      expect(await miner.next()).toBe('{"id":2,"result":{"info":true},"error":null}');
      expect(session.info).toEqual({ swVersion: 'v2' });
      expect(pool.infos).toEqual([{ hwId: 'a', swVersion: 'v1' }, { swVersion: 'v2' }]);
    });
  });

  describe('when the miner asks for a minimum difficulty', () => {
    function configureMinDiff(id: number, value: unknown): object {
      return { id, method: 'mining.configure', params: [['minimum-difficulty'], { 'minimum-difficulty.value': value }] };
    }

    it('answers true when the pool honours it, and lets 0 switch it off', async () => {
      const { miner, pool, session } = setup();
      miner.send(configureMinDiff(1, 0.5));
      expect(await miner.next()).toBe('{"id":1,"result":{"minimum-difficulty":true},"error":null}');
      expect(session.minimumDifficulty).toBe(0.5);
      miner.send(configureMinDiff(2, 0));
      expect(await miner.next()).toBe('{"id":2,"result":{"minimum-difficulty":true},"error":null}');
      expect(session.minimumDifficulty).toBeUndefined();
      expect(pool.minimumDifficulties).toEqual([0.5, 0]);
    });

    it('answers false and logs the reason when the pool cannot honour it', async () => {
      const { miner, pool, logger, session } = setup();
      pool.minimumDifficultyAnswer = 'the port caps difficulty at 65536';
      miner.send(configureMinDiff(1, 1_000_000));
      expect(await miner.next()).toBe('{"id":1,"result":{"minimum-difficulty":false},"error":null}');
      expect(logger.lines).toEqual([
        { level: 'info', msg: 'minimum-difficulty 1000000 refused: the port caps difficulty at 65536' },
      ]);
      expect(session.minimumDifficulty).toBeUndefined();
    });

    it('answers false when the pool has no hook', async () => {
      const { miner } = setup(BIP320, fakePool({ minimumDifficulty: false }));
      miner.send(configureMinDiff(1, 2048));
      expect(await miner.next()).toBe('{"id":1,"result":{"minimum-difficulty":false},"error":null}');
    });

    it('answers a missing, negative or non-number value with an error string', async () => {
      const { miner, pool } = setup();
      miner.send({ id: 1, method: 'mining.configure', params: [['minimum-difficulty'], {}] });
      expect(await miner.next()).toBe(
        '{"id":1,"result":{"minimum-difficulty":"minimum-difficulty.value is missing (a number >= 0)"},"error":null}',
      );
      miner.send(configureMinDiff(2, -1));
      expect(await miner.next()).toBe(
        '{"id":2,"result":{"minimum-difficulty":"minimum-difficulty.value -1 is not a number >= 0"},"error":null}',
      );
      miner.send(configureMinDiff(3, '2048'));
      expect(await miner.next()).toBe(
        '{"id":3,"result":{"minimum-difficulty":"minimum-difficulty.value 2048 is not a number >= 0"},"error":null}',
      );
      expect(pool.minimumDifficulties).toEqual([]);
    });
  });

  describe('when the miner configures subscribe-extranonce', () => {
    it('lets the pool send set_extranonce from then on, like mining.extranonce.subscribe', async () => {
      const ctx = setup();
      await handshake(ctx);
      const { miner, session, pool } = ctx;
      expect(session.sendExtranonce(Buffer.from('0a0b0c0d', 'hex'), 4)).toBe(false);
      miner.send({ id: 3, method: 'mining.configure', params: [['subscribe-extranonce'], {}] });
      expect(await miner.next()).toBe('{"id":3,"result":{"subscribe-extranonce":true},"error":null}');
      expect(session.extranonceSubscribed).toBe(true);
      expect(session.sendExtranonce(Buffer.from('0a0b0c0d', 'hex'), 4)).toBe(true);
      expect(await miner.next()).toBe('{"id":null,"method":"mining.set_extranonce","params":["0a0b0c0d",4]}');

      miner.send({ id: 4, method: 'mining.configure', params: [['subscribe-extranonce'], {}] });
      expect(await miner.next()).toBe('{"id":4,"result":{"subscribe-extranonce":true},"error":null}');
      miner.send({ id: 5, method: 'mining.extranonce.subscribe', params: [] });
      expect(await miner.next()).toBe('{"id":5,"result":true,"error":null}');
      expect(pool.extranonceSubscribes).toBe(1);
    });
  });

  describe('when the port allows version bits without mining.configure (S21 behind MRR)', () => {
    it('accepts them checked against the server mask without the job version bits, and never sends set_version_mask', async () => {
      // 1fffe000 & ~20800000 = 1f7fe000
      const ctx = setup({ versionRolling: { serverMask: 0x1fffe000, allowWithoutConfigure: true } });
      await handshake(ctx);
      const { miner, session, pool } = ctx;
      session.sendNotify({ ...JOB, version: 0x20800000 });
      expect(await miner.next()).toBe(notifyLine('b125552', '20800000'));
      expect(session.versionMask).toBeUndefined();
      miner.send(submit(3, '00002000'));
      expect(await miner.next()).toBe('{"id":3,"result":true,"error":null}');
      expect(pool.submits[0]).toMatchObject({ versionBits: 0x00002000, versionMask: 0x1f7fe000 });
      miner.send(submit(4, '00800000'));
      expect(await miner.next()).toBe(
        '{"id":4,"result":null,"error":[20,"version bits 00800000 fall outside the mask 1f7fe000",null]}',
      );
      miner.send(submit(5));
      expect(await miner.next()).toBe('{"id":5,"result":true,"error":null}');
      expect(await miner.drainWithPing(99)).toEqual([]);
    });

    it('refuses them when the option is off', async () => {
      const ctx = setup({ versionRolling: { serverMask: 0x1fffe000, allowWithoutConfigure: false } });
      await handshake(ctx);
      ctx.miner.send(submit(3, '00002000'));
      expect(await ctx.miner.next()).toBe(
        '{"id":3,"result":null,"error":[-32602,"mining.submit takes 5 parameters, got 6 (version rolling was not negotiated)",null]}',
      );
      expect(ctx.pool.submits).toEqual([]);
    });
  });

  describe('when the port adds an extension of its own', () => {
    it('answers it through the registry, inside its own namespace only', async () => {
      const echo: ConfigureExtension = {
        code: 'x-echo',
        serve: (_ctx, params) => ({ result: true, values: { said: params.get('say') } }),
      };
      const { miner } = setup({ ...BIP320, configureExtensions: [...defaultConfigureExtensions(), echo] });
      miner.send({ id: 1, method: 'mining.configure', params: [['x-echo', 'info'], { 'x-echo.say': 'hi' }] });
      expect(await miner.next()).toBe(
        '{"id":1,"result":{"x-echo":true,"x-echo.said":"hi","info":true},"error":null}',
      );
    });
  });
});
