import type { WarthogNotifyParams } from '@lode/dialect-warthog';
import { LodeError, silentLogger } from '@lode/stratum-core';
import { firstValueFrom, toArray } from 'rxjs';
import type { UpstreamJob, UpstreamLink } from '../core/upstream-link';
import { connectWarthogUpstream } from './connect-warthog-upstream';
import { FakeWarthogPool, type FakeWarthogPoolOptions } from './testing/fake-warthog-pool';

/** facts/warthog.md §6-H: the job of the synthetic session (block 1949766's fields, §6-C case-1 merkle prefix) */
const H6_JOB: WarthogNotifyParams = {
  jobId: '195376b1b447d59c316400e809d29a67eaeec334c6c2b58baae2b91e203e1895',
  prevHash: '05b42d206f8a4b2b8094199fd28423151af8aa54a5073ac6e6805f42096dc3a2',
  merklePrefix: '33fdd49cb7a62536f3c56e5c62d809518871632bba3f9a399bf4c13aeeb464dc',
  version: 0x00000003,
  nbits: 0x0ae7cde7,
  ntime: 0x66f2fefb,
  clean: true,
};
/** facts/warthog.md §6-H: the subscribe reply's extranonce1 and extranonce2 size, the share's extranonce2 */
const EN1 = Buffer.from('00000001', 'hex');
const EN2 = Buffer.from('000000000002', 'hex');
const USER = '3661579d61abde5837a8686dc4d65348a2fc61b1fe5f4093.rig1';
/** Warthog's difficulty-1 target: 2^256 (facts/warthog.md §3: share target = 1/difficulty, no 2^32) */
const DIFF1 = 1n << 256n;

const OPTIONS = { diff1Target: DIFF1, logger: silentLogger, connectTimeoutMs: 5000, userAgent: 'lode-proxy/test' };

