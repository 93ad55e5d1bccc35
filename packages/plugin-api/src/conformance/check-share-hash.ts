import type { CoinPlugin } from '../coin-plugin';
import { conformanceHeader, conformanceJob, firstDifference, jobContextOf, powOf, submissionOf } from './conformance-job';
import { PluginConformanceError, attempt } from './plugin-conformance-error';
import type { ConformanceHeaderVector, ConformanceShare, PluginConformanceFixture } from './plugin-conformance-fixture';

/**
 * One fixture share through the coin as the pool engine runs it: job =
 * createJob(template, context, config); checkShare(job, share) must accept
 * it; buildHeader(job, share) must equal `share.header` (when given); the
 * PoW (hashShare, else hasher.hash) must equal `share.hash`, displayHash of
 * it `share.display` and hashShare's blockHash `share.blockHash` (when given).
 *
 * @throws PluginConformanceError at the first step that differs from the
 *   share's source, or that threw (with the thrown message)
 */
export async function checkShareHash(plugin: CoinPlugin, fixture: PluginConformanceFixture, share: ConformanceShare): Promise<void> {
  const context = jobContextOf(plugin, fixture);
  const job = conformanceJob(plugin, fixture, context);
  const submission = submissionOf(plugin, fixture, context, share);
  const rejection = attempt('checkShare(job, share)', () => plugin.checkShare(job, submission));
  if (rejection !== undefined) {
    throw new PluginConformanceError(
      `checkShare refused the share "${share.name}" (${rejection.reason}: ${rejection.message}), which ${share.source} accepts: checkShare must accept it (job window, extranonce sizes, version mask)`,
    );
  }
  const header = conformanceHeader(plugin, job, submission);
  if (share.header !== undefined) {
    const got = header.toString('hex');
    const expected = share.header.toLowerCase();
    if (got !== expected) {
      throw new PluginConformanceError(
        `buildHeader gave ${got}, but ${share.source} says the header of "${share.name}" is ${expected} (${firstDifference(got, expected)}): fix buildHeader (field order, byte order, merkle root) until it rebuilds the source's header`,
      );
    }
  }
  const { pow, via } = await powOf(plugin, job, header);
  const got = pow.hash.toString('hex');
  if (got !== share.hash.toLowerCase()) {
    throw new PluginConformanceError(
      `${via} gave ${got} for "${share.name}", but ${share.source} says ${share.hash.toLowerCase()}: fix the PoW hash (or the byte order it returns the hash in)`,
    );
  }
  if (share.display !== undefined) {
    const display = attempt('displayHash(hash)', () => plugin.displayHash(pow.hash));
    if (display !== share.display.toLowerCase()) {
      throw new PluginConformanceError(
        `displayHash gave ${String(display)} for "${share.name}", but ${share.source} prints the hash as ${share.display.toLowerCase()}: displayHash must give the hash as explorers print it`,
      );
    }
  }
  if (share.blockHash !== undefined && pow.blockHash !== share.blockHash.toLowerCase()) {
    throw new PluginConformanceError(
      `${via} gave blockHash ${String(pow.blockHash)} for "${share.name}", but ${share.source} says the block id is ${share.blockHash.toLowerCase()}: return the block id as PowResult.blockHash`,
    );
  }
}

/**
 * A bare header through hasher.hash: the hash (and displayHash of it) must
 * be the vector's.
 *
 * @throws PluginConformanceError naming the vector, its source and both values
 */
export function checkHeaderVector(plugin: CoinPlugin, vector: ConformanceHeaderVector): void {
  const hash = attempt('hasher.hash(header)', () => plugin.hasher.hash(Buffer.from(vector.header, 'hex')));
  if (!Buffer.isBuffer(hash)) throw new PluginConformanceError('hasher.hash(header) must return the hash as a Buffer');
  const got = hash.toString('hex');
  if (got !== vector.hash.toLowerCase()) {
    throw new PluginConformanceError(
      `hasher.hash gave ${got} for the header of "${vector.name}", but ${vector.source} says ${vector.hash.toLowerCase()}: fix the PoW hash (or the byte order it returns the hash in)`,
    );
  }
  if (vector.display !== undefined) {
    const display = attempt('displayHash(hash)', () => plugin.displayHash(hash));
    if (display !== vector.display.toLowerCase()) {
      throw new PluginConformanceError(
        `displayHash gave ${String(display)} for "${vector.name}", but ${vector.source} prints ${vector.display.toLowerCase()}: displayHash must give the hash as explorers print it`,
      );
    }
  }
}
