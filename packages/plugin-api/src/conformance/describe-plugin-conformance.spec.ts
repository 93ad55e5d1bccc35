import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerModule } from 'inversify';
import { LODE_PLUGIN_API_VERSION, type CoinJob, type CoinPlugin, type NativeHasher, type ScanHit, type ShareSubmission } from '../coin-plugin';
import { COIN_PLUGIN } from '../tokens';
import { checkDifficultyRoundTrip } from './check-difficulties';
import { checkHeaderDependsOnShare } from './check-header-depends-on-share';
import { checkManifest } from './check-manifest';
import { checkScan } from './check-scan';
import { checkShareHash } from './check-share-hash';
import { contractProblems } from './contract-problems';
import { describePluginConformance } from './describe-plugin-conformance';
import { PluginConformanceError } from './plugin-conformance-error';
import type { PluginConformanceFixture } from './plugin-conformance-fixture';

/**
 * A toy coin for testing the conformance suite itself: header =
 * extranonce1 ‖ extranonce2 ‖ nonce (uint32 little-endian), PoW =
 * SHA-256(header), read little-endian (no hashValue). Its share is the FIPS
 * 180-2 two-block message "abcdbcde...nopq" (56 bytes), whose SHA-256 is the
 * standard's vector. `fault` swaps in one defect at a time.
 */
const TOY_MESSAGE = 'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq';
/** FIPS 180-2, appendix B.2: SHA-256 of TOY_MESSAGE */
const TOY_MESSAGE_SHA256 = '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1';

type ToyFault = 'none' | 'hash-stub' | 'scan-big-endian' | 'ignores-extranonce2' | 'no-dialects';

function toyCoin(fault: ToyFault = 'none'): CoinPlugin {
  const sha = (header: Buffer): Buffer => createHash('sha256').update(header).digest();
  const hasher: NativeHasher = {
    implementation: 'js',
    hash(header: Buffer): Buffer {
      if (fault === 'hash-stub') throw new Error('hash is not written yet: implement the toy PoW');
      return sha(header);
    },
    async scan(request) {
      const hits: ScanHit[] = [];
      const header = Buffer.from(request.header);
      for (let n = request.startNonce; n < request.startNonce + request.count; n++) {
        if (fault === 'scan-big-endian') header.writeUInt32BE(n, header.length - 4);
        else header.writeUInt32LE(n, header.length - 4);
        const hash = sha(header);
        if (BigInt(`0x${Buffer.from(hash).reverse().toString('hex')}`) <= request.target) hits.push({ nonce: n, hash });
      }
      return { hits, hashes: request.count };
    },
  };
  return {
    id: 'toy',
    name: 'Toy',
    algorithm: 'sha256',
    dialects: fault === 'no-dialects' ? [] : ['bitcoin'],
    diff1Target: 2n ** 224n,
    configSchema: { type: 'object' },
    hasher,
    createNode: () => {
      throw new Error('the toy coin has no node');
    },
    createJob: (template, context): CoinJob => ({
      id: context.jobId,
      coin: 'toy',
      height: template.height,
      prevHash: template.prevHash,
      networkTarget: template.networkTarget,
      ntimeMin: 0,
      ntimeMax: 0xffffffff,
      work: { dialect: 'bitcoin', prevhash: '', coinb1: '', coinb2: '', merkleBranches: [], version: 1, nbits: 0, ntime: 0 },
      createdAt: 0,
    }),
    checkShare: () => undefined,
    buildHeader: (_job: CoinJob, share: ShareSubmission): Buffer => {
      const nonce = Buffer.alloc(4);
      nonce.writeUInt32LE(share.nonce);
      return Buffer.concat([share.extranonce1, fault === 'ignores-extranonce2' ? Buffer.alloc(share.extranonce2.length) : share.extranonce2, nonce]);
    },
    buildBlock: (_job, _share, header) => header.toString('hex'),
    displayHash: (hash) => Buffer.from(hash).reverse().toString('hex'),
  };
}

const roots: string[] = [];
afterAll(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** <tmp>/app/package.json and <tmp>/app/node_modules/<name>, whose entry exports the toy coin. */
function toyHost(name: string, lode: unknown): string {
  const root = mkdtempSync(join(tmpdir(), 'lode-conformance-'));
  roots.push(root);
  const app = join(root, 'app');
  const dir = join(app, 'node_modules', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'host-app', dependencies: { [name]: '*' } }));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', main: 'index.js', lode }));
  writeFileSync(join(dir, 'index.js'), 'module.exports = { lodeCoinPlugin: globalThis.__lodeToyCoin };');
  return app;
}

