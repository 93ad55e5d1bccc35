import type { CoinPlugin } from '../coin-plugin';
import { conformanceHeader, conformanceJob, jobContextOf, submissionOf } from './conformance-job';
import { PluginConformanceError } from './plugin-conformance-error';
import type { PluginConformanceFixture } from './plugin-conformance-fixture';

/**
 * buildHeader must depend on what the miner chose: another extranonce2
 * (last byte flipped) gives another header, and, for coins that scan a
 * header nonce (no epochHasher), so does another nonce.
 *
 * @throws PluginConformanceError naming the share field the header ignores
 */
export function checkHeaderDependsOnShare(plugin: CoinPlugin, fixture: PluginConformanceFixture): void {
  const share = fixture.shares[0];
  if (share === undefined) throw new PluginConformanceError('the fixture has no share: give at least one share');
  const context = jobContextOf(plugin, fixture);
  const job = conformanceJob(plugin, fixture, context);
  const submission = submissionOf(plugin, fixture, context, share);
  const base = conformanceHeader(plugin, job, submission);
  if (submission.extranonce2.length > 0) {
    const extranonce2 = Buffer.from(submission.extranonce2);
    extranonce2[extranonce2.length - 1] ^= 0x01;
    const other = conformanceHeader(plugin, job, { ...submission, extranonce2 }, `the share with extranonce2 ${extranonce2.toString('hex')}`);
    if (other.equals(base)) {
      throw new PluginConformanceError(
        `buildHeader gave the same header for extranonce2 ${submission.extranonce2.toString('hex')} and ${extranonce2.toString('hex')}: the miner's extranonce2 must enter the header (coinbase and merkle root, or the nonce), else miners repeat each other's work`,
      );
    }
  }
  if (plugin.epochHasher === undefined) {
    const nonce = (submission.nonce ^ 1) >>> 0;
    const other = conformanceHeader(plugin, job, { ...submission, nonce }, `the share with nonce ${nonce}`);
    if (other.equals(base)) {
      throw new PluginConformanceError(
        `buildHeader gave the same header for nonces ${submission.nonce} and ${nonce}: hasher.scan walks header nonces, so buildHeader must write share.nonce into the header`,
      );
    }
  }
}
