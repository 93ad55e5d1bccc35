import type { CoinJob, CoinPlugin, EpochHasher, JobContext, ShareSubmission } from '../coin-plugin';
import { conformanceHeader, conformanceJob, jobContextOf, powOf, submissionOf, valueOf } from './conformance-job';
import { PluginConformanceError, attempt, attemptAsync } from './plugin-conformance-error';
import type { PluginConformanceFixture } from './plugin-conformance-fixture';

/** Default scan target: the largest 256-bit value / 16, so that about 1 in 16 uniform hashes is a hit. */
export const DEFAULT_SCAN_TARGET: bigint = (2n ** 256n - 1n) / 16n;
/** Default nonces a native scan walks. */
export const DEFAULT_NATIVE_SCAN_COUNT = 256;
/** Default nonces an epoch scan walks (light hashes cost milliseconds). */
export const DEFAULT_EPOCH_SCAN_COUNT = 64;

/** What a scan check compared. */
export interface ScanCheckResult {
  /** which scan ran: hasher.scan (native) or epochHasher.scan (epoch) */
  strategy: 'native' | 'epoch';
  startNonce: bigint;
  count: number;
  target: bigint;
  /** the nonces whose hash meets the target, ascending */
  hits: bigint[];
}

/** One nonce's hash as the brute force computed it. */
interface BruteHit {
  hash: string;
}

/**
 * The scan must find exactly what hashing says. From the fixture's first
 * share, each nonce n in [start, start + count) is built into a header
 * (buildHeader) and hashed the way the pool checks shares; the nonces whose
 * value (hashValue, else little-endian) is <= target must be exactly the
 * scan's hits, with the same hashes, and there must be at least one.
 *
 * - Coins without an epochHasher: n is the share's uint32 nonce, hashed by
 *   hasher.hash, scanned by hasher.scan({ header, startNonce, count, target,
 *   threads: 1 }).
 * - Coins with an epochHasher (ethash): n is the 64-bit nonce extranonce1 ‖
 *   extranonce2 (big-endian, split at the context's extranonce1 size),
 *   hashed by hashShare, scanned by epochHasher.prepare(algo, epoch) and
 *   epochHasher.scan({ algo, epoch, headerHash, ... }) of the job's EthashWork.
 *
 * @returns the range, target and hits
 * @throws PluginConformanceError listing the nonces the scan missed or
 *   invented, or saying the fixture's range has no hit (an easier
 *   `scan.target` or a larger `scan.count` fixes that)
 */
export async function checkScan(plugin: CoinPlugin, fixture: PluginConformanceFixture): Promise<ScanCheckResult> {
  const share = fixture.shares[0];
  if (share === undefined) throw new PluginConformanceError('the fixture has no share: give at least one share to scan from');
  const context = jobContextOf(plugin, fixture);
  const job = conformanceJob(plugin, fixture, context);
  const submission = submissionOf(plugin, fixture, context, share);
  const target = fixture.scan?.target ?? DEFAULT_SCAN_TARGET;
  return plugin.epochHasher === undefined
    ? nativeScan(plugin, fixture, job, submission, target)
    : epochScan(plugin, plugin.epochHasher, fixture, context, job, submission, target);
}

async function nativeScan(
  plugin: CoinPlugin,
  fixture: PluginConformanceFixture,
  job: CoinJob,
  share: ShareSubmission,
  target: bigint,
): Promise<ScanCheckResult> {
  const count = fixture.scan?.count ?? DEFAULT_NATIVE_SCAN_COUNT;
  const start = Number(fixture.scan?.startNonce ?? BigInt(Math.max(0, Math.min(share.nonce, 2 ** 32 - count))));
  const expected = new Map<bigint, BruteHit>();
  for (let n = start; n < start + count; n++) {
    const header = conformanceHeader(plugin, job, { ...share, nonce: n }, `the share with nonce ${n}`);
    const hash = attempt(`hasher.hash(header of nonce ${n})`, () => plugin.hasher.hash(header));
    if (valueOf(plugin, hash) <= target) expected.set(BigInt(n), { hash: hash.toString('hex') });
  }
  const header = conformanceHeader(plugin, job, { ...share, nonce: start }, `the share with nonce ${start}`);
  const call = `hasher.scan({ header, startNonce: ${start}, count: ${count}, target, threads: 1 })`;
  const result = await attemptAsync(call, () => plugin.hasher.scan({ header, startNonce: start, count, target, threads: 1 }));
  const hits = result.hits.map((h) => ({ nonce: BigInt(h.nonce), hash: Buffer.isBuffer(h.hash) ? h.hash.toString('hex') : String(h.hash) }));
  const how = `buildHeader + hasher.hash + ${plugin.hashValue === undefined ? 'the hash read little-endian' : 'hashValue'}`;
  compare('native', call, how, expected, hits, result.hashes, count, target);
  return { strategy: 'native', startNonce: BigInt(start), count, target, hits: [...expected.keys()] };
}

