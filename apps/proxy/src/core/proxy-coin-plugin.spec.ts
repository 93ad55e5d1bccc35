import type { CoinJob, ShareSubmission } from '@lode/plugin-api';
import { bitcoinUpstreamJob } from '../testing/fake-link';
import { fakeCoin } from '../testing/fake-coin';
import { ProxyCoinPlugin } from './proxy-coin-plugin';

/** 2023-11-14T22:13:20Z, the fake jobs' ntime, in ms */
const NOW = 1_700_000_000_000;

function plugin(overrides: Partial<ConstructorParameters<typeof ProxyCoinPlugin>[0]> = {}) {
  const real = fakeCoin();
  const proxy = new ProxyCoinPlugin({
    real,
    dialect: 'bitcoin',
    upstreamExtranonce1: Buffer.from('a0000001', 'hex'),
    upstreamExtranonce2Size: 8,
    suffixBytes: 4,
    now: () => NOW,
    ...overrides,
  });
  return { real, proxy };
}

function jobOf(proxy: ProxyCoinPlugin, upstreamJob = bitcoinUpstreamJob('up-7')): CoinJob {
  return proxy.createJob(
    { height: 840000, prevHash: 'p:1', networkTarget: upstreamJob.target, raw: upstreamJob, jobId: upstreamJob.jobId, clean: true },
    { jobId: upstreamJob.jobId, extranonce1Size: 8, extranonce2Size: 4 },
  );
}

function share(overrides: Partial<ShareSubmission> = {}): ShareSubmission {
  return {
    jobId: 'up-7',
    extranonce1: Buffer.from('a0000001' + '0000002a', 'hex'),
    extranonce2: Buffer.from('deadbeef', 'hex'),
    ntime: 1_700_000_000,
    nonce: 0x12345678,
    ...overrides,
  };
}

