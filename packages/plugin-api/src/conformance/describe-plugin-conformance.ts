import { afterAll, describe, it } from '@jest/globals';
import type { CoinPlugin } from '../coin-plugin';
import { checkDifficultyRoundTrip, difficultiesOf } from './check-difficulties';
import { checkHeaderDependsOnShare } from './check-header-depends-on-share';
import { checkManifest } from './check-manifest';
import { checkScan } from './check-scan';
import { checkHeaderVector, checkShareHash } from './check-share-hash';
import { contractProblems } from './contract-problems';
import { loadCoin, type LoadedCoin } from './load-coin';
import { PluginConformanceError } from './plugin-conformance-error';
import type { PluginConformanceFixture } from './plugin-conformance-fixture';

/** ms a conformance test may take unless the fixture says otherwise. */
export const DEFAULT_CONFORMANCE_TIMEOUT_MS = 60_000;

/**
 * Registers the shared behavioural suite every coin plugin runs (as
 * MQTT.js's shared client suite): one jest describe block
 * "<packageName> conformance (<coinId>)" whose tests load the plugin the way
 * an app does (run-time discovery, never an import) and check:
 *
 * 1. manifest: the package.json `"lode"` marker (kind, apiVersion, coins);
 * 2. discovery: discoverPlugins, loadPlugins and the coin id give a
 *    CoinPlugin whose every contract member has the right type;
 * 3. hash: each fixture share through createJob, checkShare, buildHeader and
 *    the PoW (hashShare, else hasher.hash) gives the source's header and
 *    hash; each header vector through hasher.hash gives the source's hash;
 * 4. scan: the native scan (hasher.scan, or epochHasher.scan for
 *    epoch-based coins) finds exactly the nonces hashing says meet the target;
 * 5. difficulty: targetFromDifficulty / difficultyFromTarget round-trip
 *    with the coin's diff1Target within 1e-9;
 * 6. header: buildHeader depends on the share (extranonce2, and the nonce
 *    for coins that scan header nonces).
 *
 * Each failure is a PluginConformanceError saying what the plugin did, what
 * the source expects, and what to change; a member that throws (a fresh
 * plugin's "hash is not written yet: ...") fails its test with that message.
 * A coin with an epochHasher that has `settled()` (EthashContexts) is
 * awaited after the suite, and its contexts released, so no build outlives it.
 *
 * Call it at the top level of a `*.conformance.spec.ts` in the plugin.
 *
 * @param fixture where the plugin is, a config, a template and real vectors
 *   (PluginConformanceFixture; every expected value from the coin's facts)
 */
export function describePluginConformance(fixture: PluginConformanceFixture): void {
  const timeout = fixture.timeoutMs ?? DEFAULT_CONFORMANCE_TIMEOUT_MS;
  describe(`${fixture.packageName} conformance (${fixture.coinId})`, () => {
    let loaded: LoadedCoin | undefined;
    const coin = (): CoinPlugin => (loaded ??= loadCoin(fixture)).plugin;

    afterAll(async () => {
      const epochHasher = loaded?.plugin.epochHasher;
      if (epochHasher === undefined) return;
      const settled = (epochHasher as { settled?: unknown }).settled;
      if (typeof settled === 'function') await (settled as () => Promise<void>).call(epochHasher);
      epochHasher.retain([]);
    }, timeout);

    it('manifest: package.json declares "lode": { kind: "coin-plugin", apiVersion, coins }', () => {
      checkManifest(fixture);
    });

    it('discovery: discoverPlugins + loadPlugins + the coin id give a CoinPlugin with every contract member', () => {
      const problems = contractProblems(coin(), fixture.coinId);
      if (problems.length > 0) {
        throw new PluginConformanceError(`coin "${fixture.coinId}" of ${fixture.packageName} breaks the CoinPlugin contract:\n- ${problems.join('\n- ')}`);
      }
    });

    if (fixture.shares.length === 0) {
      it('hash: the fixture has shares', () => {
        throw new PluginConformanceError('the fixture has no share: give at least one real share with its header and hash');
      });
    }
    for (const share of fixture.shares) {
      it(`hash: ${share.name}: createJob, checkShare, buildHeader and the PoW give the source's header and hash`, async () => {
        await checkShareHash(coin(), fixture, share);
      }, timeout);
    }
    for (const vector of fixture.headerVectors ?? []) {
      it(`hash: ${vector.name}: hasher.hash gives the source's hash`, () => {
        checkHeaderVector(coin(), vector);
      });
    }

    it('scan: the native scan finds exactly the nonces whose hash meets the target', async () => {
      await checkScan(coin(), fixture);
    }, timeout);

    it('difficulty: targets round-trip through targetFromDifficulty / difficultyFromTarget', () => {
      const plugin = coin();
      for (const difficulty of difficultiesOf(fixture.difficulties, plugin.diff1Target)) {
        checkDifficultyRoundTrip(difficulty, plugin.diff1Target);
      }
    });

    it('header: buildHeader depends on the share (extranonce2, nonce)', () => {
      checkHeaderDependsOnShare(coin(), fixture);
    }, timeout);
  });
}
