import { LodeError, silentLogger } from '@lode/stratum-core';
import { firstValueFrom, toArray } from 'rxjs';
import type { UpstreamJob, UpstreamLink } from '../core/upstream-link';
import { connectEthUpstream } from './connect-eth-upstream';
import { FakeEthPool, type FakeEthJob } from './testing/fake-eth-pool';

/**
 * facts/ethash.md §4.1, chfast test_cases row "2683077 | 89": header, and the
 * nonce 8c5eaec000788d41 split as the upstream extranonce 8c5eae plus the
 * 5-byte miner nonce c000788d41.
 */
const HEADER_89 = '0313d03c5ed78694c90ecb3d04190b82d5b222c75ba4cab83383dde4d11ed512';
const EXTRANONCE = Buffer.from('8c5eae', 'hex');
const MINER_NONCE = Buffer.from('c000788d41', 'hex');
/** facts/ethash.md §1.3: the `mining.set` example target (left-padded to 64 hex digits by the client) */
const SET_TARGET = 0x0112e0be826d694b2e62d01511f12a6061fbaec8bc02357593e70e52ban;
/** facts/ethash.md §1.3 / EIP-1571: the default target 0x00000000ffff0000... */
const DEFAULT_TARGET = 0xffffn << 208n;

const FIRST_JOB: FakeEthJob = { jobId: 'bf0488aa', height: 2683077, headerHash: HEADER_89, clean: true, epoch: 89, algo: 'ethash', target: SET_TARGET };

const OPTIONS = { diff1Target: 1n << 256n, logger: silentLogger, connectTimeoutMs: 5000, userAgent: 'lode-proxy/test' };

