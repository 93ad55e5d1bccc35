import { Container } from 'inversify';
import { COIN_PLUGIN, LodeError, type CoinJob, type ShareSubmission } from '@lode/plugin-api';
import { toCoinTemplate } from '../node/to-coin-template';
import { MINING_STATE } from '../testing/warthog-node-answers.fixture';
import { SESSION, SHARE_PREFIX, SHARES } from '../testing/warthog-vectors.fixture';
import { WarthogCoinPlugin } from './warthog-coin-plugin';
import type { WarthogJob } from './warthog-job';
import { warthogPluginModule } from './warthog-plugin-module';

const bytes = (hex: string): Buffer => Buffer.from(hex, 'hex');
const CONFIG = { node: { url: 'http://127.0.0.1:3000' }, payoutAddress: SESSION.address };
/** The pool's clock: 2024-09-24, a minute after the template's ntime 66f2fefb. */
const NOW_MS = (SESSION.ntime + 60) * 1000;

/** The §6-H share with nonce `nonce` (hex), extranonce 00000001|000000000002. */
function share(nonce: string, over: Partial<ShareSubmission> = {}): ShareSubmission {
  return {
    jobId: SESSION.jobId,
    extranonce1: bytes(SESSION.extranonce1),
    extranonce2: bytes(SESSION.extranonce2),
    ntime: SESSION.ntime,
    nonce: parseInt(nonce, 16),
    ...over,
  };
}

