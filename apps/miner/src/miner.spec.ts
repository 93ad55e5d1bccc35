import { createHash } from 'node:crypto';
import * as net from 'node:net';
import { hostname } from 'node:os';
import type { LodeLogger } from '@lode/stratum-core';
import { Container } from 'inversify';
import { filter, firstValueFrom } from 'rxjs';
import { type CoinPlugin, discoverPlugins, loadPlugins, type ScanRequest, selectCoin, type ShareSubmission } from '@lode/plugin-api';
import { Miner } from './miner';
import type { MinerEvent } from './miner-options';

jest.setTimeout(60_000);

// ---- testnet3 block 1263442 (facts/bitcoin-blocks.md) ------------------------------------------

const FACTS_HEADER =
  '000000201c8d1a529c39a396db2db234d5ec152fa651a2872966daccbde028b400000000083f14492679151dbfaa1a825ef4c18518e780c1f91044180280a7d33f4a98ff5f45765aaddc001d38333b9a';
const FACTS_HASH = '000000006f27ddfe1dd680044a34548f41bed47eba9e6f0b310da21423bc5f33';
const COINBASE =
  '01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff230352471300fe5f45765afe94690a000963676d696e6572343208000000000000000000ffffffff024423a804000000001976a914f2c25ac3d59f3d674b1d1d0a25c27339aaac0ba688ac0000000000000000266a24aa21a9edcb26cb3052426b9ebb4d19c819ef87c19677bbf3a7c46ef0855bd1b2abe8349100000000';
const PREVHASH_STRATUM = '521a8d1c96a3399c34b22ddb2f15ecd587a251a6ccda6629b428e0bd00000000';
const BRANCH = ['e0e03cc73169f0a7d4863fd1c12d3680006d3406fe1ced246d3d529905d4212c'];
const VERSION = '20000000';
const NBITS = '1d00dcad';
const NTIME = '5a76455f';

// The scriptSig ends "...09 'cgminer42' 08 <8 zero bytes> 00": the 8-byte push is the extranonce
// (extranonce1 4 bytes | extranonce2 4 bytes); coinb1 ends with its push opcode.
const CUT = COINBASE.indexOf('63676d696e6572343208') + 20;
const COINB1 = COINBASE.slice(0, CUT);
const COINB2 = COINBASE.slice(CUT + 16);
const EXTRANONCE1 = '0badc0de';

// Stratum difficulty 1 = 0xffff * 2^208; share target = that / difficulty (facts/bitcoin-stratum.md "Targets").
const DIFF1 = 0xffffn << 208n;
const SHARE_DIFFICULTY = 0.0001;
const SHARE_TARGET = DIFF1 * 10_000n;

// ---- an independent header builder (node:crypto, facts/bitcoin-stratum.md rules 1-6) --------------

function sha256d(data: Buffer): Buffer {
  return createHash('sha256').update(createHash('sha256').update(data).digest()).digest();
}

function le32(hex8: string): Buffer {
  return Buffer.from(hex8, 'hex').reverse();
}

function headerFor(extranonce1: string, extranonce2: string, ntime: string, nonce: string, version = VERSION): Buffer {
  let root = sha256d(Buffer.from(COINB1 + extranonce1 + extranonce2 + COINB2, 'hex'));
  for (const b of BRANCH) root = sha256d(Buffer.concat([root, Buffer.from(b, 'hex')]));
  const prevhash = Buffer.from(PREVHASH_STRATUM, 'hex');
  for (let i = 0; i < 32; i += 4) prevhash.subarray(i, i + 4).reverse();
  return Buffer.concat([le32(version), prevhash, root, le32(ntime), le32(NBITS), le32(nonce)]);
}

/** BIP 310 "Changes in request mining.submit": nVersion = (job_version & ~mask) | (version_bits & mask), as 8 hex digits. */
function rolled(jobVersion: string, bits: string, mask: number): string {
  const v = ((parseInt(jobVersion, 16) & ~mask) | (parseInt(bits, 16) & mask)) >>> 0;
  return v.toString(16).padStart(8, '0');
}