async function epochScan(
  plugin: CoinPlugin,
  epochHasher: EpochHasher,
  fixture: PluginConformanceFixture,
  context: JobContext,
  job: CoinJob,
  share: ShareSubmission,
  target: bigint,
): Promise<ScanCheckResult> {
  const work = job.work;
  if (work.dialect !== 'ethstratum') {
    throw new PluginConformanceError(
      `the coin has an epochHasher, but createJob gave ${work.dialect} work: an epoch-based job carries EthashWork (algo, epoch, headerHash) for epochHasher.scan`,
    );
  }
  const count = fixture.scan?.count ?? DEFAULT_EPOCH_SCAN_COUNT;
  const e1 = context.extranonce1Size;
  const bytes = e1 + context.extranonce2Size;
  const limit = 2n ** BigInt(8 * bytes);
  const own = BigInt(`0x${Buffer.concat([share.extranonce1, share.extranonce2]).toString('hex') || '0'}`);
  const start = fixture.scan?.startNonce ?? (own + BigInt(count) <= limit ? own : limit - BigInt(count));
  const expected = new Map<bigint, BruteHit>();
  for (let n = start; n < start + BigInt(count); n++) {
    const nonce = Buffer.from(n.toString(16).padStart(2 * bytes, '0'), 'hex');
    const split = { ...share, extranonce1: nonce.subarray(0, e1), extranonce2: nonce.subarray(e1) };
    const header = conformanceHeader(plugin, job, split, `the share with nonce ${nonce.toString('hex')}`);
    const { pow } = await powOf(plugin, job, header);
    if (valueOf(plugin, pow.hash) <= target) expected.set(n, { hash: pow.hash.toString('hex') });
  }
  const { algo, epoch } = work;
  await attemptAsync(`epochHasher.prepare('${algo}', ${epoch})`, () => epochHasher.prepare(algo, epoch));
  const call = `epochHasher.scan({ algo: '${algo}', epoch: ${epoch}, headerHash, startNonce: ${start}n, count: ${count}, target, threads: 1 })`;
  const result = await attemptAsync(call, () =>
    epochHasher.scan({ algo, epoch, headerHash: Buffer.from(work.headerHash, 'hex'), startNonce: start, count, target, threads: 1 }),
  );
  const hits = result.hits.map((h) => ({ nonce: BigInt(h.nonce), hash: Buffer.isBuffer(h.final) ? h.final.toString('hex') : String(h.final) }));
  const how = `buildHeader + hashShare + ${plugin.hashValue === undefined ? 'the hash read little-endian' : 'hashValue'}`;
  compare('epoch', call, how, expected, hits, result.hashes, count, target);
  return { strategy: 'epoch', startNonce: start, count, target, hits: [...expected.keys()] };
}

function compare(
  strategy: 'native' | 'epoch',
  call: string,
  how: string,
  expected: ReadonlyMap<bigint, BruteHit>,
  hits: readonly { nonce: bigint; hash: string }[],
  hashes: number,
  count: number,
  target: bigint,
): void {
  if (expected.size === 0) {
    throw new PluginConformanceError(
      `no nonce of the range has a hash <= target 0x${target.toString(16)} by ${how}, so the scan cannot be checked: give the fixture an easier scan.target or a larger scan.count`,
    );
  }
  const found = new Map(hits.map((h) => [h.nonce, h.hash]));
  const missed = [...expected.keys()].filter((n) => !found.has(n));
  const invented = [...found.keys()].filter((n) => !expected.has(n));
  const wrongHash = [...found].filter(([n, hash]) => expected.has(n) && expected.get(n)?.hash !== hash).map(([n]) => n);
  const problems: string[] = [];
  if (missed.length > 0) problems.push(`it missed nonces ${list(missed)}`);
  if (invented.length > 0) problems.push(`it returned nonces ${list(invented)} whose hashes do not meet the target`);
  if (wrongHash.length > 0) problems.push(`its hits ${list(wrongHash)} carry other hashes than hashing those nonces gives`);
  if (hashes !== count) problems.push(`it reports ${hashes} hashes for ${count} nonces`);
  if (problems.length > 0) {
    const where =
      strategy === 'native'
        ? 'the scan must write the nonce where (and in the byte order) buildHeader puts share.nonce, and compare the same number hashValue reads'
        : 'the scan must hash the 64-bit nonce the way hashShare reads extranonce1 ‖ extranonce2, and compare the same number hashValue reads';
    throw new PluginConformanceError(
      `${call} disagrees with ${how} on the nonces whose hash is <= target 0x${target.toString(16)} (expected ${list([...expected.keys()])}): ${problems.join('; ')}. ${where}`,
    );
  }
}

function list(nonces: readonly bigint[]): string {
  const shown = nonces.slice(0, 16).map((n) => n.toString());
  return `[${shown.join(', ')}${nonces.length > 16 ? `, ... (${nonces.length})` : ''}]`;
}
