import { JobLedger, targetFromDifficulty } from '@lode/mining';
import type { CoinJob } from '@lode/plugin-api';
import { EngineHarness, lastJob, submitNonce } from '../testing/engine-harness';
import { FAKE_DIFF1, FakeCoinPlugin, FakeNode, deferred, fakeTemplate, flush } from '../testing/fake-coin';
import { JobManager } from '../jobs/job-manager';
import { BlockSubmitter } from './block-submitter';
import type { FoundBlock } from './found-block';
import { ShareValidator } from './share-validator';

describe('ShareValidator', () => {
  let h: EngineHarness;
  beforeEach(async () => {
    h = new EngineHarness();
    await h.engine.start();
  });
  afterEach(async () => {
    await h.engine.stop();
  });

  describe('when the share names a job that was never sent', () => {
    it("refuses it as 'unknown-job'", async () => {
      h.node.push(fakeTemplate(100, 'aa'));
      const { session, events } = await h.miner();
      const job = lastJob(events);
      const verdict = await submitNonce(session, { ...job, id: 'ffffffff' }, 10);
      expect(verdict).toEqual({ accepted: false, reason: 'unknown-job', message: expect.stringContaining('ffffffff') });
    });

    it("refuses a job of the history that this session was never sent as 'unknown-job'", async () => {
      h.node.push(fakeTemplate(100, 'aa'));
      const earlier = h.engine.jobs.current!;
      h.node.push(fakeTemplate(100, 'aa'));
      const { session } = await h.miner();
      expect(h.engine.jobs.get(earlier.id)?.stale).toBe(false);
      expect(await submitNonce(session, earlier, 10)).toMatchObject({ accepted: false, reason: 'unknown-job' });
    });

    it("refuses a job that has left the history as 'unknown-job'", async () => {
      await h.engine.stop();
      h = new EngineHarness({ historySize: 2 });
      await h.engine.start();
      h.node.push(fakeTemplate(100, 'aa'));
      const { session, events } = await h.miner();
      const first = lastJob(events);
      h.node.push(fakeTemplate(100, 'aa'));
      h.node.push(fakeTemplate(100, 'aa'));
      expect(await submitNonce(session, first, 10)).toMatchObject({ accepted: false, reason: 'unknown-job' });
    });
  });

  describe('when a new previous block made a clean job', () => {
    it("refuses shares on the older jobs as 'stale', distinct from unknown", async () => {
      h.node.push(fakeTemplate(100, 'aa'));
      const { session, events } = await h.miner();
      const old = lastJob(events);
      h.node.push(fakeTemplate(100, 'aa'));
      const sameBlock = lastJob(events);
      h.node.push(fakeTemplate(101, 'bb'));
      const fresh = lastJob(events);
      expect(events[events.length - 1]).toMatchObject({ type: 'job', clean: true });
      expect(await submitNonce(session, old, 10)).toEqual({
        accepted: false,
        reason: 'stale',
        message: expect.stringContaining(`job ${old.id} is stale`),
      });
      expect(await submitNonce(session, sameBlock, 10)).toMatchObject({ accepted: false, reason: 'stale' });
      expect(await submitNonce(session, fresh, 10)).toMatchObject({ accepted: true });
    });
  });

  describe('when an accepted-stale window is configured (acceptStaleHeights)', () => {
    it('accepts a good share on a job up to that many heights behind as stale, refuses older ones and bad ones', async () => {
      await h.engine.stop();
      h = new EngineHarness({ acceptStaleHeights: 2 });
      await h.engine.start();
      h.node.push(fakeTemplate(100, 'aa'));
      const { session, events } = await h.miner();
      const at100 = lastJob(events);
      h.node.push(fakeTemplate(101, 'bb'));
      const at101 = lastJob(events);
      h.node.push(fakeTemplate(102, 'cc'));
      h.node.push(fakeTemplate(103, 'dd'));
      expect(await submitNonce(session, at101, 10)).toEqual({
        accepted: true,
        difficulty: 1,
        shareDifficulty: 10,
        block: false,
        hash: (FAKE_DIFF1 / 10n).toString(16).padStart(64, '0'),
        stale: true,
      });
      expect(await submitNonce(session, at100, 10)).toMatchObject({ accepted: false, reason: 'stale' });
      // inside the window every other rule still applies
      expect(await submitNonce(session, at101, 10)).toMatchObject({ accepted: false, reason: 'duplicate' });
    });

    it('rejects out-of-range settings', () => {
      expect(() => new EngineHarness({ acceptStaleHeights: -1 })).toThrow('acceptStaleHeights must be an integer >= 0, got -1');
    });
  });

  describe('when the plugin hashes shares itself (hashShare, hashValue: the ethash path)', () => {
    it('awaits hashShare instead of hasher.hash, reads the value with hashValue and hands the seal to buildBlock', async () => {
      await h.engine.stop();
      h = new EngineHarness();
      const seal = Buffer.alloc(32, 0xab);
      const calls: Buffer[] = [];
      const fakeHash = h.plugin.hasher.hash.bind(h.plugin.hasher);
      // The same fake value, but big-endian and computed asynchronously.
      h.plugin.hashShare = async (_job: CoinJob, header: Buffer) => {
        calls.push(header);
        await flush();
        return { hash: Buffer.from(fakeHash(header)).reverse(), seal, blockHash: 'b1'.repeat(32) };
      };
      h.plugin.hashValue = (hash: Buffer) => BigInt(`0x${hash.toString('hex')}`);
      const seals: (Buffer | undefined)[] = [];
      const buildBlock = h.plugin.buildBlock.bind(h.plugin);
      h.plugin.buildBlock = (job, share, header, s) => {
        seals.push(s);
        return buildBlock(job, share, header);
      };
      await h.engine.start();
      h.node.push(fakeTemplate(100, 'aa', 1000));
      const { session, events } = await h.miner();
      const job = lastJob(events);
      expect(await submitNonce(session, job, 3)).toMatchObject({ accepted: true, shareDifficulty: 3, block: false });
      // the block id the plugin names (Warthog: sha256d, not the number compared with targets)
      expect(await submitNonce(session, job, 5000)).toMatchObject({ accepted: true, block: true, hash: 'b1'.repeat(32) });
      expect(calls).toHaveLength(2);
      expect(h.plugin.hasher.calls).toBe(2); // only through the hashShare stub above
      expect(seals).toEqual([seal]);
    });
  });

  describe('when the same share comes twice', () => {
    it("refuses the second as 'duplicate', version bits included in the key", async () => {
      h.node.push(fakeTemplate(100, 'aa'));
      const { session, events } = await h.miner();
      session.setVersionMask(0x1fffe000);
      const job = lastJob(events);
      expect(await submitNonce(session, job, 10)).toMatchObject({ accepted: true });
      expect(await submitNonce(session, job, 10)).toEqual({
        accepted: false,
        reason: 'duplicate',
        message: expect.stringContaining('already submitted'),
      });
      expect(await submitNonce(session, job, 10, { versionBits: 0x2000 })).toMatchObject({ accepted: true });
      expect(await submitNonce(session, job, 10, { versionBits: 0x2000 })).toMatchObject({ reason: 'duplicate' });
      expect(await submitNonce(session, job, 10, { versionBits: 0x4000 })).toMatchObject({ accepted: true });
      expect(await submitNonce(session, job, 10, { extranonce2: Buffer.from('00000002', 'hex') })).toMatchObject({
        accepted: true,
      });
      expect(await submitNonce(session, job, 10, { ntime: job.ntimeMin + 1 })).toMatchObject({ accepted: true });
    });

    it('keys duplicates by height, not job id: the same header fields on another job of the height are a duplicate', async () => {
      h.node.push(fakeTemplate(100, 'aa'));
      const { session, events } = await h.miner();
      const first = lastJob(events);
      // a refresh of the same template: the same header under another job id
      h.node.push(fakeTemplate(100, 'aa'));
      const second = lastJob(events);
      expect(second.id).not.toBe(first.id);
      expect(await submitNonce(session, first, 10)).toMatchObject({ accepted: true });
      expect(await submitNonce(session, second, 10)).toMatchObject({ accepted: false, reason: 'duplicate' });
      h.node.push(fakeTemplate(101, 'bb'));
      expect(await submitNonce(session, lastJob(events), 10)).toMatchObject({ accepted: true });
    });

    it('counts absent version bits as 0 (the same header)', async () => {
      h.node.push(fakeTemplate(100, 'aa'));
      const { session, events } = await h.miner();
      session.setVersionMask(0x1fffe000);
      const job = lastJob(events);
      expect(await submitNonce(session, job, 10)).toMatchObject({ accepted: true });
      expect(await submitNonce(session, job, 10, { versionBits: 0 })).toMatchObject({ reason: 'duplicate' });
    });
  });

  describe('when the coin refuses the share before hashing', () => {
    it('passes its reason and message through (extranonce2, ntime, version)', async () => {
      h.node.push(fakeTemplate(100, 'aa'));
      const { session, events } = await h.miner();
      const job = lastJob(events);
      const hashes = h.plugin.hasher.calls;
      expect(await submitNonce(session, job, 10, { extranonce2: Buffer.from('000001', 'hex') })).toEqual({
        accepted: false,
        reason: 'bad-extranonce2',
        message: 'extranonce2 is 3 bytes, the job expects 4',
      });
      expect(await submitNonce(session, job, 10, { ntime: job.ntimeMax + 1 })).toMatchObject({
        accepted: false,
        reason: 'bad-ntime',
      });
      expect(await submitNonce(session, job, 10, { versionBits: 0x2000 })).toMatchObject({
        accepted: false,
        reason: 'bad-version',
      });
      expect(h.plugin.hasher.calls).toBe(hashes);
    });
  });

  describe('when the hash does not meet the target applied', () => {
    it("refuses it as 'low-difficulty', naming the share's difficulty and the one required", async () => {
      h.node.push(fakeTemplate(100, 'aa'));
      const { session, events } = await h.miner('w1', { initialDifficulty: 16 });
      const job = lastJob(events);
      expect(await submitNonce(session, job, 15)).toEqual({
        accepted: false,
        reason: 'low-difficulty',
        message: `share difficulty 15 is below the required 16 (job ${job.id})`,
      });
      expect(await submitNonce(session, job, 16)).toMatchObject({ accepted: true, difficulty: 16, shareDifficulty: 16 });
    });
  });

  describe('when accepted', () => {
    it('hashes once and reports credited and achieved difficulty and the display hash', async () => {
      h.node.push(fakeTemplate(100, 'aa'));
      const { session, events } = await h.miner('w1', { initialDifficulty: 2 });
      const hashes = h.plugin.hasher.calls;
      const verdict = await submitNonce(session, lastJob(events), 64);
      expect(h.plugin.hasher.calls).toBe(hashes + 1);
      const hashHex = (FAKE_DIFF1 / 64n).toString(16).padStart(64, '0');
      expect(verdict).toEqual({ accepted: true, difficulty: 2, shareDifficulty: 64, block: false, hash: hashHex });
    });
  });

  describe("when a session's difficulty changes between two jobs (DESIGN.md 'Difficulty belongs to the job')", () => {
    it('judges shares on the older job at its own target and on the newer job at the new one (difficulty up)', async () => {
      h.node.push(fakeTemplate(100, 'aa'));
      const { session, events } = await h.miner('w1', { initialDifficulty: 8 });
      const older = lastJob(events);
      session.suggestDifficulty(32);
      h.node.push(fakeTemplate(100, 'aa'));
      const newer = lastJob(events);
      expect(events.slice(-2)).toEqual([
        { type: 'difficulty', difficulty: 32 },
        { type: 'job', job: newer, clean: false, difficulty: 32 },
      ]);
      expect(await submitNonce(session, older, 8)).toMatchObject({ accepted: true, difficulty: 8 });
      expect(await submitNonce(session, older, 7)).toMatchObject({
        accepted: false,
        reason: 'low-difficulty',
        message: expect.stringContaining('below the required 8'),
      });
      // its own extranonce2: one height, so the same fields would be a duplicate
      const extranonce2 = Buffer.from('00000002', 'hex');
      expect(await submitNonce(session, newer, 8, { extranonce2 })).toMatchObject({
        accepted: false,
        reason: 'low-difficulty',
        message: expect.stringContaining('below the required 32'),
      });
      expect(await submitNonce(session, newer, 32, { extranonce2 })).toMatchObject({ accepted: true, difficulty: 32 });
    });

    it('applies the easier current target to the older job and credits the applied difficulty (difficulty down)', async () => {
      h.node.push(fakeTemplate(100, 'aa'));
      const { session, events } = await h.miner('w1', { initialDifficulty: 32 });
      const older = lastJob(events);
      session.suggestDifficulty(8);
      h.node.push(fakeTemplate(100, 'aa'));
      const newer = lastJob(events);
      expect(events.slice(-2)).toEqual([
        { type: 'difficulty', difficulty: 8 },
        { type: 'job', job: newer, clean: false, difficulty: 8 },
      ]);
      expect(await submitNonce(session, older, 8)).toMatchObject({ accepted: true, difficulty: 8, shareDifficulty: 8 });
      expect(await submitNonce(session, older, 32, { extranonce2: Buffer.from('00000002', 'hex') })).toMatchObject({
        accepted: true,
        difficulty: 8,
        shareDifficulty: 32,
      });
      const extranonce2 = Buffer.from('00000003', 'hex');
      expect(await submitNonce(session, newer, 8, { extranonce2 })).toMatchObject({ accepted: true, difficulty: 8 });
      expect(await submitNonce(session, newer, 7, { extranonce2 })).toMatchObject({
        accepted: false,
        reason: 'low-difficulty',
        message: expect.stringContaining('below the required 8'),
      });
      const credited = h.shares.recent(10).map((r) => [r.verdict, r.difficulty]);
      expect(credited).toEqual([
        ['accepted', 8],
        ['accepted', 8],
        ['accepted', 8],
        ['low-difficulty', 0],
      ]);
    });

    it('keeps each job at its own target across two changes (a history, not one previous value)', async () => {
      h.node.push(fakeTemplate(100, 'aa'));
      const { session, events } = await h.miner('w1', { initialDifficulty: 4 });
      const at4 = lastJob(events);
      session.suggestDifficulty(16);
      h.node.push(fakeTemplate(100, 'aa'));
      const at16 = lastJob(events);
      session.suggestDifficulty(64);
      h.node.push(fakeTemplate(100, 'aa'));
      const at64 = lastJob(events);
      expect(await submitNonce(session, at4, 4)).toMatchObject({ accepted: true, difficulty: 4 });
      expect(await submitNonce(session, at16, 15)).toMatchObject({ reason: 'low-difficulty' });
      expect(await submitNonce(session, at16, 16)).toMatchObject({ accepted: true, difficulty: 16 });
      expect(await submitNonce(session, at64, 63)).toMatchObject({ reason: 'low-difficulty' });
    });
  });

  describe('when the hash meets the network target', () => {
    it('builds and submits the block once, answers without waiting for the node, and emits it on blocks$', async () => {
      h.node.push(fakeTemplate(100, 'aa', 1000));
      const blocks: FoundBlock[] = [];
      h.engine.blocks$.subscribe((b) => blocks.push(b));
      const answer = deferred<{ accepted: boolean; hash: string }>();
      h.node.nextSubmit = () => answer.promise;
      const { session, events } = await h.miner();
      const job = lastJob(events);
      const verdict = await submitNonce(session, job, 5000);
      const hashHex = (FAKE_DIFF1 / 5000n).toString(16).padStart(64, '0');
      expect(verdict).toEqual({ accepted: true, difficulty: 1, shareDifficulty: 5000, block: true, hash: hashHex });
      expect(h.plugin.builtBlocks).toEqual([{ jobId: job.id, nonce: 5000 }]);
      expect(h.node.submitted).toHaveLength(1);
      expect(blocks).toEqual([]);
      answer.resolve({ accepted: true, hash: hashHex });
      await flush();
      expect(blocks).toEqual([{ height: 100, hash: hashHex, accepted: true, worker: 'w1' }]);
      expect(h.logs).toContainEqual(
        expect.objectContaining({ level: 'info', msg: `block found at height 100 hash ${hashHex} accepted by node` }),
      );
      expect(h.shares.recent(1)[0]).toMatchObject({ verdict: 'accepted', blockHash: hashHex, networkDifficulty: 1000 });
    });

    it("emits the node's reason when it refuses the block", async () => {
      h.node.push(fakeTemplate(100, 'aa', 1000));
      const blocks: FoundBlock[] = [];
      h.engine.blocks$.subscribe((b) => blocks.push(b));
      h.node.nextSubmit = async () => ({ accepted: false, hash: 'ab', reason: 'high-hash' });
      const { session, events } = await h.miner();
      await submitNonce(session, lastJob(events), 1000);
      await flush();
      expect(blocks).toEqual([{ height: 100, hash: 'ab', accepted: false, reason: 'high-hash', worker: 'w1' }]);
      expect(h.logs).toContainEqual(
        expect.objectContaining({ level: 'error', msg: 'block found at height 100 hash ab not accepted: high-hash' }),
      );
    });

    it('submits a block even when the share target is harder than the network target', async () => {
      h.node.push(fakeTemplate(100, 'aa', 10));
      const { session, events } = await h.miner('w1', { initialDifficulty: 100 });
      expect(await submitNonce(session, lastJob(events), 20)).toMatchObject({ accepted: true, block: true });
      expect(h.node.submitted).toHaveLength(1);
    });

    it('does not submit a share below the network target', async () => {
      h.node.push(fakeTemplate(100, 'aa', 1000));
      const { session, events } = await h.miner();
      expect(await submitNonce(session, lastJob(events), 999)).toMatchObject({ accepted: true, block: false });
      expect(h.node.submitted).toHaveLength(0);
    });
  });
});