function hashValue(hash: Buffer): bigint {
  return BigInt(`0x${Buffer.from(hash).reverse().toString('hex')}`);
}

// ---- a tiny Stratum pool speaking raw JSON lines ---------------------------------------------------

interface Rpc {
  id: number | string | null;
  method?: string;
  params?: unknown[];
}

type Handler = (pool: FakePool, conn: number, msg: Rpc) => void;

class FakePool {
  readonly received: { conn: number; msg: Rpc }[] = [];
  port = 0;
  private readonly server = net.createServer((socket) => this.accept(socket));
  private readonly sockets: net.Socket[] = [];
  private readonly waiters: { match: (conn: number, msg: Rpc) => boolean; resolve: (m: Rpc) => void }[] = [];

  constructor(private readonly handler: Handler) {}

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this;
  }

  get url(): string {
    return `stratum+tcp://127.0.0.1:${this.port}`;
  }

  get connections(): number {
    return this.sockets.length;
  }

  send(conn: number, message: object): void {
    this.sockets[conn]?.write(`${JSON.stringify(message)}\n`);
  }

  reply(conn: number, id: Rpc['id'], result: unknown, error: unknown = null): void {
    this.send(conn, { id, result, error });
  }

  drop(conn: number): void {
    this.sockets[conn]?.destroy();
  }

  /** Resolves with the first message (already received or to come) that matches. */
  waitFor(match: (conn: number, msg: Rpc) => boolean): Promise<Rpc> {
    const seen = this.received.find((r) => match(r.conn, r.msg));
    if (seen !== undefined) return Promise.resolve(seen.msg);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    const conn = this.sockets.push(socket) - 1;
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('error', () => undefined);
    socket.on('data', (data: string) => {
      buffered += data;
      for (let i = buffered.indexOf('\n'); i >= 0; i = buffered.indexOf('\n')) {
        const msg = JSON.parse(buffered.slice(0, i)) as Rpc;
        buffered = buffered.slice(i + 1);
        this.received.push({ conn, msg });
        this.handler(this, conn, msg);
        for (const w of [...this.waiters]) {
          if (w.match(conn, msg)) {
            this.waiters.splice(this.waiters.indexOf(w), 1);
            w.resolve(msg);
          }
        }
      }
    });
  }
}

function subscribeResult(sessionId: string, extranonce1 = EXTRANONCE1): unknown[] {
  return [[['mining.set_difficulty', sessionId], ['mining.notify', sessionId]], extranonce1, 4];
}

function notifyParams(jobId: string, clean = true): unknown[] {
  return [jobId, PREVHASH_STRATUM, COINB1, COINB2, BRANCH, VERSION, NBITS, NTIME, clean];
}

function when<T extends MinerEvent['type']>(
  miner: Miner,
  type: T,
  match: (e: Extract<MinerEvent, { type: T }>) => boolean = () => true,
): Promise<Extract<MinerEvent, { type: T }>> {
  return firstValueFrom(
    miner.events$.pipe(filter((e): e is Extract<MinerEvent, { type: T }> => e.type === type && match(e as Extract<MinerEvent, { type: T }>))),
  );
}

/**
 * A coin whose "hasher" scans nothing: each chunk resolves on the next timer tick with one hit at its
 * first nonce. Its header is the job id padded with dots; `built` records the shares headers are built for.
 */
function fakeCoin(scans: ScanRequest[], built: ShareSubmission[] = [], failScan = false): CoinPlugin {
  return {
    id: 'btc',
    name: 'fake',
    algorithm: 'sha256d',
    dialects: ['bitcoin'],
    diff1Target: DIFF1,
    hasher: {
      implementation: 'fake',
      hash: () => Buffer.alloc(32),
      scan: async (req: ScanRequest) => {
        if (failScan) throw new Error('addon exploded');
        scans.push(req);
        await new Promise((resolve) => setTimeout(resolve, 1));
        return { hits: [{ nonce: req.startNonce, hash: Buffer.alloc(32) }], hashes: req.count };
      },
    },
    buildHeader: (job: { id: string }, share: ShareSubmission) => {
      built.push(share);
      return Buffer.from(job.id.padEnd(80, '.'), 'latin1').subarray(0, 80);
    },
    displayHash: (h: Buffer) => Buffer.from(h).reverse().toString('hex'),
  } as unknown as CoinPlugin;
}

