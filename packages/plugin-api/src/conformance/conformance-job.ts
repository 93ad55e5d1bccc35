import type { CoinJob, CoinPlugin, JobContext, PowResult, ShareSubmission } from '../coin-plugin';
import { PluginConformanceError, attempt, attemptAsync } from './plugin-conformance-error';
import type { ConformanceShare, PluginConformanceFixture } from './plugin-conformance-fixture';

/** The job id of the default job context. */
export const CONFORMANCE_JOB_ID = 'conformance-1';

/**
 * The fixture's job context, else `{ jobId: 'conformance-1' }` with the
 * coin's extranonceSizes(config), else 4 + 4 bytes.
 *
 * @throws PluginConformanceError when extranonceSizes throws
 */
export function jobContextOf(plugin: CoinPlugin, fixture: PluginConformanceFixture): JobContext {
  if (fixture.context !== undefined) return fixture.context;
  const sizes =
    plugin.extranonceSizes === undefined
      ? { extranonce1Size: 4, extranonce2Size: 4 }
      : attempt('extranonceSizes(config)', () => plugin.extranonceSizes?.(fixture.config) ?? { extranonce1Size: 4, extranonce2Size: 4 });
  return { jobId: CONFORMANCE_JOB_ID, extranonce1Size: sizes.extranonce1Size, extranonce2Size: sizes.extranonce2Size };
}

/**
 * A fixture share as the dialect hands it to the coin. With versionBits, the
 * session's mask is the coin's versionRollingMask(config) (all bits when the
 * coin has none: the check is then the coin's).
 */
export function submissionOf(plugin: CoinPlugin, fixture: PluginConformanceFixture, context: JobContext, share: ConformanceShare): ShareSubmission {
  const submission: ShareSubmission = {
    jobId: context.jobId,
    extranonce1: Buffer.from(share.extranonce1, 'hex'),
    extranonce2: Buffer.from(share.extranonce2, 'hex'),
    ntime: share.ntime,
    nonce: share.nonce,
  };
  if (share.versionBits !== undefined) {
    submission.versionBits = share.versionBits;
    submission.versionMask = plugin.versionRollingMask?.(fixture.config) ?? 0xffffffff;
  }
  return submission;
}

/**
 * createJob(template, context, config) of the fixture.
 *
 * @throws PluginConformanceError carrying what createJob threw
 */
export function conformanceJob(plugin: CoinPlugin, fixture: PluginConformanceFixture, context: JobContext): CoinJob {
  const job = attempt('createJob(template, context, config)', () => plugin.createJob(fixture.template, context, fixture.config));
  if (typeof job !== 'object' || job === null || typeof job.work !== 'object' || job.work === null) {
    throw new PluginConformanceError('createJob must return a CoinJob with its dialect work (job.work)');
  }
  return job;
}

/**
 * buildHeader(job, share), checked to be a Buffer.
 *
 * @param what how the message names the share ("the share", "the share with nonce 5")
 */
export function conformanceHeader(plugin: CoinPlugin, job: CoinJob, share: ShareSubmission, what = 'the share'): Buffer {
  const header = attempt(`buildHeader(job, ${what})`, () => plugin.buildHeader(job, share));
  if (!Buffer.isBuffer(header)) throw new PluginConformanceError(`buildHeader(job, ${what}) must return the header as a Buffer`);
  return header;
}

/**
 * The PoW of a header as the pool engine computes it: plugin.hashShare(job,
 * header) when the coin has it, else `{ hash: hasher.hash(header) }`.
 *
 * @returns the result and the call's name for messages
 */
export async function powOf(plugin: CoinPlugin, job: CoinJob, header: Buffer): Promise<{ pow: PowResult; via: string }> {
  if (plugin.hashShare !== undefined) {
    const via = 'hashShare(job, header)';
    const pow = await attemptAsync(via, () => plugin.hashShare?.(job, header) ?? Promise.reject(new Error('hashShare vanished')));
    if (typeof pow !== 'object' || pow === null || !Buffer.isBuffer(pow.hash)) {
      throw new PluginConformanceError(`${via} must resolve with { hash: Buffer, ... } (got ${typeof pow})`);
    }
    return { pow, via };
  }
  const via = 'hasher.hash(header)';
  const hash = attempt(via, () => plugin.hasher.hash(header));
  if (!Buffer.isBuffer(hash)) throw new PluginConformanceError(`${via} must return the hash as a Buffer`);
  return { pow: { hash }, via };
}

/**
 * The number a hash is compared with targets as: plugin.hashValue(hash),
 * else the bytes read little-endian (Bitcoin's hash order).
 */
export function valueOf(plugin: CoinPlugin, hash: Buffer): bigint {
  if (plugin.hashValue !== undefined) return attempt('hashValue(hash)', () => plugin.hashValue?.(hash) ?? 0n);
  return hash.length === 0 ? 0n : BigInt(`0x${Buffer.from(hash).reverse().toString('hex')}`);
}

/** "first difference at byte 36" for two hex strings of bytes. */
export function firstDifference(got: string, expected: string): string {
  const n = Math.min(got.length, expected.length);
  for (let i = 0; i < n; i += 2) {
    if (got.slice(i, i + 2) !== expected.slice(i, i + 2)) return `first difference at byte ${i / 2}`;
  }
  return got.length === expected.length ? 'equal' : `${got.length / 2} bytes, expected ${expected.length / 2}`;
}