describe('ShareValidator used directly', () => {
  describe('when a job leaves the history', () => {
    it("answers 'unknown-job' for it, not 'duplicate'", async () => {
      const plugin = new FakeCoinPlugin();
      const node = new FakeNode();
      const jobs = new JobManager(plugin, node, {}, { extranonce1Size: 4, extranonce2Size: 4, historySize: 1 });
      const blocks = new BlockSubmitter(plugin, node);
      const validator = new ShareValidator(plugin, jobs, blocks);
      await jobs.start();
      node.push(fakeTemplate(1, 'aa'));
      const job: CoinJob = jobs.current!;
      const ledger = new JobLedger<CoinJob>();
      const entry = ledger.record(job.id, job, targetFromDifficulty(1, FAKE_DIFF1), 1);
      const share = { jobId: job.id, extranonce1: Buffer.alloc(4), extranonce2: Buffer.alloc(4), ntime: job.ntimeMin, nonce: 5 };
      const check = { share, entry, current: { target: entry.target, difficulty: 1 }, worker: 'w' };
      expect((await validator.validate(check)).verdict.accepted).toBe(true);
      expect((await validator.validate(check)).verdict).toMatchObject({ reason: 'duplicate' });
      node.push(fakeTemplate(1, 'aa'));
      expect((await validator.validate(check)).verdict).toMatchObject({ reason: 'unknown-job' });
      validator.dispose();
      await jobs.stop();
      blocks.complete();
    });
  });
});
