import type { ShareVerdict } from '@lode/mining';
import { classicCodec, createLinePair, LodeError, RpcPeer } from '@lode/stratum-core';
import type { CloseInfo } from '@lode/stratum-core';
import { firstValueFrom } from 'rxjs';
import { BitcoinClientSession } from './client/client-session';
import type { ClientJob } from './client/client-context';
import type { NotifyParams, ReconnectRequest, SubmitRequest } from './messages';
import { BitcoinServerSession } from './server/server-session';

/** Block 125552 in stratum form (facts/bitcoin-stratum.md, "Test vectors"). */
const JOB: NotifyParams = {
  jobId: 'b125552',
  prevhash: 'ab02cd818b9e567ee21793cddef299feb29ad444a41b85b8000008a300000000',
  coinb1: '01000000010000',
  coinb2: 'ffffffff00',
  merkleBranches: ['3ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a'],
  version: 0x00000001,
  nbits: 0x1a44b9f2,
  ntime: 0x4dd7f5c7,
  cleanJobs: true,
};

describe('Bitcoin dialect, server and client sessions', () => {
  describe('when a client session talks to a server session', () => {
    it('subscribes, authorizes, mines jobs at their own difficulty, submits and follows the pool', async () => {
      const [poolEnd, minerEnd] = createLinePair();
      const submits: SubmitRequest[] = [];
      const closedInfos: CloseInfo[] = [];
      const server: BitcoinServerSession = new BitcoinServerSession(
        new RpcPeer(poolEnd, classicCodec),
        {
          async subscribe() {
            server.sendDifficulty(0.5);
            server.sendNotify(JOB);
            return { extranonce1: Buffer.from('f000000a', 'hex'), extranonce2Size: 4, sessionId: 'sess-1' };
          },
          async authorize(req) {
            return req.workerName.startsWith('alice');
          },
          async submit(req): Promise<ShareVerdict> {
            submits.push(req);
            return req.jobId === JOB.jobId
              ? { accepted: true, difficulty: 0.5, shareDifficulty: 0.7, block: false, hash: '00'.repeat(32) }
              : { accepted: false, reason: 'stale', message: `job '${req.jobId}' is stale` };
          },
          closed: (info) => closedInfos.push(info),
        },
        { versionRolling: { serverMask: 0x1fffe000 } },
      );
      const client = new BitcoinClientSession(new RpcPeer(minerEnd, classicCodec), { userAgent: 'lode-miner/0.1.0' });
      const jobs: ClientJob[] = [];
      client.jobs$.subscribe((j) => jobs.push(j));

      const configured = await client.configure({ versionRolling: { mask: 0xffffffff } });
      expect(configured.versionRolling).toEqual({ mask: 0x1fffe000 });
      expect(client.versionMask).toBe(0x1fffe000);
      const sub = await client.subscribe();
      expect(sub).toEqual({ extranonce1: Buffer.from('f000000a', 'hex'), extranonce2Size: 4, sessionId: 'sess-1' });
      await expect(client.authorize('alice.rig1', 'x')).resolves.toBe(true);
      await expect(client.authorize('mallory', 'x')).resolves.toBe(false);
      expect(jobs.map((j) => [j.params, j.difficulty])).toEqual([[JOB, 0.5]]);

      await client.submit({
        workerName: 'alice.rig1',
        jobId: JOB.jobId,
        extranonce2: Buffer.from('00000001', 'hex'),
        ntime: JOB.ntime,
        nonce: 0x9546a142,
        versionBits: 0x00002000,
      });
      expect(submits[0]).toEqual({
        workerName: 'alice.rig1',
        jobId: 'b125552',
        extranonce2: Buffer.from('00000001', 'hex'),
        ntime: 0x4dd7f5c7,
        nonce: 0x9546a142,
        versionBits: 0x00002000,
        versionMask: 0x1fffe000,
      });
      const stale = await client
        .submit({ ...submits[0], jobId: 'old' })
        .then(() => undefined, (e: unknown) => e);
      expect(LodeError.is(stale, 'share')).toBe(true);
      expect(stale).toMatchObject({ code: 21, message: "job 'old' is stale" });

      await expect(server.getVersion()).resolves.toBe('lode-miner/0.1.0');
      await expect(server.ping()).resolves.toBeUndefined();

      server.sendDifficulty(8);
      server.sendNotify({ ...JOB, jobId: 'next', cleanJobs: false });
      await expect(client.extranonceSubscribe()).resolves.toBe(true);
      expect(jobs.map((j) => [j.params.jobId, j.difficulty])).toEqual([
        ['b125552', 0.5],
        ['next', 8],
      ]);

      const update = firstValueFrom(client.extranonce$);
      expect(server.sendExtranonce(Buffer.from('f000000b', 'hex'), 8)).toBe(true);
      expect(await update).toEqual({ extranonce1: Buffer.from('f000000b', 'hex'), extranonce2Size: 8 });

      const reconnect: Promise<ReconnectRequest> = firstValueFrom(client.reconnect$);
      server.reconnect('pool2.example.com', 3334, 3);
      expect(await reconnect).toEqual({ host: 'pool2.example.com', port: 3334, waitSeconds: 3 });

      const clientClosed = firstValueFrom(client.closed$);
      server.close('test over');
      expect(await clientClosed).toEqual({ reason: 'test over', byPeer: true });
      expect(closedInfos).toEqual([{ reason: 'test over', byPeer: false }]);
    });
    it('negotiates BIP 310 extensions, follows the mask the job version allows, and submits inside it', async () => {
      const [poolEnd, minerEnd] = createLinePair();
      const submits: SubmitRequest[] = [];
      const minimums: number[] = [];
      const server: BitcoinServerSession = new BitcoinServerSession(
        new RpcPeer(poolEnd, classicCodec),
        {
          async subscribe() {
            return { extranonce1: Buffer.from('f000000a', 'hex'), extranonce2Size: 4, sessionId: 'sess-2' };
          },
          async authorize() {
            return true;
          },
          async submit(req): Promise<ShareVerdict> {
            submits.push(req);
            return { accepted: true, difficulty: 1, shareDifficulty: 1, block: false, hash: '00'.repeat(32) };
          },
          setMinimumDifficulty(value) {
            minimums.push(value);
            return value <= 65536 ? true : 'above the port maximum 65536';
          },
        },
        { versionRolling: { serverMask: 0x1fffe000 } },
      );
      const client = new BitcoinClientSession(new RpcPeer(minerEnd, classicCodec), { userAgent: 'lode-miner/0.1.0' });
      const maskWhenJobArrived: Array<number | undefined> = [];
      client.jobs$.subscribe(() => maskWhenJobArrived.push(client.versionMask));

      const result = await client.configure({
        versionRolling: { mask: 0xffffffff, minBitCount: 16 },
        minimumDifficulty: 1e6,
        subscribeExtranonce: true,
        info: { swVersion: 'lode-miner/0.1.0' },
      });
      expect(result).toEqual({
        versionRolling: { mask: 0x1fffe000 },
        minimumDifficulty: false,
        subscribeExtranonce: true,
        info: true,
        raw: {
          'version-rolling': true,
          'version-rolling.mask': '1fffe000',
          'minimum-difficulty': false,
          'subscribe-extranonce': true,
          info: true,
        },
      });
      expect(minimums).toEqual([1e6]);
      expect(server.info).toEqual({ swVersion: 'lode-miner/0.1.0' });
      expect(server.extranonceSubscribed).toBe(true);

      await client.subscribe();
      await client.authorize('alice.rig1', 'x');
      // version 20800000 sets bit 23, inside 1fffe000: the miner may roll 1f7fe000 for this job
      const job = firstValueFrom(client.jobs$);
      server.sendNotify({ ...JOB, version: 0x20800000 });
      expect((await job).versionMask).toBe(0x1f7fe000);
      expect(maskWhenJobArrived).toEqual([0x1f7fe000]);
      expect(client.versionMask).toBe(0x1f7fe000);

      const share = {
        workerName: 'alice.rig1',
        jobId: JOB.jobId,
        extranonce2: Buffer.from('00000001', 'hex'),
        ntime: JOB.ntime,
        nonce: 0x9546a142,
      };
      await client.submit({ ...share, versionBits: 0x00402000 });
      expect(submits[0]).toMatchObject({ versionBits: 0x00402000, versionMask: 0x1f7fe000 });
      const outside = await client.submit({ ...share, versionBits: 0x00800000 }).then(() => undefined, (e: unknown) => e);
      expect(outside).toMatchObject({ kind: 'share', code: 20, message: 'version bits 00800000 fall outside the mask 1f7fe000' });
      client.close('test over');
    });
  });
});
