import { targetFromDifficulty } from '@lode/mining';
import { LodeError, type ShareSubmission } from '@lode/plugin-api';
import { createWarthogHasher } from '../hasher/warthog-hasher';
import { loadWarthogNative } from '../native';
import { toCoinTemplate } from '../node/to-coin-template';
import { targetV2ToBigint } from '../target-v2/target-v2-to-bigint';
import { MINING_STATE } from '../testing/warthog-node-answers.fixture';
import { A1, A2, A3, A4, SESSION, SHARE_PREFIX, SHARES } from '../testing/warthog-vectors.fixture';
import { WarthogCoinPlugin } from './warthog-coin-plugin';

// Needs the addon: `nx test` builds it first (test dependsOn build-native).

const bytes = (hex: string): Buffer => Buffer.from(hex, 'hex');
const CONFIG = { node: { url: 'http://127.0.0.1:3000' }, payoutAddress: SESSION.address };

/** The §6-H share with nonce `nonce` (hex), extranonce 00000001|000000000002. */
function share(nonce: string): ShareSubmission {
  return { jobId: SESSION.jobId, extranonce1: bytes(SESSION.extranonce1), extranonce2: bytes(SESSION.extranonce2), ntime: SESSION.ntime, nonce: parseInt(nonce, 16) };
}