/** A logger that keeps every message in order (the miner's own timeline). */
function capturingLogger(lines: string[]): LodeLogger {
  const log: LodeLogger = {
    debug: (_o, msg) => void (msg !== undefined && lines.push(msg)),
    info: (_o, msg) => void (msg !== undefined && lines.push(msg)),
    warn: (_o, msg) => void (msg !== undefined && lines.push(msg)),
    error: (_o, msg) => void (msg !== undefined && lines.push(msg)),
    child: () => log,
  };
  return log;
}

/** How many shares the miner had written before the given log line (a prefix of what the pool reads, in order). */
function submitsBefore(lines: string[], line: string): number {
  const at = lines.indexOf(line);
  expect(at).toBeGreaterThanOrEqual(0);
  return lines.slice(0, at).filter((l) => l.startsWith('miner: submitting ')).length;
}

const CONFIGURE_GRANTED = {
  'version-rolling': true,
  'version-rolling.mask': '1fffe000',
  'subscribe-extranonce': true,
  info: true,
};

/** A pool that grants version rolling with `grant` (or answers configure with `configure`) and accepts every share. */
function rollingPool(
  submits: { params: string[]; mask: number | undefined }[],
  configure: (p: FakePool, conn: number, msg: Rpc) => void = (p, conn, msg) => p.reply(conn, msg.id, CONFIGURE_GRANTED),
  difficulty?: number,
): Handler & { mask: number | undefined } {
  const handler = ((p: FakePool, conn: number, msg: Rpc) => {
    switch (msg.method) {
      case 'mining.configure':
        handler.mask = 0x1fffe000;
        configure(p, conn, msg);
        break;
      case 'mining.subscribe':
        p.reply(conn, msg.id, subscribeResult('s'));
        if (difficulty !== undefined) p.send(conn, { id: null, method: 'mining.set_difficulty', params: [difficulty] });
        p.send(conn, { id: null, method: 'mining.notify', params: notifyParams('b1263442') });
        break;
      case 'mining.submit':
        submits.push({ params: (msg.params ?? []) as string[], mask: handler.mask });
        p.reply(conn, msg.id, true);
        break;
      default:
        p.reply(conn, msg.id, true);
    }
  }) as Handler & { mask: number | undefined };
  handler.mask = undefined;
  return handler;
}

// ---- the tests -------------------------------------------------------------------------------------

let pools: FakePool[] = [];
let miners: Miner[] = [];

async function startPool(handler: Handler): Promise<FakePool> {
  const pool = await new FakePool(handler).listen();
  pools.push(pool);
  return pool;
}

function newMiner(options: Partial<ConstructorParameters<typeof Miner>[0]> & { url: string; coin: CoinPlugin }): Miner {
  const miner = new Miner({ user: 'tester.rig1', threads: 2, statsIntervalMs: 0, ...options });
  miners.push(miner);
  return miner;
}

afterEach(async () => {
  await Promise.all(miners.map((m) => m.stop('test over')));
  await Promise.all(pools.map((p) => p.close()));
  miners = [];
  pools = [];
});

describe('the test header builder', () => {
  describe('when given block 1263442 with a zero extranonce', () => {
    it('reproduces the real header and hash', () => {
      expect(COINB1 + '00'.repeat(8) + COINB2).toBe(COINBASE);
      const header = headerFor('00000000', '00000000', NTIME, '9a3b3338');
      expect(header.toString('hex')).toBe(FACTS_HEADER);
      expect(Buffer.from(sha256d(header)).reverse().toString('hex')).toBe(FACTS_HASH);
    });
  });
});

