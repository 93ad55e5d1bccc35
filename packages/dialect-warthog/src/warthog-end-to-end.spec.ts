import type { ShareVerdict } from '@lode/mining';
import { classicCodec, createLinePair, RpcPeer } from '@lode/stratum-core';
import type { CloseInfo } from '@lode/stratum-core';
import { firstValueFrom } from 'rxjs';
import type { WarthogClientJob } from './client/client-context';
import { WarthogClientSession } from './client/client-session';
import type { WarthogClientSessionOptions } from './client/client-session';
import type { WarthogSubmitRequest } from './messages';
import { WarthogServerSession } from './server/server-session';
import { H6_ACCEPTED_NONCES, H6_JOB, H6_JOB_ID, H6_WORKER } from './testing/wire.test-helper';

/** A pool answering the §6-H verdicts by nonce, and a miner session wired to it. */
function pair(clientOptions: WarthogClientSessionOptions = {}) {
  const [poolEnd, minerEnd] = createLinePair();
  const submits: WarthogSubmitRequest[] = [];
  const closedInfos: CloseInfo[] = [];
  const server: WarthogServerSession = new WarthogServerSession(new RpcPeer(poolEnd, classicCodec), {
    subscribe() {
      server.sendDifficulty(500000);
      server.sendNotify(H6_JOB);
      return { extranonce1: Buffer.from('00000001', 'hex'), extranonce2Size: 6, sessionId: '00000001' };
    },
    authorize: (req) => req.workerName.endsWith('.rig1') || req.workerName.endsWith('.rig2'),
    submit(req): ShareVerdict {
      submits.push(req);
      if (req.jobId !== H6_JOB_ID) return { accepted: false, reason: 'stale', message: '' };
      return H6_ACCEPTED_NONCES.has(req.nonce)
        ? { accepted: true, difficulty: 500000, shareDifficulty: 640245, block: false, hash: '00'.repeat(32) }
        : { accepted: false, reason: 'low-difficulty', message: '' };
    },
    closed: (info) => closedInfos.push(info),
  });
  const client = new WarthogClientSession(new RpcPeer(minerEnd, classicCodec), clientOptions);
  const jobs: WarthogClientJob[] = [];
  client.jobs$.subscribe((j) => jobs.push(j));
  return { server, client, jobs, submits, closedInfos };
}

const EN2 = Buffer.from('000000000002', 'hex');

describe('Warthog dialect, server and client sessions', () => {
  describe('when a client session talks to a server session', () => {
    it('plays the session of facts/warthog.md §6-H end to end', async () => {
      const { server, client, jobs, submits } = pair();

      await expect(client.subscribe('janusminer/0.0.1')).resolves.toEqual({
        extranonce1: Buffer.from('00000001', 'hex'),
        extranonce2Size: 6,
        sessionId: '00000001',
      });
      await expect(client.authorize(H6_WORKER, 'x')).resolves.toBe(true);
      expect(jobs.map((j) => [j.params, j.difficulty])).toEqual([[H6_JOB, 500000]]);

      const share = { jobId: H6_JOB_ID, extranonce2: EN2, ntime: H6_JOB.ntime };
      await expect(client.submit({ ...share, nonce: 0x00002df1 })).resolves.toEqual({ accepted: true });
      await expect(client.submit({ ...share, nonce: 0x00000456 })).resolves.toEqual({
        accepted: false,
        code: 23,
        message: 'low difficulty share',
      });
      await expect(client.submit({ ...share, nonce: 0x0000cb8e })).resolves.toEqual({
        accepted: false,
        code: 23,
        message: 'low difficulty share',
      });
      await expect(client.submit({ ...share, jobId: 'gone', nonce: 1 })).resolves.toEqual({
        accepted: false,
        code: 21,
        message: 'job not found (stale)',
      });
      expect(submits.map((s) => [s.workerName, s.nonce])).toEqual([
        [H6_WORKER, 0x2df1],
        [H6_WORKER, 0x456],
        [H6_WORKER, 0xcb8e],
        [H6_WORKER, 1],
      ]);
      expect(server.userAgent).toBe('janusminer/0.0.1');
      client.close('done');
    });

    it('binds a new difficulty to the next job only', async () => {
      const { server, client, jobs } = pair();
      await client.subscribe('lode-miner/0.1.0');
      await client.authorize(H6_WORKER, 'x');
      server.sendDifficulty(0.5);
      const next = firstValueFrom(client.jobs$);
      server.sendNotify({ ...H6_JOB, jobId: 'j2', clean: false });
      await next;
      expect(jobs.map((j) => [j.params.jobId, j.difficulty])).toEqual([
        [H6_JOB_ID, 500000],
        ['j2', 0.5],
      ]);
      client.close('done');
    });

    it('sends the older 5-parameter submit with legacySubmit and the server credits the named worker', async () => {
      const { client, submits } = pair({ legacySubmit: true });
      await client.subscribe('lode-miner/0.1.0');
      await client.authorize(H6_WORKER, 'x');
      await client.authorize('addr.rig2', 'x');
      await expect(
        client.submit({ jobId: H6_JOB_ID, extranonce2: EN2, ntime: H6_JOB.ntime, nonce: 0x2df1, workerName: H6_WORKER }),
      ).resolves.toEqual({ accepted: true });
      await expect(
        client.submit({ jobId: H6_JOB_ID, extranonce2: EN2, ntime: H6_JOB.ntime, nonce: 0x2df1, workerName: 'mallory' }),
      ).resolves.toEqual({ accepted: false, code: 24, message: "worker 'mallory' is not authorized on this connection" });
      expect(submits.map((s) => s.workerName)).toEqual([H6_WORKER]);
      client.close('done');
    });

    it('follows client.reconnect and both ends see the close', async () => {
      const { server, client, closedInfos } = pair();
      await client.subscribe('lode-miner/0.1.0');
      const reconnect = firstValueFrom(client.reconnect$);
      server.reconnect('wart.example.com', 3456, 10);
      await expect(reconnect).resolves.toEqual({ host: 'wart.example.com', port: 3456, waitSeconds: 10 });
      const clientClosed = firstValueFrom(client.closed$);
      server.close('moving to wart.example.com');
      await expect(clientClosed).resolves.toEqual({ reason: 'moving to wart.example.com', byPeer: true });
      expect(closedInfos).toEqual([{ reason: 'moving to wart.example.com', byPeer: false }]);
    });
  });
});