(globalThis as Record<string, unknown>)['__lodeToyCoin'] = {
  apiVersion: LODE_PLUGIN_API_VERSION,
  module: new ContainerModule(({ bind }) => {
    bind(COIN_PLUGIN).toConstantValue(toyCoin());
  }),
};

const message = Buffer.from(TOY_MESSAGE, 'latin1');
const fixture: PluginConformanceFixture = {
  packageName: 'lode-toy-coin',
  from: toyHost('lode-toy-coin', { kind: 'coin-plugin', apiVersion: LODE_PLUGIN_API_VERSION, coins: ['toy'] }),
  coinId: 'toy',
  config: {},
  template: { height: 1, prevHash: '00'.repeat(32), networkTarget: 2n ** 224n, raw: {} },
  context: { jobId: 'toy-1', extranonce1Size: 4, extranonce2Size: 48 },
  shares: [
    {
      name: 'the FIPS 180-2 message abcdbcde...nopq',
      source: 'FIPS 180-2 appendix B.2 (SHA-256 of the 56-byte message)',
      extranonce1: message.subarray(0, 4).toString('hex'),
      extranonce2: message.subarray(4, 52).toString('hex'),
      ntime: 0,
      nonce: message.readUInt32LE(52),
      header: message.toString('hex'),
      hash: TOY_MESSAGE_SHA256,
    },
  ],
};

// The whole suite against a coin that follows the contract: every test passes.
describePluginConformance(fixture);

describe('the conformance checks', () => {
  describe('when a member is a stub that throws', () => {
    it('fails the hash check with the thrown message', async () => {
      const error = await checkShareHash(toyCoin('hash-stub'), fixture, fixture.shares[0]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PluginConformanceError);
      expect((error as Error).message).toBe('hasher.hash(header) threw: hash is not written yet: implement the toy PoW');
    });
  });

  describe('when the scan writes the nonce in another byte order than buildHeader', () => {
    it('names the nonces it missed and those it invented', async () => {
      const error = await checkScan(toyCoin('scan-big-endian'), fixture).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PluginConformanceError);
      expect((error as Error).message).toMatch(/^hasher\.scan\(\{ header, startNonce: \d+, count: 256, target, threads: 1 \}\) disagrees with buildHeader \+ hasher\.hash \+ the hash read little-endian/);
      expect((error as Error).message).toMatch(/it missed nonces \[\d+/);
      expect((error as Error).message).toContain('the scan must write the nonce where (and in the byte order) buildHeader puts share.nonce');
    });

    it('passes with the nonce where buildHeader puts it, and finds some hits', async () => {
      const result = await checkScan(toyCoin(), fixture);
      expect(result.hits.length).toBeGreaterThan(0);
      expect(result.count).toBe(256);
    });
  });

  describe('when buildHeader ignores extranonce2', () => {
    it('says that the extranonce2 must enter the header', () => {
      expect(() => checkHeaderDependsOnShare(toyCoin('ignores-extranonce2'), fixture)).toThrow(/buildHeader gave the same header for extranonce2 .* the miner's extranonce2 must enter the header/);
    });
  });

  describe('when a contract member is wrong', () => {
    it('lists each problem with what the member must be', () => {
      expect(contractProblems(toyCoin('no-dialects'), 'toy')).toEqual([
        'dialects must list the dialects the coin speaks, at least one, each of bitcoin | ethstratum | warthog (got [])',
      ]);
      expect(contractProblems(toyCoin(), 'xyz')).toEqual(['id must be the coin id "xyz" that "lode.coins" lists (got "toy")']);
    });
  });

  describe('when the manifest is incomplete', () => {
    it('names the file, each field, and the whole marker', () => {
      const from = toyHost('lode-bad-coin', { kind: 'coin', apiVersion: 0, coins: [] });
      expect(() => checkManifest({ packageName: 'lode-bad-coin', from, coinId: 'bad' })).toThrow(
        /package\.json: "lode\.kind" is "coin": set it to "coin-plugin"; "lode\.apiVersion" is 0: set it to 1, the plugin API this package implements; "lode\.coins" is \[\]: list the coin id "bad" in it \(the marker is "lode": \{ "kind": "coin-plugin", "apiVersion": 1, "coins": \["bad"\] \}\)$/,
      );
    });
  });

  describe('when diff1Target cannot carry a difficulty', () => {
    it('says what diff1Target must be', () => {
      expect(() => checkDifficultyRoundTrip(1000, 1n)).toThrow(/difficulty 1000 -> target 0x1 -> difficulty 1 .* diff1Target 0x1 must be the coin's difficulty-1 target/);
    });
  });
});
