import { parseShareMix } from '../mix/parse-share-mix';
import { SHARE_KINDS } from '../mix/share-kind';
import { resolveLoadgenOptions } from '../options/loadgen-options';
import type { LoadgenReport } from '../report/loadgen-report';
import { formatReport } from '../report/format-report';
import { startPoolStack, type PoolStack } from '../stack/pool-stack';
import { runLoadgen } from './run-loadgen';

describe('runLoadgen', () => {
  describe('when 50 sessions send every share kind to a real pool (devnet and pool as processes on loopback)', () => {
    let stack: PoolStack | undefined;
    let report: LoadgenReport;

    beforeAll(async () => {
      // difficulty 1e-7: ~430 hashes per share; nbits 1f050000: ~13,107 hashes per block, so about
      // one valid share in 30 is a block and clean-jobs notifies (hence stale shares) come often
      stack = await startPoolStack({ difficulty: 1e-7, nbits: '1f050000' });
      const options = resolveLoadgenOptions({
        url: stack.url,
        sessions: 50,
        rampPerSecond: 200,
        sharesPerSecond: 4,
        mix: parseShareMix('valid=40,low=15,dup=15,stale=15,malformed=15'),
        durationSeconds: 4,
        replyTimeoutMs: 5000,
        versionRolling: true,
      });
      report = await runLoadgen(options);
      if (!report.ok) process.stderr.write(`${formatReport(report).join('\n')}\n${stack.tail('pool')}\n`);
    }, 60_000);

    afterAll(async () => {
      await stack?.stop();
    });

    it('opens every session and misses no reply', () => {
      expect(report.sessions).toMatchObject({ opened: 50, failed: 0, closedByPool: 0 });
      expect(report.missing).toBe(0);
      expect(report.unknownIdReplies).toBe(0);
      expect(report.lateReplies).toBe(0);
    });

    it('sends every kind', () => {
      for (const kind of SHARE_KINDS) expect(report.shares.sent[kind]).toBeGreaterThan(0);
    });

    it('gets valid shares accepted (refused only when a new block raced them)', () => {
      const t = report.replies.valid;
      expect(t.accepted).toBeGreaterThan(0);
      expect(t.wrong).toBe(0);
      expect(t.accepted + t.rejected.stale + t.rejected['unknown-job']).toBe(report.shares.sent.valid);
      expect(t.superseded).toBe(t.rejected.stale + t.rejected['unknown-job']);
    });

    it('gets low-difficulty shares refused as low difficulty (code 23)', () => {
      const t = report.replies['low-difficulty'];
      expect(t.accepted).toBe(0);
      expect(t.rejected['low-difficulty']).toBeGreaterThan(0);
      expect(t.rejected['low-difficulty'] + t.superseded).toBe(report.shares.sent['low-difficulty']);
      expect(Object.keys(report.errors).some((k) => k.startsWith('23 '))).toBe(true);
    });

    it('gets duplicates refused as duplicate (code 22)', () => {
      const t = report.replies.duplicate;
      expect(t.accepted).toBe(0);
      expect(t.rejected.duplicate).toBeGreaterThan(0);
      expect(t.rejected.duplicate + t.superseded).toBe(report.shares.sent.duplicate);
      expect(Object.keys(report.errors).some((k) => k.startsWith('22 '))).toBe(true);
    });

    it('gets stale shares refused as stale (code 21) or unknown job', () => {
      const t = report.replies.stale;
      expect(t.accepted).toBe(0);
      expect(t.rejected.stale + t.rejected['unknown-job']).toBe(report.shares.sent.stale);
      expect(Object.keys(report.errors).some((k) => k.startsWith('21 '))).toBe(true);
    });

    it('gets an error reply to every malformed share (-32700 for a cut line, -32602 for 2 params)', () => {
      const t = report.replies.malformed;
      expect(t.accepted).toBe(0);
      expect(t.rejected['bad-request']).toBe(report.shares.sent.malformed);
      expect(Object.keys(report.errors).some((k) => k.startsWith('-32700 '))).toBe(true);
      expect(Object.keys(report.errors).some((k) => k.startsWith('-32602 '))).toBe(true);
    });

    it('finds nothing wrong or unexpected, and passes', () => {
      expect({ wrong: report.wrong, unexpected: report.unexpected, samples: report.samples }).toEqual({ wrong: 0, unexpected: 0, samples: { wrong: [], unexpected: [] } });
      expect(report.ok).toBe(true);
      expect(report.latencyMs.count).toBe(SHARE_KINDS.reduce((a, k) => a + report.shares.sent[k], 0));
    });
  });
});