describe('Miner', () => {
  describe('when mining a real job with the native hasher against a loopback pool', () => {
    it('submits shares whose sha256d meets the share target, and counts the pool\'s answers', async () => {
      const coin = selectCoin(loadPlugins(new Container(), discoverPlugins({ from: __dirname, plugins: 'auto' })), 'btc');
      const submits: unknown[][] = [];
      const pool = await startPool((p, conn, msg) => {
        switch (msg.method) {
          case 'mining.subscribe':
            p.reply(conn, msg.id, subscribeResult('s1'));
            p.send(conn, { id: null, method: 'mining.set_difficulty', params: [SHARE_DIFFICULTY] });
            p.send(conn, { id: null, method: 'mining.notify', params: notifyParams('b1263442') });
            break;
          case 'mining.authorize':
          case 'mining.extranonce.subscribe':
            p.reply(conn, msg.id, true);
            break;
          case 'mining.submit':
            submits.push(msg.params ?? []);
            if (submits.length === 2) p.reply(conn, msg.id, null, [23, 'Low difficulty share', null]);
            else p.reply(conn, msg.id, true);
            break;
          default:
            p.reply(conn, msg.id, null, [20, 'unknown', null]);
        }
      });
      const miner = newMiner({ url: pool.url, coin });
      const events: MinerEvent[] = [];
      miner.events$.subscribe((e) => events.push(e));
      const accepted = when(miner, 'accepted', (e) => e.accepted >= 2);
      const rejected = when(miner, 'rejected');
      const job = when(miner, 'job');
      miner.start();

      expect(await job).toMatchObject({ jobId: 'b1263442', difficulty: SHARE_DIFFICULTY, clean: true });
      expect(await rejected).toMatchObject({ message: 'Low difficulty share', code: 23, rejected: 1 });
      await accepted;
      const stats = await miner.stop();

      expect(submits.length).toBeGreaterThanOrEqual(3);
      expect(stats.rejected).toBe(1);
      expect(stats.accepted + stats.rejected + stats.lost).toBe(submits.length);
      // one 'submitted' event per submit, and every answer says how long it took
      expect(events.filter((e) => e.type === 'submitted')).toHaveLength(submits.length);
      const answers = events.filter((e) => e.type === 'accepted' || e.type === 'rejected');
      expect(answers).toHaveLength(stats.accepted + stats.rejected);
      for (const e of answers) expect((e as { seconds: number }).seconds).toBeGreaterThanOrEqual(0);
      for (const [worker, jobId, extranonce2, ntime, nonce] of submits as string[][]) {
        expect([worker, jobId, ntime]).toEqual(['tester.rig1', 'b1263442', NTIME]);
        expect(extranonce2).toMatch(/^[0-9a-f]{8}$/);
        expect(nonce).toMatch(/^[0-9a-f]{8}$/);
        const hash = sha256d(headerFor(EXTRANONCE1, extranonce2!, ntime!, nonce!));
        expect(hashValue(hash) <= SHARE_TARGET).toBe(true);
      }
      expect(stats.totalHashes).toBeGreaterThan(0);
      expect(['sha-ni', 'portable']).toContain(stats.implementation);
    });
  });

  describe('when the pool drops the connection', () => {
    it('reconnects and resubscribes with its session id', async () => {
      const pool = await startPool((p, conn, msg) => {
        if (msg.method === 'mining.subscribe') p.reply(conn, msg.id, subscribeResult(`session-${conn}`));
        else if (msg.method === 'mining.authorize') {
          p.reply(conn, msg.id, true);
          if (conn === 0) p.drop(conn);
        } else p.reply(conn, msg.id, true);
      });
      const miner = newMiner({ url: pool.url, coin: fakeCoin([]), backoff: { initialMs: 10 } });
      const disconnected = when(miner, 'disconnected');
      const second = when(miner, 'subscribed', (e) => e.sessionId === 'session-1');
      miner.start();

      expect((await disconnected).retryInMs).toBe(10);
      await second;
      const first = await pool.waitFor((conn, m) => conn === 0 && m.method === 'mining.subscribe');
      const again = await pool.waitFor((conn, m) => conn === 1 && m.method === 'mining.subscribe');
      expect(first.params).toEqual(['lode-miner/0.1.0']);
      expect(again.params).toEqual(['lode-miner/0.1.0', 'session-0']);
    });
  });

  describe('when the pool sends client.reconnect', () => {
    it('goes to the given host and port', async () => {
      const target = await startPool((p, conn, msg) => {
        p.reply(conn, msg.id, msg.method === 'mining.subscribe' ? subscribeResult('t') : true);
      });
      const origin = await startPool((p, conn, msg) => {
        if (msg.method === 'mining.subscribe') p.reply(conn, msg.id, subscribeResult('o'));
        else p.reply(conn, msg.id, true);
        if (msg.method === 'mining.authorize') {
          p.send(conn, { id: null, method: 'client.reconnect', params: ['127.0.0.1', target.port, 0] });
        }
      });
      const miner = newMiner({ url: origin.url, coin: fakeCoin([]), backoff: { initialMs: 60_000 } });
      const connected = when(miner, 'connected', (e) => e.url === target.url);
      miner.start();

      await connected;
      await target.waitFor((_c, m) => m.method === 'mining.authorize');
      expect(origin.connections).toBe(1);
    });
  });

  describe('when a new job arrives while one is being scanned', () => {
    it('scans the new job from the next chunk on and submits its hits with its id', async () => {
      const scans: ScanRequest[] = [];
      const pool = await startPool((p, conn, msg) => {
        if (msg.method === 'mining.subscribe') {
          p.reply(conn, msg.id, subscribeResult('s'));
          p.send(conn, { id: null, method: 'mining.notify', params: notifyParams('first') });
        } else p.reply(conn, msg.id, true);
      });
      const miner = newMiner({ url: pool.url, coin: fakeCoin(scans) });
      const firstAccepted = when(miner, 'accepted', (e) => e.jobId === 'first');
      const secondAccepted = when(miner, 'accepted', (e) => e.jobId === 'second');
      miner.start();

      await firstAccepted;
      pool.send(0, { id: null, method: 'mining.set_difficulty', params: [2] });
      pool.send(0, { id: null, method: 'mining.notify', params: notifyParams('second', false) });
      expect(await secondAccepted).toMatchObject({ jobId: 'second', difficulty: 2 });
      await miner.stop();

      const jobs = scans.map((s) => s.header.toString('latin1').replace(/\.+$/, ''));
      const switchedAt = jobs.indexOf('second');
      expect(switchedAt).toBeGreaterThan(0);
      expect(jobs.slice(switchedAt).every((j) => j === 'second')).toBe(true);
      // difficulty 2 -> target 0xffff * 2^207, carried into the scanner with the job
      expect(scans[switchedAt]!.target).toBe(DIFF1 / 2n);
      const submitted = await pool.waitFor((_c, m) => m.method === 'mining.submit' && (m.params ?? [])[1] === 'second');
      expect((submitted.params ?? [])[0]).toBe('tester.rig1');
    });
  });

  describe('when the pool sets a new extranonce', () => {
    it('mines the jobs that follow with it', async () => {
      const built: ShareSubmission[] = [];
      const pool = await startPool((p, conn, msg) => {
        if (msg.method === 'mining.subscribe') {
          p.reply(conn, msg.id, subscribeResult('s', '01020304'));
          p.send(conn, { id: null, method: 'mining.notify', params: notifyParams('before') });
        } else p.reply(conn, msg.id, true);
      });
      const miner = newMiner({ url: pool.url, coin: fakeCoin([], built) });
      const firstAccepted = when(miner, 'accepted', (e) => e.jobId === 'before');
      const afterAccepted = when(miner, 'accepted', (e) => e.jobId === 'after');
      miner.start();

      await pool.waitFor((_c, m) => m.method === 'mining.extranonce.subscribe');
      await firstAccepted;
      pool.send(0, { id: null, method: 'mining.set_extranonce', params: ['a1b2c3d4e5', 2] });
      pool.send(0, { id: null, method: 'mining.notify', params: notifyParams('after') });
      await afterAccepted;
      await miner.stop();

      const forJob = (id: string): string[] =>
        [...new Set(built.filter((b) => b.jobId === id).map((b) => `${b.extranonce1.toString('hex')}/${b.extranonce2.length}`))];
      expect(forJob('before')).toEqual(['01020304/4']);
      expect(forJob('after')).toEqual(['a1b2c3d4e5/2']);
      const submit = await pool.waitFor((_c, m) => m.method === 'mining.submit' && (m.params ?? [])[1] === 'after');
      expect((submit.params ?? [])[2]).toMatch(/^[0-9a-f]{4}$/);
    });
  });

  describe('when the native scan fails', () => {
    it('reports a fatal event and stops', async () => {
      const pool = await startPool((p, conn, msg) => {
        if (msg.method === 'mining.subscribe') {
          p.reply(conn, msg.id, subscribeResult('s'));
          p.send(conn, { id: null, method: 'mining.notify', params: notifyParams('j') });
        } else p.reply(conn, msg.id, true);
      });
      const miner = newMiner({ url: pool.url, coin: fakeCoin([], [], true) });
      const fatal = when(miner, 'fatal');
      const ended = new Promise<void>((resolve) => miner.events$.subscribe({ complete: resolve }));
      miner.start();

      expect((await fatal).error.message).toBe('native scan of job j failed: addon exploded');
      await ended;
    });
  });

  describe('when the pool grants version rolling in mining.configure (BIP 310)', () => {
    it('configures first, rolls within the mask, and honours set_version_mask at once', async () => {
      const coin = selectCoin(loadPlugins(new Container(), discoverPlugins({ from: __dirname, plugins: 'auto' })), 'btc');
      const submits: { params: string[]; mask: number | undefined }[] = [];
      const handler = rollingPool(submits, undefined, SHARE_DIFFICULTY);
      const pool = await startPool(handler);
      const lines: string[] = [];
      const miner = newMiner({ url: pool.url, coin, logger: capturingLogger(lines) });
      const configured = when(miner, 'configured');
      const firstAccepted = when(miner, 'accepted', (e) => e.accepted >= 3);
      const maskChanged = when(miner, 'version-mask');
      miner.start();

      expect(await configured).toMatchObject({ versionMask: 0x1fffe000, subscribeExtranonce: true, minimumDifficulty: undefined });
      await firstAccepted;
      expect(miner.stats.versionMask).toBe(0x1fffe000);
      handler.mask = 0x1f7fe000;
      pool.send(0, { id: null, method: 'mining.set_version_mask', params: ['1f7fe000'] });
      expect((await maskChanged).mask).toBe(0x1f7fe000);
      const after = submitsBefore(lines, 'miner: version mask now 1f7fe000');
      await when(miner, 'accepted', (e) => e.accepted >= after + 3);
      expect(miner.stats.versionMask).toBe(0x1f7fe000);
      await miner.stop();

      // The first line is the configure request, exactly.
      expect(pool.received[0]!.msg).toEqual({
        id: 1,
        method: 'mining.configure',
        params: [
          ['version-rolling', 'subscribe-extranonce', 'info'],
          {
            'version-rolling.mask': 'ffffffff',
            'info.connection-url': pool.url,
            'info.hw-version': 'cpu',
            'info.sw-version': 'lode-miner/0.1.0',
            'info.hw-id': hostname(),
          },
        ],
      });
      expect(pool.received[1]!.msg.method).toBe('mining.subscribe');
      // subscribe-extranonce was granted: no separate mining.extranonce.subscribe
      expect(pool.received.some((r) => r.msg.method === 'mining.extranonce.subscribe')).toBe(false);
      expect(lines).toContain('miner: configured version-rolling mask 1fffe000 (asked ffffffff)');

      expect(submits.length).toBeGreaterThanOrEqual(after + 3);
      submits.forEach(({ params: [worker, jobId, extranonce2, ntime, nonce, bits], mask }, i) => {
        expect([worker, jobId, ntime]).toEqual(['tester.rig1', 'b1263442', NTIME]);
        expect(bits).toMatch(/^[0-9a-f]{8}$/);
        const value = parseInt(bits!, 16);
        expect(value).not.toBe(0);
        expect((value & ~0x1fffe000) >>> 0).toBe(0);
        if (i >= after) expect((value & ~0x1f7fe000) >>> 0).toBe(0);
        // rebuilt as the pool does, with the mask in force when the submit arrived
        const header = headerFor(EXTRANONCE1, extranonce2!, ntime!, nonce!, rolled(VERSION, bits!, mask!));
        expect(hashValue(sha256d(header)) <= SHARE_TARGET).toBe(true);
      });
    });
  });

  describe('when set_version_mask leaves out the bits being rolled', () => {
    it('drops the current chunk\'s hits as stale and rolls within the new mask from the next header', async () => {
      const built: ShareSubmission[] = [];
      const submits: { params: string[]; mask: number | undefined }[] = [];
      const handler = rollingPool(submits);
      const pool = await startPool(handler);
      const lines: string[] = [];
      const miner = newMiner({ url: pool.url, coin: fakeCoin([], built), logger: capturingLogger(lines) });
      const rolledTwice = when(miner, 'accepted', (e) => e.versionBits === 0x4000);
      const maskChanged = when(miner, 'version-mask');
      miner.start();

      await rolledTwice;
      handler.mask = 0x00c00000;
      pool.send(0, { id: null, method: 'mining.set_version_mask', params: ['00c00000'] });
      await maskChanged;
      const after = submitsBefore(lines, 'miner: version mask now 00c00000');
      await when(miner, 'accepted', (e) => e.accepted >= after + 6);
      const stats = await miner.stop();

      const bits = submits.map((s) => parseInt(s.params[5]!, 16));
      expect(submits.every((s) => s.params.length === 6)).toBe(true);
      expect(bits.slice(0, after).every((b) => b !== 0 && (b & ~0x1fffe000) === 0)).toBe(true);
      expect(bits.slice(after).every((b) => (b & ~0x00c00000) === 0)).toBe(true);
      expect(bits.slice(after, after + 3)).toEqual(expect.arrayContaining([0x00400000]));
      // the chunk being scanned when the mask came was rolled with bits the new mask leaves out
      expect(stats.stale).toBe(1);
      const switchedAt = built.findIndex((b) => b.versionMask === 0x00c00000);
      expect(built[switchedAt]).toMatchObject({ versionBits: 0x00400000 });
      expect(built[switchedAt]!.extranonce2.toString('hex')).toBe('00000001');
      expect(built.slice(switchedAt).every((b) => b.versionMask === 0x00c00000)).toBe(true);
    });
  });

  describe('when configure is turned off', () => {
    it('sends no mining.configure and submits 5 params', async () => {
      const submits: { params: string[]; mask: number | undefined }[] = [];
      const pool = await startPool(rollingPool(submits));
      const miner = newMiner({ url: pool.url, coin: fakeCoin([]), configure: false });
      const accepted = when(miner, 'accepted', (e) => e.accepted >= 2);
      miner.start();

      expect((await accepted).versionBits).toBeUndefined();
      const stats = await miner.stop();
      expect(pool.received[0]!.msg.method).toBe('mining.subscribe');
      expect(pool.received.some((r) => r.msg.method === 'mining.configure')).toBe(false);
      expect(pool.received.some((r) => r.msg.method === 'mining.extranonce.subscribe')).toBe(true);
      expect(submits.length).toBeGreaterThanOrEqual(2);
      expect(submits.every((s) => s.params.length === 5)).toBe(true);
      expect(stats.versionMask).toBeUndefined();
    });
  });

  describe('when the pool does not know mining.configure (-32601)', () => {
    it('goes on without rolling and subscribes to extranonce the old way', async () => {
      const submits: { params: string[]; mask: number | undefined }[] = [];
      const pool = await startPool(
        rollingPool(submits, (p, conn, msg) => p.reply(conn, msg.id, null, { code: -32601, message: 'Method not found' })),
      );
      const lines: string[] = [];
      const miner = newMiner({ url: pool.url, coin: fakeCoin([]), logger: capturingLogger(lines) });
      const configured = when(miner, 'configured');
      const accepted = when(miner, 'accepted', (e) => e.accepted >= 2);
      miner.start();

      expect(await configured).toMatchObject({ versionMask: undefined, subscribeExtranonce: false });
      await accepted;
      const stats = await miner.stop();
      expect(pool.received[0]!.msg.method).toBe('mining.configure');
      expect(lines).toContain('miner: version rolling refused by the pool');
      expect(pool.received.some((r) => r.msg.method === 'mining.extranonce.subscribe')).toBe(true);
      expect(submits.every((s) => s.params.length === 5)).toBe(true);
      expect(stats.versionMask).toBeUndefined();
    });
  });

  describe('when the pool closes the connection on mining.configure', () => {
    it('reconnects and mines without sending it again', async () => {
      const submits: { params: string[]; mask: number | undefined }[] = [];
      const pool = await startPool(rollingPool(submits, (p, conn) => p.drop(conn)));
      const miner = newMiner({ url: pool.url, coin: fakeCoin([]), backoff: { initialMs: 10 } });
      const accepted = when(miner, 'accepted');
      miner.start();

      await accepted;
      await miner.stop();
      expect(pool.received.filter((r) => r.msg.method === 'mining.configure').map((r) => r.conn)).toEqual([0]);
      expect(pool.received.find((r) => r.conn === 1)!.msg.method).toBe('mining.subscribe');
      expect(submits.every((s) => s.params.length === 5)).toBe(true);
    });
  });

  describe('when a minimum difficulty is asked for and version rolling is not', () => {
    it('sends minimum-difficulty.value and logs the pool\'s verdict', async () => {
      const pool = await startPool(
        rollingPool([], (p, conn, msg) => p.reply(conn, msg.id, { 'minimum-difficulty': false, 'subscribe-extranonce': false, info: false })),
      );
      const lines: string[] = [];
      const miner = newMiner({
        url: pool.url,
        coin: fakeCoin([]),
        logger: capturingLogger(lines),
        versionRollingMask: null,
        minimumDifficulty: 2048,
        extranonceSubscribe: false,
      });
      const configured = when(miner, 'configured');
      miner.start();

      expect(await configured).toMatchObject({ versionMask: undefined, minimumDifficulty: false, subscribeExtranonce: false });
      await miner.stop();
      const [codes, params] = pool.received[0]!.msg.params as [string[], Record<string, unknown>];
      expect([...codes].sort()).toEqual(['info', 'minimum-difficulty']);
      expect(params).toMatchObject({ 'minimum-difficulty.value': 2048 });
      expect(params).not.toHaveProperty('version-rolling.mask');
      expect(lines).toContain('miner: minimum difficulty 2048 refused');
      expect(lines.some((l) => l.includes('version rolling'))).toBe(false);
    });
  });

  describe('when given a version mask that is not a non-zero uint32', () => {
    it('throws a config LodeError naming the value', () => {
      expect(() => new Miner({ url: 'stratum+tcp://127.0.0.1:1', user: 'w', threads: 1, coin: fakeCoin([]), versionRollingMask: 0 })).toThrow(
        'versionRollingMask must be a non-zero uint32 (e.g. 0x1fffe000) or null, got 0',
      );
    });
  });
});