describe('connectWarthogUpstream', () => {
  let pool: FakeWarthogPool;
  let link: UpstreamLink | undefined;

  async function open(overrides: Partial<FakeWarthogPoolOptions> = {}, legacySubmit?: boolean): Promise<UpstreamLink> {
    pool = await FakeWarthogPool.start({ extranonce1: EN1, extranonce2Size: 6, difficulty: 500000, firstJob: H6_JOB, ...overrides });
    link = await connectWarthogUpstream(
      { name: 'wart-a', url: pool.url, user: USER, password: 'x' },
      legacySubmit === undefined ? OPTIONS : { ...OPTIONS, legacySubmit },
    );
    return link;
  }

  afterEach(async () => {
    link?.close('test over');
    link = undefined;
    await pool.stop();
  });

  describe('when the upstream subscribes and authorizes', () => {
    it('resolves with the subscribe reply extranonce1 and extranonce2 size', async () => {
      const up = await open();
      expect(up.name).toBe('wart-a');
      expect(up.dialect).toBe('warthog');
      expect(up.extranonce1).toEqual(EN1);
      expect(up.extranonce2Size).toBe(6);
      expect(up.versionMask).toBeUndefined();
      expect(pool.userAgents).toEqual(['lode-proxy/test']);
      expect(pool.authorizations).toEqual([{ workerName: USER, password: 'x' }]);
    });

    it('maps the first job to WarthogWork with the target 2^256 / difficulty and no height', async () => {
      const up = await open();
      await expect(firstValueFrom(up.jobs$)).resolves.toEqual<UpstreamJob>({
        jobId: H6_JOB.jobId,
        work: {
          dialect: 'warthog',
          prevHash: H6_JOB.prevHash,
          merklePrefix: H6_JOB.merklePrefix,
          version: 3,
          nbits: 0x0ae7cde7,
          ntime: 0x66f2fefb,
        },
        clean: true,
        target: DIFF1 / 500000n,
      });
    });

    it('binds a new difficulty to the next job only, fractional difficulties included', async () => {
      const up = await open();
      const seen: UpstreamJob[] = [];
      const done = new Promise<void>((resolve) => {
        up.jobs$.subscribe((j) => {
          seen.push(j);
          if (j.jobId === 'j3') resolve();
        });
      });
      pool.sendDifficulty(0.5);
      pool.sendJob({ ...H6_JOB, jobId: 'j2', clean: false });
      pool.sendDifficulty(1000);
      pool.sendJob({ ...H6_JOB, jobId: 'j3', clean: false, ntime: 0x66f2ff00 });
      await done;
      expect(seen.map((j) => [j.jobId, j.target, j.clean])).toEqual([
        [H6_JOB.jobId, DIFF1 / 500000n, true],
        // 2^256 / 0.5 does not fit 256 bits: the target is clamped to 2^256 - 1
        ['j2', DIFF1 - 1n, false],
        ['j3', DIFF1 / 1000n, false],
      ]);
      expect(seen[2].work).toMatchObject({ ntime: 0x66f2ff00 });
    });
  });

  describe('when a share is forwarded', () => {
    it('submits the 4-parameter form with extranonce2, ntime and nonce exactly as given (facts/warthog.md §6-H id 3)', async () => {
      const up = await open();
      await expect(up.submit({ jobId: H6_JOB.jobId, extranonce2: EN2, ntime: 0x66f2fefb, nonce: 0x00002df1 })).resolves.toEqual({ accepted: true });
      expect(pool.submits).toEqual([{ workerName: USER, jobId: H6_JOB.jobId, extranonce2: EN2, ntime: 0x66f2fefb, nonce: 0x00002df1 }]);
    });

    it('turns the pool error into a refusal with its message and code', async () => {
      const up = await open({ verdict: () => ({ accepted: false, reason: 'low-difficulty', message: '' }) });
      await expect(up.submit({ jobId: H6_JOB.jobId, extranonce2: EN2, ntime: 0x66f2fefb, nonce: 0x00000456 })).resolves.toEqual({
        accepted: false,
        reason: 'low difficulty share (23)',
      });
    });

    it('refuses an extranonce2 of the wrong size before sending anything', async () => {
      const up = await open();
      await expect(up.submit({ jobId: H6_JOB.jobId, extranonce2: Buffer.alloc(4), ntime: 0x66f2fefb, nonce: 1 })).rejects.toThrow(
        'extranonce2 for upstream wart-a is 4 bytes, the upstream expects 6',
      );
      expect(pool.submits).toEqual([]);
    });

    it('refuses to credit another worker in the 4-parameter form, and has no authorizeWorker', async () => {
      const up = await open();
      expect(up.authorizeWorker).toBeUndefined();
      await expect(
        up.submit({ jobId: H6_JOB.jobId, extranonce2: EN2, ntime: 0x66f2fefb, nonce: 0x2df1, workerName: 'addr.rig2' }),
      ).rejects.toMatchObject({ kind: 'config' });
      expect(pool.submits).toEqual([]);
    });

    it('with legacySubmit, authorizes a worker with its own password through authorizeWorker', async () => {
      const up = await open({ authorize: (req) => req.password !== 'nope' }, true);
      await expect(up.authorizeWorker?.('addr.rig3', 'pw3')).resolves.toBe(true);
      await expect(up.authorizeWorker?.('addr.rig4', 'nope')).resolves.toBe(false);
      await expect(
        up.submit({ jobId: H6_JOB.jobId, extranonce2: EN2, ntime: 0x66f2fefb, nonce: 0x2df1, workerName: 'addr.rig3' }),
      ).resolves.toEqual({ accepted: true });
      expect(pool.authorizations.map((a) => [a.workerName, a.password])).toEqual([
        [USER, 'x'],
        ['addr.rig3', 'pw3'],
        ['addr.rig4', 'nope'],
      ]);
      expect(pool.submits.map((s) => s.workerName)).toEqual(['addr.rig3']);
    });

    it('with legacySubmit, authorizes a passed-through worker once and names it in the 5-parameter submit', async () => {
      const up = await open({ authorize: (req) => req.workerName !== 'addr.mallory' }, true);
      const share = { jobId: H6_JOB.jobId, extranonce2: EN2, ntime: 0x66f2fefb, nonce: 0x2df1 };
      await expect(up.submit({ ...share, workerName: 'addr.rig2' })).resolves.toEqual({ accepted: true });
      await expect(up.submit({ ...share, workerName: 'addr.rig2' })).resolves.toEqual({ accepted: true });
      await expect(up.submit(share)).resolves.toEqual({ accepted: true });
      await expect(up.submit({ ...share, workerName: 'addr.mallory' })).resolves.toEqual({
        accepted: false,
        reason: 'the upstream refused worker addr.mallory',
      });
      expect(pool.authorizations.map((a) => a.workerName)).toEqual([USER, 'addr.rig2', 'addr.mallory']);
      expect(pool.submits.map((s) => s.workerName)).toEqual(['addr.rig2', 'addr.rig2', USER]);
    });
  });

  describe('when the connection ends', () => {
    it('emits the close reason once and refuses later shares', async () => {
      const up = await open();
      const closed = firstValueFrom(up.closed$.pipe(toArray()));
      up.close('proxy shutting down');
      await expect(closed).resolves.toEqual(['proxy shutting down']);
      await expect(up.submit({ jobId: H6_JOB.jobId, extranonce2: EN2, ntime: 0x66f2fefb, nonce: 1 })).rejects.toThrow(
        new LodeError('connection', 'upstream wart-a is closed (proxy shutting down)'),
      );
    });

    it('closes on client.reconnect from the pool', async () => {
      const up = await open();
      const closed = firstValueFrom(up.closed$);
      pool.sessions[0].reconnect('wart.example.com', 3456, 0);
      await expect(closed).resolves.toBe('client.reconnect from the upstream (to wart.example.com:3456)');
    });

    it('rejects the connect with LodeError(connection) when the pool refuses the worker', async () => {
      pool = await FakeWarthogPool.start({ extranonce1: EN1, extranonce2Size: 6, difficulty: 1, firstJob: H6_JOB, authorize: () => false });
      const attempt = connectWarthogUpstream({ name: 'wart-a', url: pool.url, user: 'addr.nobody', password: 'x' }, OPTIONS);
      await expect(attempt).rejects.toThrow(new LodeError('connection', 'the upstream refused worker addr.nobody'));
    });

    it('refuses an EthereumStratum URL as a config error', async () => {
      pool = await FakeWarthogPool.start({ extranonce1: EN1, extranonce2Size: 6, difficulty: 1, firstJob: H6_JOB });
      await expect(connectWarthogUpstream({ name: 'wart-a', url: 'stratum3+tcp://127.0.0.1:1', user: 'u', password: 'x' }, OPTIONS)).rejects.toMatchObject({
        kind: 'config',
      });
    });
  });
});