describe('WarthogCoinPlugin', () => {
  const plugin = new WarthogCoinPlugin({ clock: () => NOW_MS });
  const job = (): WarthogJob =>
    plugin.createJob(toCoinTemplate(MINING_STATE), { jobId: SESSION.jobId, extranonce1Size: 4, extranonce2Size: 6 }, CONFIG);

  describe('its identity', () => {
    it('is "wart", Janushash, the warthog dialect, difficulty 1 = target 2^256', () => {
      expect([plugin.id, plugin.name, plugin.algorithm]).toEqual(['wart', 'Warthog', 'janushash']);
      expect(plugin.dialects).toEqual(['warthog']);
      expect(plugin.diff1Target).toBe(2n ** 256n);
      expect((plugin.configSchema as { required: string[] }).required).toEqual(['node', 'payoutAddress']);
    });
  });

  describe('when the module is loaded into a container', () => {
    it('binds the coin to COIN_PLUGIN', async () => {
      const container = new Container();
      await container.load(warthogPluginModule);
      expect(container.getAll(COIN_PLUGIN).map((p) => p.id)).toEqual(['wart']);
    });
  });

  describe('when the extranonce layout is asked for', () => {
    it('splits the 10-byte extranonce area into extranonce1Bytes and the rest', () => {
      expect(plugin.extranonceSizes(CONFIG)).toEqual({ extranonce1Size: 4, extranonce2Size: 6 });
      expect(plugin.extranonceSizes({ ...CONFIG, extranonce1Bytes: 6 })).toEqual({ extranonce1Size: 6, extranonce2Size: 4 });
    });
  });

  describe('when a job is made from the §6-H template', () => {
    it('carries the notify fields of §6-H and the ntime window [template ntime, now + 600]', () => {
      const j = job();
      expect(j).toMatchObject({
        id: SESSION.jobId,
        coin: 'wart',
        height: MINING_STATE.height,
        prevHash: SESSION.prevHash,
        networkTarget: 0x27cde7n << 191n,
        ntimeMin: SESSION.ntime,
        ntimeMax: SESSION.ntime + 60 + 600,
        createdAt: NOW_MS,
      });
      // mining.notify of §6-H: prevHash, merklePrefix, "00000003", "0ae7cde7", "66f2fefb"
      expect(j.work).toEqual({
        dialect: 'warthog',
        prevHash: SESSION.prevHash,
        merklePrefix: SESSION.merklePrefix,
        version: 3,
        nbits: 0x0ae7cde7,
        ntime: 0x66f2fefb,
      });
      expect(j.warthog).toEqual({ body: SESSION.templateBody, extranonce1Size: 4, extranonce2Size: 6 });
    });

    it('refuses extranonce sizes that are not 10 bytes together', () => {
      expect(() => plugin.createJob(toCoinTemplate(MINING_STATE), { jobId: 'j', extranonce1Size: 4, extranonce2Size: 4 }, CONFIG)).toThrow(
        expect.objectContaining({ kind: 'config' }) as unknown as Error,
      );
    });

    it('refuses a template of another coin', () => {
      const template = { ...toCoinTemplate(MINING_STATE), raw: { previousblockhash: '00' } };
      expect(() => plugin.createJob(template, { jobId: 'j', extranonce1Size: 4, extranonce2Size: 6 }, CONFIG)).toThrow(
        'the template is not a Warthog /chain/mine template: header is not 160 lower-case hex digits',
      );
    });
  });

  describe('when a share is checked', () => {
    it('accepts the §6-H submit', () => {
      expect(plugin.checkShare(job(), share('00002df1'))).toBeUndefined();
    });

    it('refuses extranonces that are not 10 bytes together, naming the sizes', () => {
      expect(plugin.checkShare(job(), share('00002df1', { extranonce2: bytes('0000000002') }))).toEqual({
        reason: 'bad-extranonce2',
        message: "extranonce1 (4 bytes) + extranonce2 (5 bytes) is 9 bytes, Warthog's merkle root takes exactly 10; the job expects 6 bytes of extranonce2",
      });
    });

    it('refuses an ntime outside the window, in hex', () => {
      expect(plugin.checkShare(job(), share('00002df1', { ntime: SESSION.ntime - 1 }))).toEqual({
        reason: 'bad-ntime',
        message: "ntime 66f2fefa is before the job's earliest 66f2fefb (the template's timestamp)",
      });
      expect(plugin.checkShare(job(), share('00002df1', { ntime: SESSION.ntime + 661 }))).toEqual({
        reason: 'bad-ntime',
        message: "ntime 66f30190 is after the job's latest 66f3018f (the pool's clock + at most 600 s: the node refuses blocks further ahead)",
      });
      expect(plugin.checkShare(job(), share('00002df1', { ntime: SESSION.ntime + 660 }))).toBeUndefined();
    });

    it('refuses version bits: Warthog has no version rolling', () => {
      expect(plugin.checkShare(job(), share('00002df1', { versionBits: 0x2000, versionMask: 0x1fffe000 }))).toMatchObject({ reason: 'bad-version' });
    });

    it('refuses a job of another dialect as a plugin error', () => {
      const other = { ...job(), work: { dialect: 'ethstratum' } } as unknown as CoinJob;
      expect(() => plugin.checkShare(other, share('00002df1'))).toThrow(LodeError);
    });
  });

  describe('when the header of a §6-E share is built', () => {
    it.each(SHARES)('is the §6-E prefix followed by the nonce hex $nonce', ({ nonce }) => {
      expect(plugin.buildHeader(job(), share(nonce)).toString('hex')).toBe(SHARE_PREFIX + nonce);
    });

    it('works from the work alone (a miner job built from mining.notify)', () => {
      const { warthog: _omitted, ...minerJob } = job();
      expect(plugin.buildHeader(minerJob, share('00002df1')).toString('hex')).toBe(SHARE_PREFIX + '00002df1');
    });
  });

  describe('when the block of the winning share is built', () => {
    it('is {height, header, body} with body[0..10] = extranonce1 ‖ extranonce2, the body §6-H gives', () => {
      const header = plugin.buildHeader(job(), share('00002df1'));
      expect(JSON.parse(plugin.buildBlock(job(), share('00002df1'), header))).toEqual({
        height: MINING_STATE.height,
        header: SHARE_PREFIX + '00002df1',
        body: SESSION.winningBody,
      });
    });

    it('refuses a job without a template body', () => {
      const { warthog: _omitted, ...minerJob } = job();
      expect(() => plugin.buildBlock(minerJob, share('00002df1'), Buffer.alloc(80))).toThrow(/was not built by the wart plugin/);
    });
  });

  describe('when a hash value is read', () => {
    it('reads 32 bytes big-endian, and the all-ff "Y < c" value as 2^256', () => {
      expect(plugin.hashValue(bytes(`${'00'.repeat(31)}01`))).toBe(1n);
      expect(plugin.hashValue(bytes(`80${'00'.repeat(31)}`))).toBe(2n ** 255n);
      expect(plugin.hashValue(Buffer.alloc(32, 0xff))).toBe(2n ** 256n);
      expect(plugin.displayHash(bytes(SHARES[0].blockHash))).toBe(SHARES[0].blockHash);
    });
  });
});
