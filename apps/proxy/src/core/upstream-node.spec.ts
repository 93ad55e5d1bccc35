import { LodeError } from '@lode/stratum-core';
import type { CoinTemplate } from '@lode/plugin-api';
import { bitcoinUpstreamJob, FakeLink } from '../testing/fake-link';
import { UpstreamNode } from './upstream-node';

const A = 'aa'.repeat(32);
const B = 'bb'.repeat(32);

function watch(node: UpstreamNode): CoinTemplate[] {
  const seen: CoinTemplate[] = [];
  node.templates$.subscribe((t) => seen.push(t));
  return seen;
}

describe('UpstreamNode', () => {
  describe('when the upstream sends jobs', () => {
    it('emits one template per job with the upstream id, flag and target', async () => {
      const link = new FakeLink();
      const node = new UpstreamNode(link);
      const seen = watch(node);
      await node.start();
      const job = bitcoinUpstreamJob('j1', { target: 777n }, A);
      link.job(job);
      expect(seen).toEqual([{ height: 1, prevHash: `${A}:1`, networkTarget: 777n, raw: job, jobId: 'j1', clean: true }]);
      expect(node.latestJob).toBe(job);
    });

    it('starts a new generation on every clean job or new previous block, so older jobs go stale downstream', () => {
      const link = new FakeLink();
      const seen = watch(new UpstreamNode(link));
      link.job(bitcoinUpstreamJob('j1', { clean: true }, A));
      link.job(bitcoinUpstreamJob('j2', { clean: false }, A));
      // clean without a new block (some pools restart work so)
      link.job(bitcoinUpstreamJob('j3', { clean: true }, A));
      // a new block without the clean flag
      link.job(bitcoinUpstreamJob('j4', { clean: false }, B));
      expect(seen.map((t) => [t.jobId, t.prevHash, t.height, t.clean])).toEqual([
        ['j1', `${A}:1`, 1, true],
        ['j2', `${A}:1`, 1, false],
        ['j3', `${A}:2`, 2, true],
        ['j4', `${B}:3`, 3, false],
      ]);
    });

    it('uses the job\'s height when the dialect gives one', () => {
      const link = new FakeLink();
      const seen = watch(new UpstreamNode(link));
      link.job(bitcoinUpstreamJob('j1', { height: 840000 }, A));
      expect(seen[0].height).toBe(840000);
    });

    it('replays the latest job to a late subscriber and stops after detach, without completing', () => {
      const link = new FakeLink();
      const node = new UpstreamNode(link);
      link.job(bitcoinUpstreamJob('j1', {}, A));
      let completed = false;
      const seen: string[] = [];
      node.templates$.subscribe({ next: (t) => seen.push(t.jobId ?? ''), complete: () => (completed = true) });
      node.detach();
      link.job(bitcoinUpstreamJob('j2', {}, A));
      link.close('gone');
      expect(seen).toEqual(['j1']);
      expect(completed).toBe(false);
    });
  });

  describe('when the engine submits a "block"', () => {
    it('forwards it as an upstream share and answers with the verdict', async () => {
      const link = new FakeLink();
      const node = new UpstreamNode(link);
      const json = JSON.stringify({ jobId: 'j1', extranonce2: '0000002adeadbeef', ntime: 1_700_000_000, nonce: 7, versionBits: 0x2000, workerName: 'alice.rig1' });
      expect(await node.submitBlock(json)).toEqual({ accepted: true, hash: '' });
      expect(link.submits).toEqual([
        { jobId: 'j1', extranonce2: Buffer.from('0000002adeadbeef', 'hex'), ntime: 1_700_000_000, nonce: 7, versionBits: 0x2000, workerName: 'alice.rig1' },
      ]);
      link.verdict = { accepted: false, reason: '23 Low difficulty share' };
      expect(await node.submitBlock(JSON.stringify({ jobId: 'j1', extranonce2: '00', ntime: 1, nonce: 8 }))).toEqual({
        accepted: false,
        hash: '',
        reason: '23 Low difficulty share',
      });
      expect(link.submits[1]).toEqual({ jobId: 'j1', extranonce2: Buffer.from('00', 'hex'), ntime: 1, nonce: 8 });
      link.close('upstream went away');
      expect(await node.submitBlock(JSON.stringify({ jobId: 'j1', extranonce2: '01', ntime: 1, nonce: 9 }))).toEqual({
        accepted: false,
        hash: '',
        reason: 'fake link closed: upstream went away',
      });
      expect(node.counters).toEqual({ forwarded: 3, accepted: 1, rejected: 1, failed: 1 });
    });

    it('throws LodeError(plugin) for what is not a forwarded share', async () => {
      const node = new UpstreamNode(new FakeLink());
      await expect(node.submitBlock('00ff')).rejects.toThrow(LodeError);
      await expect(node.submitBlock('{"jobId":"j1","extranonce2":"zz","ntime":1,"nonce":1}')).rejects.toThrow('is not {jobId, extranonce2 hex');
    });
  });
});
