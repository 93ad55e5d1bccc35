import { firstValueFrom, filter } from 'rxjs';
import type { SessionEvent } from '@lode/pool-engine';
import { LodeError } from '@lode/stratum-core';
import { fakeCoin } from '../testing/fake-coin';
import { bitcoinUpstreamJob, FakeLink } from '../testing/fake-link';
import { Subscription } from './subscription';

const NOW = 1_700_000_000_000;
const MAX_TARGET = (1n << 256n) - 1n;
const subs: Subscription[] = [];

afterEach(async () => {
  for (const s of subs.splice(0)) await s.stop('test over');
});

function subscription(link: FakeLink, credentials: 'proxy' | 'passthrough' = 'proxy'): Subscription {
  const sub = new Subscription({ link, plugin: fakeCoin(), group: 'primary', credentials, clock: () => NOW });
  subs.push(sub);
  return sub;
}

const create = { remoteAddress: '127.0.0.1', port: 3333, initialDifficulty: 1e-9 };

describe('Subscription', () => {
  describe('when the upstream leaves 8 bytes of extranonce2', () => {
    it('gives each miner the upstream extranonce1 followed by a 4-byte suffix and 4 bytes to roll', async () => {
      const sub = subscription(new FakeLink({ extranonce1: Buffer.from('a0000001', 'hex'), extranonce2Size: 8 }));
      await sub.start();
      expect([sub.suffixBytes, sub.capacity]).toEqual([4, 2 ** 32]);
      const first = await sub.createSession(create).subscribe();
      const second = await sub.createSession(create).subscribe();
      for (const r of [first, second]) {
        expect(r.extranonce1).toHaveLength(8);
        expect(r.extranonce1.subarray(0, 4).toString('hex')).toBe('a0000001');
        expect(r.extranonce2Size).toBe(4);
      }
      expect(first.extranonce1.equals(second.extranonce1)).toBe(false);
      expect(sub.sessionCount).toBe(2);
    });
  });

  describe('when the upstream leaves only 4 bytes', () => {
    it('holds one miner: the next one finds the extranonce space exhausted until the first leaves', async () => {
      const sub = subscription(new FakeLink({ extranonce2Size: 4 }));
      await sub.start();
      expect([sub.suffixBytes, sub.capacity, sub.full]).toEqual([0, 1, false]);
      const first = sub.createSession(create);
      expect((await first.subscribe()).extranonce1.toString('hex')).toBe('a0000001');
      expect(sub.full).toBe(true);
      const second = sub.createSession(create);
      await expect(second.subscribe()).rejects.toThrow('extranonce1 space of 1 values exhausted');
      await second.close();
      await first.close();
      // no resume window: the value is free at once
      expect((await sub.createSession(create).subscribe()).extranonce1.toString('hex')).toBe('a0000001');
    });
  });

  describe('when a miner finds a share that meets the upstream target', () => {
    it('judges it at the miner\'s target and forwards it with extranonce2 = suffix ‖ miner extranonce2', async () => {
      const link = new FakeLink({ versionMask: 0x1fffe000 });
      // every hash meets the upstream's target
      link.job(bitcoinUpstreamJob('up-1', { target: MAX_TARGET }));
      const sub = subscription(link);
      await sub.start();
      const session = sub.createSession(create);
      const job = firstValueFrom(session.events$.pipe(filter((e: SessionEvent) => e.type === 'job')));
      const { extranonce1 } = await session.subscribe();
      expect(await session.authorize({ workerName: 'alice.rig1', password: 'x' })).toBe(true);
      expect(await job).toMatchObject({ type: 'job', clean: true, job: { id: 'up-1', networkTarget: MAX_TARGET } });
      const verdict = await session.submit({
        workerName: 'alice.rig1',
        jobId: 'up-1',
        extranonce2: Buffer.from('deadbeef', 'hex'),
        ntime: 1_700_000_000,
        nonce: 42,
        versionBits: 0x2000,
        versionMask: 0x1fffe000,
      });
      expect(verdict).toMatchObject({ accepted: true, block: true });
      await sub.stop('drain');
      expect(link.submits).toEqual([
        {
          jobId: 'up-1',
          extranonce2: Buffer.concat([extranonce1.subarray(4), Buffer.from('deadbeef', 'hex')]),
          ntime: 1_700_000_000,
          nonce: 42,
          versionBits: 0x2000,
        },
      ]);
      expect(link.closedWith).toBe('drain');
    });

    it('passes the worker name through when credentials pass through', async () => {
      const link = new FakeLink();
      link.job(bitcoinUpstreamJob('up-1', { target: MAX_TARGET }));
      const sub = subscription(link, 'passthrough');
      await sub.start();
      expect(await sub.authorizeWorker('alice.rig1', 'x')).toBe(true);
      expect(await sub.authorizeWorker('alice.rig1', 'x')).toBe(true);
      expect(link.authorized).toEqual(['alice.rig1']);
      const session = sub.createSession(create);
      const job = firstValueFrom(session.events$.pipe(filter((e: SessionEvent) => e.type === 'job')));
      const { extranonce1 } = await session.subscribe();
      await session.authorize({ workerName: 'alice.rig1', password: 'x' });
      await job;
      sub.noteSubmitter(extranonce1, 'alice.rig1');
      await session.submit({ workerName: 'alice.rig1', jobId: 'up-1', extranonce2: Buffer.from('00000001', 'hex'), ntime: 1_700_000_000, nonce: 1 });
      await sub.stop('drain');
      expect(link.submits.map((s) => s.workerName)).toEqual(['alice.rig1']);
    });
  });

  describe('when its link closes or it is retired', () => {
    it('takes no new miners', async () => {
      const link = new FakeLink();
      const sub = subscription(link);
      await sub.start();
      expect(sub.alive).toBe(true);
      link.close('upstream lost');
      expect(sub.alive).toBe(false);
      expect(() => sub.createSession(create)).toThrow('upstream subscription primary#1 takes no new miners');

      const other = subscription(new FakeLink());
      await other.start();
      other.retire();
      expect([other.alive, other.retired]).toEqual([false, true]);
    });
  });

  describe('when the upstream extranonce1 is longer than 8 bytes', () => {
    it('throws LodeError(config)', () => {
      expect(() => subscription(new FakeLink({ extranonce1: Buffer.alloc(9) }))).toThrow(LodeError);
    });
  });
});