describe('connectEthUpstream', () => {
  let pool: FakeEthPool;
  let link: UpstreamLink | undefined;

  async function open(overrides: Partial<Parameters<typeof FakeEthPool.start>[0]> = {}): Promise<UpstreamLink> {
    pool = await FakeEthPool.start({ extranonce: EXTRANONCE, firstJob: FIRST_JOB, ...overrides });
    link = await connectEthUpstream({ name: 'up-a', url: pool.url, user: 'acct.proxy', password: 'pw' }, OPTIONS);
    return link;
  }

  afterEach(async () => {
    link?.close('test over');
    link = undefined;
    await pool.stop();
  });

  describe('when the upstream says hello, subscribes and authorizes', () => {
    it('resolves with the mining.set extranonce as extranonce1 and the nonce bytes after it as extranonce2Size', async () => {
      const up = await open();
      expect(up.name).toBe('up-a');
      expect(up.dialect).toBe('ethstratum');
      expect(up.extranonce1).toEqual(EXTRANONCE);
      expect(up.extranonce2Size).toBe(5);
      expect(up.versionMask).toBeUndefined();
      expect(pool.agents).toEqual(['lode-proxy/test']);
      expect(pool.authorizations).toEqual([{ workerName: 'acct.proxy', password: 'pw' }]);
    });

    it('maps the first job to EthashWork with the job target, height and seed epoch', async () => {
      const up = await open();
      await expect(firstValueFrom(up.jobs$)).resolves.toEqual<UpstreamJob>({
        jobId: 'bf0488aa',
        work: { dialect: 'ethstratum', headerHash: HEADER_89, seedHash: '', epoch: 89, seedEpoch: 89, algo: 'ethash' },
        clean: true,
        target: SET_TARGET,
        height: 2683077,
      });
    });

    it('gives etchash jobs the seed epoch 2 * epoch (facts/ethash.md §4.7: ETChash epoch 195 has the seed of ethash epoch 390)', async () => {
      const up = await open({ firstJob: { ...FIRST_JOB, algo: 'etchash', epoch: 195, height: 11700000 } });
      const job = await firstValueFrom(up.jobs$);
      expect(job.work).toEqual({ dialect: 'ethstratum', headerHash: HEADER_89, seedHash: '', epoch: 195, seedEpoch: 390, algo: 'etchash' });
    });

    it('binds each job to the target in force when it arrived', async () => {
      const up = await open();
      const seen: UpstreamJob[] = [];
      const done = new Promise<void>((resolve) => {
        up.jobs$.subscribe((j) => {
          seen.push(j);
          if (j.jobId === 'j3') resolve();
        });
      });
      pool.sendJob({ ...FIRST_JOB, jobId: 'j2', clean: false, target: DEFAULT_TARGET });
      pool.sendJob({ ...FIRST_JOB, jobId: 'j3', clean: false, height: 2683078 });
      await done;
      expect(seen.map((j) => [j.jobId, j.target, j.clean, j.height])).toEqual([
        ['bf0488aa', SET_TARGET, true, 2683077],
        ['j2', DEFAULT_TARGET, false, 2683077],
        ['j3', SET_TARGET, false, 2683078],
      ]);
    });
  });

  describe('when a share is forwarded', () => {
    it('submits [jobId, the nonce suffix, the worker token] and the pool rebuilds the full nonce', async () => {
      const up = await open();
      await expect(up.submit({ jobId: 'bf0488aa', extranonce2: MINER_NONCE, ntime: 0, nonce: 0 })).resolves.toEqual({ accepted: true });
      expect(pool.submits).toEqual([
        {
          workerName: 'acct.proxy',
          jobId: 'bf0488aa',
          extranonce: EXTRANONCE,
          minerNonce: MINER_NONCE,
          nonce: Buffer.from('8c5eaec000788d41', 'hex'),
        },
      ]);
    });

    it('reads 202 as accepted-stale and other codes as refusals with the pool message', async () => {
      const verdicts = [
        { accepted: true as const, difficulty: 1, shareDifficulty: 1, block: false, hash: '', stale: true },
        { accepted: false as const, reason: 'low-difficulty' as const, message: 'share difficulty 0.5 is below 1' },
        { accepted: false as const, reason: 'unknown-job' as const, message: '' },
      ];
      const up = await open({ verdict: () => verdicts.shift() ?? { accepted: false, reason: 'malformed', message: 'no more' } });
      const share = { jobId: 'bf0488aa', extranonce2: MINER_NONCE, ntime: 0, nonce: 0 };
      await expect(up.submit(share)).resolves.toEqual({ accepted: true, stale: true });
      await expect(up.submit(share)).resolves.toEqual({ accepted: false, reason: 'Bad nonce: share difficulty 0.5 is below 1 (406)' });
      await expect(up.submit({ ...share, jobId: 'gone' })).resolves.toEqual({ accepted: false, reason: 'Job not found (404)' });
    });

    it('authorizes a passed-through worker once and submits with its own token', async () => {
      const up = await open({ authorize: (req) => req.workerName !== 'acct.mallory' });
      const share = { jobId: 'bf0488aa', extranonce2: MINER_NONCE, ntime: 0, nonce: 0 };
      await expect(up.submit({ ...share, workerName: 'acct.rig2' })).resolves.toEqual({ accepted: true });
      await expect(up.submit({ ...share, workerName: 'acct.rig2' })).resolves.toEqual({ accepted: true });
      await expect(up.submit({ ...share, workerName: 'acct.mallory' })).resolves.toEqual({
        accepted: false,
        reason: 'the upstream refused worker acct.mallory',
      });
      expect(pool.authorizations.map((a) => a.workerName)).toEqual(['acct.proxy', 'acct.rig2', 'acct.mallory']);
      expect(pool.submits.map((s) => s.workerName)).toEqual(['acct.rig2', 'acct.rig2']);
    });

    it('authorizes a worker with its own password through authorizeWorker, once', async () => {
      const up = await open({ authorize: (req) => req.workerName !== 'acct.rig4' && req.password !== 'wrong' });
      expect(up.authorizeWorker).toBeDefined();
      await expect(up.authorizeWorker?.('acct.rig3', 'rig3-pw')).resolves.toBe(true);
      await expect(up.authorizeWorker?.('acct.rig3', 'rig3-pw')).resolves.toBe(true);
      await expect(up.authorizeWorker?.('acct.rig4', 'wrong')).resolves.toBe(false);
      await expect(up.submit({ jobId: 'bf0488aa', extranonce2: MINER_NONCE, ntime: 0, nonce: 0, workerName: 'acct.rig3' })).resolves.toEqual({ accepted: true });
      expect(pool.authorizations.slice(1)).toEqual([
        { workerName: 'acct.rig3', password: 'rig3-pw' },
        { workerName: 'acct.rig4', password: 'wrong' },
      ]);
      expect(pool.submits.map((s) => s.workerName)).toEqual(['acct.rig3']);
    });

    it('refuses a nonce suffix of the wrong size before sending anything', async () => {
      const up = await open();
      await expect(up.submit({ jobId: 'bf0488aa', extranonce2: Buffer.alloc(4), ntime: 0, nonce: 0 })).rejects.toThrow(
        'the nonce suffix for upstream up-a is 4 bytes, its extranonce 8c5eae leaves 5',
      );
      expect(pool.submits).toEqual([]);
    });
  });

  describe('when the upstream moves the session to another extranonce', () => {
    it('emits extranonce$ before the first job with the new extranonce', async () => {
      const up = await open();
      const events: string[] = [];
      up.extranonce$.subscribe((e) => events.push(`extranonce ${e.extranonce1.toString('hex')}/${e.extranonce2Size}`));
      const next = new Promise<void>((resolve) => {
        up.jobs$.subscribe((j) => {
          events.push(`job ${j.jobId}`);
          if (j.jobId === 'j2') resolve();
        });
      });
      pool.sendJob({ ...FIRST_JOB, jobId: 'j2', extranonce: Buffer.from('a1b2', 'hex') });
      await next;
      expect(events).toEqual(['job bf0488aa', 'extranonce a1b2/6', 'job j2']);
      expect(up.extranonce1).toEqual(Buffer.from('a1b2', 'hex'));
      expect(up.extranonce2Size).toBe(6);
    });
  });

  describe('when the connection ends', () => {
    it('says mining.bye on close, emits the reason once and refuses later shares', async () => {
      const up = await open();
      const closed = firstValueFrom(up.closed$.pipe(toArray()));
      const poolSaw = firstValueFrom(pool.sessions[0].closed$);
      up.close('proxy shutting down');
      await expect(closed).resolves.toEqual(['proxy shutting down']);
      await expect(poolSaw).resolves.toMatchObject({ bye: true });
      await expect(up.submit({ jobId: 'bf0488aa', extranonce2: MINER_NONCE, ntime: 0, nonce: 0 })).rejects.toThrow(
        new LodeError('connection', 'upstream up-a is closed (proxy shutting down)'),
      );
    });

    it('emits closed$ when the pool closes', async () => {
      const up = await open();
      const closed = firstValueFrom(up.closed$);
      pool.sessions[0].close('pool restarting');
      await expect(closed).resolves.toEqual(expect.any(String));
    });

    it('rejects the connect with LodeError(connection) and the code when the pool refuses the worker', async () => {
      pool = await FakeEthPool.start({ extranonce: EXTRANONCE, firstJob: FIRST_JOB, authorize: () => false });
      const attempt = connectEthUpstream({ name: 'up-a', url: pool.url, user: 'acct.nobody', password: 'x' }, OPTIONS);
      await expect(attempt).rejects.toMatchObject({ kind: 'connection', code: 303 });
      await expect(attempt).rejects.toThrow('the upstream refused mining.authorize: Worker not authorized');
    });

    it('rejects the connect with LodeError(connection) when nothing listens', async () => {
      pool = await FakeEthPool.start({ extranonce: EXTRANONCE, firstJob: FIRST_JOB });
      const url = pool.url;
      await pool.stop();
      await expect(connectEthUpstream({ name: 'up-a', url, user: 'u', password: 'x' }, OPTIONS)).rejects.toMatchObject({ kind: 'connection' });
    });
  });
});