describe('WarthogCoinPlugin with the native addon', () => {
  const plugin = new WarthogCoinPlugin({ clock: () => (SESSION.ntime + 60) * 1000 });
  const native = loadWarthogNative();
  const job = plugin.createJob(toCoinTemplate(MINING_STATE), { jobId: SESSION.jobId, extranonce1Size: 4, extranonce2Size: 6 }, CONFIG);
  const valueOf = (header: string): bigint => plugin.hashValue(plugin.hasher.hash(bytes(header)));

  describe('when real mainnet headers are hashed (§6-A)', () => {
    it.each([
      ['A1', A1],
      ['A2', A2],
      ['A3', A3],
      ['A4 (version 2, VerusHash v2.1)', A4],
    ])('%s gives the published block id and Janushash number', (_name, vector) => {
      const janus = plugin.hasher.janus(bytes(vector.header));
      expect(janus.blockHash.toString('hex')).toBe(vector.blockHash);
      // J (CustomFloat, 32-bit mantissa) is exact as a double; the facts print it to 17 digits
      expect(janus.number).toBe(vector.janus);
    });

    it("makes each a block at its own target (value <= the job's network target)", () => {
      for (const vector of [A1, A2, A3, A4]) {
        const nbits = bytes(vector.header).readUInt32BE(32);
        expect(valueOf(vector.header) <= targetV2ToBigint(nbits)).toBe(true);
      }
    });
  });

  describe('when the comparison value is set against a TargetV2 (checkTarget, the consensus check, is the oracle)', () => {
    const headers: [string, string][] = [
      ['A1', A1.header],
      ['A2', A2.header],
      ['A3', A3.header],
      ['A4', A4.header],
      ...SHARES.map((s): [string, string] => [`share ${s.nonce}`, SHARE_PREFIX + s.nonce]),
    ];
    const fixedTargets = [0x0ae7cde7, 0x0ba7c02f, 0x0af40502, 0x003fffff, 0x03e9f16b, 0x0429f16b, 0x04a18def, 0x04f46dc5, 0x04efef55, 0x04e18def];

    it.each(headers)('agrees on every §6-D/§6-E target for %s', (_name, header) => {
      for (const target of fixedTargets) {
        expect([target, valueOf(header) <= targetV2ToBigint(target)]).toEqual([target, native.checkTarget(bytes(header), target)]);
      }
    });

    it.each(SHARES)('gives the §6-E verdicts of share $nonce at the listed TargetV2s', ({ nonce, meets, fails }) => {
      const header = SHARE_PREFIX + nonce;
      for (const target of meets) expect([target, valueOf(header) <= targetV2ToBigint(target)]).toEqual([target, true]);
      for (const target of fails) expect([target, valueOf(header) <= targetV2ToBigint(target)]).toEqual([target, false]);
    });

    it.each(headers.slice(0, 6))("agrees at the edge (τ at J's own exponent and truncated mantissa, and one step above) for %s", (_name, header) => {
      const { exponent, mantissa } = plugin.hasher.janus(bytes(header));
      const zeros = -exponent;
      const bits = Math.floor(mantissa / 1024);
      for (const b of [bits, bits + 1]) {
        const target = zeros * 2 ** 22 + b;
        expect([b - bits, valueOf(header) <= targetV2ToBigint(target)]).toEqual([b - bits, native.checkTarget(bytes(header), target)]);
      }
      // J < τ holds one step above and not at J's own truncated mantissa
      expect(native.checkTarget(bytes(header), zeros * 2 ** 22 + bits + 1)).toBe(true);
      expect(native.checkTarget(bytes(header), zeros * 2 ** 22 + bits)).toBe(false);
    });
  });

  describe('when the §6-H session is judged through the pool path (buildHeader -> hashShare -> hashValue <= 2^256 / D)', () => {
    const judge = async (nonce: string, difficulty: number): Promise<boolean> => {
      const header = plugin.buildHeader(job, share(nonce));
      const { hash } = await plugin.hashShare(job, header);
      return plugin.hashValue(hash) <= targetFromDifficulty(difficulty, plugin.diff1Target);
    };

    it('accepts 00002df1 at the session difficulty 500000, with the §6-E block id', async () => {
      const header = plugin.buildHeader(job, share('00002df1'));
      const pow = await plugin.hashShare(job, header);
      expect(pow.blockHash).toBe(SHARES[0].blockHash);
      expect(await judge('00002df1', SESSION.difficulty)).toBe(true);
    });

    it.each(SHARES)('computes the §6-E Janushash number of $nonce (1.0 when Y < c, as the node)', ({ nonce, janus }) => {
      expect(plugin.hasher.janus(plugin.buildHeader(job, share(nonce))).number).toBe(janus);
    });

    it('rejects 00000456 (J 1.42e-5) and 0000cb8e (Y < c) at 500000', async () => {
      expect(await judge('00000456', SESSION.difficulty)).toBe(false);
      expect(await judge('0000cb8e', SESSION.difficulty)).toBe(false);
    });

    it.each(SHARES)('meets the §6-E difficulties of $nonce and fails the others', async ({ nonce, validAt, invalidAt }) => {
      for (const d of validAt) expect([d, await judge(nonce, d)]).toEqual([d, true]);
      for (const d of invalidAt) expect([d, await judge(nonce, d)]).toEqual([d, false]);
    });

    it('never makes a block of them at the network target 0ae7cde7', async () => {
      for (const { nonce } of SHARES) {
        const { hash } = await plugin.hashShare(job, plugin.buildHeader(job, share(nonce)));
        expect(plugin.hashValue(hash) <= job.networkTarget).toBe(false);
      }
    });

    it('gives the §6-H block body for the winning share', async () => {
      const header = plugin.buildHeader(job, share('00002df1'));
      expect(JSON.parse(plugin.buildBlock(job, share('00002df1'), header))).toEqual({
        height: job.height,
        header: SHARE_PREFIX + '00002df1',
        body: SESSION.winningBody,
      });
    });

    it('rejects a header that is not 80 bytes as a plugin error', async () => {
      await expect(plugin.hashShare(job, Buffer.alloc(79))).rejects.toThrow(
        expect.objectContaining({ kind: 'plugin', message: 'header is 79 bytes, a Warthog header is 80' }) as unknown as Error,
      );
    });
  });

  describe('when the hasher scans a nonce range of the §6-E header', () => {
    const header = bytes(SHARE_PREFIX + '00000000');

    it('finds 00002df1 at 2^256 / 500000, with its value', async () => {
      const target = targetFromDifficulty(SESSION.difficulty, plugin.diff1Target);
      const result = await plugin.hasher.scan({ header, startNonce: 0x2de8, count: 16, target, threads: 2 });
      expect(result.hashes).toBe(16);
      const hit = result.hits.find((h) => h.nonce === 0x2df1);
      expect(hit?.hash.toString('hex')).toBe(plugin.hasher.hash(bytes(SHARE_PREFIX + '00002df1')).toString('hex'));
      expect(result.hits.every((h) => plugin.hashValue(h.hash) <= target)).toBe(true);
    });

    it('never returns 0000cb8e (Y < c), even at the easiest target', async () => {
      const result = await plugin.hasher.scan({ header, startNonce: 0xcb88, count: 16, target: 2n ** 256n - 1n, threads: 1 });
      const nonces = result.hits.map((h) => h.nonce);
      expect(nonces).not.toContain(0xcb8e);
      expect(nonces.length).toBeGreaterThan(0);
    });

    it('refuses a target outside [0, 2^256)', async () => {
      await expect(plugin.hasher.scan({ header, startNonce: 0, count: 1, target: 2n ** 256n, threads: 1 })).rejects.toThrow(LodeError);
    });
  });

  describe('when the code path is forced', () => {
    it('gives the same value on the portable path', () => {
      const portable = createWarthogHasher({ implementation: 'portable' });
      expect(portable.implementation).toBe('portable');
      expect(['aes-ni', 'portable']).toContain(plugin.hasher.implementation);
      expect(portable.hash(bytes(A1.header)).equals(plugin.hasher.hash(bytes(A1.header)))).toBe(true);
    });
  });
});