describe('ProxyCoinPlugin', () => {
  describe('when asked for the miners\' extranonce sizes', () => {
    it('adds the suffix to the upstream extranonce1 and takes it from extranonce2', () => {
      expect(plugin().proxy.extranonceSizes()).toEqual({ extranonce1Size: 8, extranonce2Size: 4 });
      expect(plugin({ upstreamExtranonce2Size: 4, suffixBytes: 0 }).proxy.extranonceSizes()).toEqual({ extranonce1Size: 4, extranonce2Size: 4 });
    });

    it('refuses a suffix larger than the upstream extranonce2', () => {
      expect(() => plugin({ upstreamExtranonce2Size: 4, suffixBytes: 5 })).toThrow(
        "extranonce suffix of 5 bytes does not fit the upstream's extranonce2 of 4 bytes",
      );
    });
  });

  describe('when it builds a job from an upstream job', () => {
    it('keeps the upstream id and work, and makes the upstream share target the network target', () => {
      const { proxy } = plugin();
      const upstream = bitcoinUpstreamJob('up-7', { target: 12345n });
      const job = jobOf(proxy, upstream);
      expect(job).toMatchObject({ id: 'up-7', coin: 'btc', height: 840000, prevHash: 'p:1', networkTarget: 12345n, work: upstream.work });
      // ntime window: 600 s back from the work's ntime, 7200 s ahead of the clock
      expect([job.ntimeMin, job.ntimeMax]).toEqual([1_700_000_000 - 600, 1_700_000_000 + 7200]);
    });

    it('refuses a template that carries no upstream job, or work of another dialect', () => {
      const { proxy } = plugin();
      expect(() => proxy.createJob({ height: 1, prevHash: '', networkTarget: 1n, raw: {} }, { jobId: 'x', extranonce1Size: 8, extranonce2Size: 4 })).toThrow(
        'template x carries no upstream job',
      );
      const warthog = { ...bitcoinUpstreamJob('w'), work: { dialect: 'warthog' as const, prevHash: '00', merklePrefix: '00', version: 3, nbits: 1, ntime: 1 } };
      expect(() => jobOf(proxy, warthog)).toThrow('upstream job w carries warthog work, this subscription speaks bitcoin');
    });
  });

  describe('when it checks a share', () => {
    it('accepts a share of the right size inside the ntime window and the masks', () => {
      const { proxy } = plugin({ upstreamVersionMask: () => 0x1fffe000 });
      const job = jobOf(proxy);
      expect(proxy.checkShare(job, share())).toBeUndefined();
      expect(proxy.checkShare(job, share({ versionBits: 0x2000, versionMask: 0x1fffe000 }))).toBeUndefined();
    });

    it('refuses an extranonce2 that is not the miners\' size', () => {
      const { proxy } = plugin();
      expect(proxy.checkShare(jobOf(proxy), share({ extranonce2: Buffer.from('deadbeef00', 'hex') }))).toEqual({
        reason: 'bad-extranonce2',
        message: 'extranonce2 is 5 bytes, this subscription expects 4',
      });
    });

    it('refuses an ntime more than 600 s before the work or 7200 s after the clock', () => {
      const { proxy } = plugin();
      const job = jobOf(proxy);
      // 1_700_000_000 - 601 = 0x6553eea7
      expect(proxy.checkShare(job, share({ ntime: 1_700_000_000 - 601 }))).toEqual({
        reason: 'bad-ntime',
        message: "ntime 6553eea7 is before the job's earliest 6553eea8",
      });
      expect(proxy.checkShare(job, share({ ntime: 1_700_000_000 - 600 }))).toBeUndefined();
      expect(proxy.checkShare(job, share({ ntime: 1_700_007_200 }))).toBeUndefined();
      // 1_700_007_201 = 0x65540d21
      expect(proxy.checkShare(job, share({ ntime: 1_700_007_201 }))).toEqual({
        reason: 'bad-ntime',
        message: "ntime 65540d21 is after the latest 65540d20 (the proxy's clock + 7200 s)",
      });
    });

    it('refuses version bits outside the session\'s mask or the upstream\'s current one', () => {
      let upstreamMask = 0x1fffe000;
      const { proxy } = plugin({ upstreamVersionMask: () => upstreamMask });
      const job = jobOf(proxy);
      expect(proxy.checkShare(job, share({ versionBits: 0x20000000, versionMask: 0x1fffe000 }))).toEqual({
        reason: 'bad-version',
        message: 'version bits 20000000 fall outside the negotiated mask 1fffe000',
      });
      upstreamMask = 0x00ffe000;
      expect(proxy.checkShare(job, share({ versionBits: 0x10000000, versionMask: 0x1fffe000 }))).toEqual({
        reason: 'bad-version',
        message: "version bits 10000000 fall outside the upstream's mask 00ffe000",
      });
    });
  });

  describe('when it builds the "block" of an upstream-worthy share', () => {
    it('writes the share in the upstream extranonce space: extranonce2 = suffix ‖ miner extranonce2', () => {
      const { proxy } = plugin();
      const job = jobOf(proxy);
      expect(JSON.parse(proxy.buildBlock(job, share({ versionBits: 0x2000, versionMask: 0x1fffe000 }), Buffer.alloc(80)))).toEqual({
        jobId: 'up-7',
        extranonce2: '0000002adeadbeef',
        ntime: 1_700_000_000,
        nonce: 0x12345678,
        versionBits: 0x2000,
      });
    });

    it('names the worker when credentials pass through', () => {
      const { proxy } = plugin({ workerOf: (en1) => (en1.toString('hex') === 'a00000010000002a' ? 'alice.rig1' : undefined) });
      expect(JSON.parse(proxy.buildBlock(jobOf(proxy), share(), Buffer.alloc(80)))).toMatchObject({ workerName: 'alice.rig1' });
    });

    it('with no suffix, forwards the miner extranonce2 as is', () => {
      const { proxy } = plugin({ upstreamExtranonce2Size: 4, suffixBytes: 0 });
      expect(JSON.parse(proxy.buildBlock(jobOf(proxy), share({ extranonce1: Buffer.from('a0000001', 'hex') }), Buffer.alloc(80)))).toMatchObject({
        extranonce2: 'deadbeef',
      });
    });

    it('refuses a share whose extranonce1 is not the upstream\'s followed by a suffix', () => {
      const { proxy } = plugin();
      expect(() => proxy.buildBlock(jobOf(proxy), share({ extranonce1: Buffer.from('b00000010000002a', 'hex') }), Buffer.alloc(80))).toThrow(
        "extranonce1 b00000010000002a is not the upstream's a0000001 followed by a 4-byte suffix",
      );
    });
  });

  describe('when it hashes', () => {
    it('delegates headers, the hasher, display and diff1 to the real plugin', () => {
      const { proxy, real } = plugin();
      const job = jobOf(proxy);
      const header = proxy.buildHeader(job, share());
      expect(real.headers).toHaveLength(1);
      expect(proxy.hasher.hash(header)).toEqual(real.hasher.hash(header));
      expect(proxy.displayHash(Buffer.from('0102', 'hex'))).toBe('0201');
      expect(proxy.diff1Target).toBe(real.diff1Target);
      expect([proxy.id, proxy.algorithm]).toEqual(['btc', 'sha256d']);
    });
  });
});
