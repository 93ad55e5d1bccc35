import { createHash } from 'node:crypto';
import {
  ETH_COIN,
  EthashContexts,
  EthereumCoinPlugin,
  loadEthashNative,
  type EthashAlgo,
  type EthashHashResult,
} from '@lode/coin-ethereum';
import { BlockSubmitter, JobManager, ShareValidator, type ShareCheck } from '@lode/pool-engine';
import { BehaviorSubject } from 'rxjs';
import { now } from './hash-rate';

/** Options of runEthProxyQuickCheckBench. */
export interface EthProxyQuickCheckBenchOptions {
  /** bad shares (wrong mix digest) refused per path (default 20000) */
  rejectedShares?: number;
  /** good shares (true mix) fully verified per path (default 200) */
  fullShares?: number;
  /** rounds the shares are spread over, each row taking its turn per round (default 20) */
  rounds?: number;
  /** override the cache size in bytes (tests: the 1 KiB of facts/ethash.md §4.4) */
  cacheBytes?: number;
  /** override the dataset size in bytes (tests: 32 KiB) */
  datasetBytes?: number;
  /** progress lines (default none) */
  onProgress?: (line: string) => void;
}

/** One measured path. */
export interface QuickCheckRow {
  /** what ran, e.g. "plugin.hashShare, wrong mix (quick check)" */
  name: string;
  /** shares put through this path */
  shares: number;
  /** mean wall time per share, microseconds */
  meanUs: number;
  /** light hashes (hashimoto_light) the path computed, counted at EthashContexts.hash */
  lightHashes: number;
  /** shares whose outcome was the expected one (quick refusal, accepted, low-difficulty) */
  expected: number;
  /** true for rows of shares that must be refused without a light hash */
  rejected: boolean;
}

/** What one run measured. */
export interface EthProxyQuickCheckReport {
  epoch: number;
  cacheBytes: number;
  datasetBytes: number;
  /** the epoch's light cache build, ms */
  cacheMs: number;
  implementation: string;
  /** plugin.hashShare: the baseline (full light verification of a good share) and the quick refusal */
  plugin: { full: QuickCheckRow; rejected: QuickCheckRow };
  /** ShareValidator.validate (duplicate index, buildHeader, hashShare, verdict) */
  validator: { good: QuickCheckRow; rejected: QuickCheckRow; noSeal: QuickCheckRow };
  /** every row gave its expected outcome for every share, and no rejected row computed a light hash */
  ok: boolean;
}

/** The header of chfast's block-2 vector (facts/ethash.md §4.1); nonces vary per share. */
const HEADER_HEX = '100cbec5e5ef82991290d0d93d758f19082e71f234cf479192a8b94df6da6bfe';
/** the share target of the bad shares: difficulty 2^32 (a small EthProxy share difficulty, facts/ethash.md §1.1) */
const SHARE_TARGET = 2n ** 224n;
/** the network target: no share of this run is a block */
const NETWORK_TARGET = 2n ** 160n;
const CONFIG = { node: { url: 'http://127.0.0.1:8545' } };
const EXTRANONCE1_BYTES = 2;
/** first nonce of each share set (sets never overlap: the duplicate index would refuse a repeat) */
const GOOD_BASE = 0n;
const BAD_BASE = 1n << 40n;
const NO_SEAL_BASE = 2n << 40n;
const TWO_256 = 2n ** 256n;

/** EthashContexts that counts the light hashes it computes (every plugin light hash goes through hash()). */
class CountingContexts extends EthashContexts {
  lightHashes = 0;

  override hash(algo: EthashAlgo, epoch: number, headerHash: Buffer, nonce: bigint): Promise<EthashHashResult> {
    this.lightHashes++;
    return super.hash(algo, epoch, headerHash, nonce);
  }
}

function nonceBytes(nonce: bigint): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE(nonce);
  return out;
}

function split(nonce: bigint): { extranonce1: Buffer; extranonce2: Buffer } {
  const bytes = nonceBytes(nonce);
  return { extranonce1: bytes.subarray(0, EXTRANONCE1_BYTES), extranonce2: bytes.subarray(EXTRANONCE1_BYTES) };
}

/** A wrong mix digest per share: sha256 of its index (any 32 bytes other than the true mix). */
function wrongMix(i: number): Buffer {
  return createHash('sha256').update(`wrong mix ${i}`).digest();
}

function row(name: string, rejected: boolean): QuickCheckRow & { seconds: number } {
  return { name, shares: 0, meanUs: 0, lightHashes: 0, expected: 0, rejected, seconds: 0 };
}

function finish(r: QuickCheckRow & { seconds: number }): QuickCheckRow {
  const { seconds, ...rest } = r;
  return { ...rest, meanUs: r.shares > 0 ? (seconds * 1e6) / r.shares : 0 };
}

/**
 * Measures, in the same run at ethash epoch 0, what an EthProxy share costs
 * the pool (facts/ethash.md §1.1, §2.7): a bad share (wrong mix digest)
 * refused by the 2-keccak quick check of EthereumCoinPlugin.hashShare with
 * a PowClaim, against the baseline, a good share fully verified with the
 * light hash (hashimoto_light, milliseconds); the same through the whole
 * ShareValidator, plus a bad share without a seal (what EthereumStratum/1.0.0
 * and 2.0.0 cost: they send no mix, facts/ethash.md §1.6). Light hashes are
 * counted per row: the refused rows must compute none.
 *
 * Rows run interleaved in rounds, so a busy machine slows every row alike.
 * Good shares are made by light-hashing their nonces once before timing:
 * each is judged against a share target equal to its own final hash (the
 * boundary a share exactly meets, as chfast's verify tests do).
 */
export async function runEthProxyQuickCheckBench(options: EthProxyQuickCheckBenchOptions = {}): Promise<EthProxyQuickCheckReport> {
  const say = options.onProgress ?? (() => undefined);
  const rounds = Math.max(1, options.rounds ?? 20);
  const rejectedPerRound = Math.max(1, Math.round((options.rejectedShares ?? 20_000) / rounds));
  const fullPerRound = Math.max(1, Math.round((options.fullShares ?? 200) / rounds));
  const { cacheBytes: cacheOverride, datasetBytes: datasetOverride } = options;
  const native = loadEthashNative();
  const sizes =
    cacheOverride === undefined && datasetOverride === undefined
      ? undefined
      : {
          cacheSize: (e: number) => cacheOverride ?? native.cacheSize(e),
          datasetSize: (e: number) => datasetOverride ?? native.datasetSize(e),
        };
  const epoch = 0;
  const contexts = new CountingContexts({ warmNext: false, ...(sizes === undefined ? {} : { sizes }) });
  const plugin = new EthereumCoinPlugin(ETH_COIN, contexts);
  const cacheBytes = cacheOverride ?? contexts.cacheSize(epoch);
  const datasetBytes = datasetOverride ?? contexts.datasetSize(epoch);

  say(`light cache for ethash epoch ${epoch} (${cacheBytes} bytes)...`);
  const t0 = now();
  const cache = await contexts.light('ethash', epoch);
  const cacheMs = (now() - t0) * 1000;

  // The pool side: a job from a template, a validator over the JobManager.
  const template = {
    height: 2,
    prevHash: '01'.padStart(64, '0'),
    networkTarget: NETWORK_TARGET,
    raw: { headerHash: HEADER_HEX, seedHash: contexts.seedHash('ethash', epoch).toString('hex'), boundary: NETWORK_TARGET.toString(16).padStart(64, '0'), height: 2 },
  };
  const node = {
    templates$: new BehaviorSubject(template),
    start: () => Promise.resolve(),
    stop: () => Promise.resolve(),
    submitBlock: () => Promise.resolve({ accepted: false, hash: '', reason: 'bench: no node' }),
  };
  const jobs = new JobManager(plugin, node, CONFIG, { extranonce1Size: EXTRANONCE1_BYTES, extranonce2Size: 8 - EXTRANONCE1_BYTES, refreshIntervalMs: 3_600_000 });
  await jobs.start();
  const job = jobs.current;
  if (job === undefined) throw new Error('the JobManager made no job from the bench template');
  const validator = new ShareValidator(plugin, jobs, new BlockSubmitter(plugin, node));
  const headerHash = Buffer.from(HEADER_HEX, 'hex');

  // Good shares: their true mix and final, from one light hash each before timing.
  const fullCount = fullPerRound * rounds;
  say(`light-hashing ${fullCount} good shares before timing...`);
  const good = Array.from({ length: fullCount }, (_, i) => {
    const nonce = GOOD_BASE + BigInt(i);
    const { mix, final } = cache.hash(datasetBytes, headerHash, nonce);
    const target = BigInt(`0x${final.toString('hex')}`);
    return { nonce, mix, final, target, difficulty: Number(TWO_256 / target) };
  });
  const entryFor = (target: bigint, difficulty: number): ShareCheck['entry'] => ({ jobId: job.id, job, target, difficulty, sentAt: 0 });
  const badEntry = entryFor(SHARE_TARGET, 2 ** 32);
  const badCurrent = { target: SHARE_TARGET, difficulty: 2 ** 32 };

  const rows = {
    pluginFull: row('plugin.hashShare, good share: full light verification (baseline)', false),
    pluginRejected: row('plugin.hashShare, wrong mix: quick check refusal', true),
    good: row('ShareValidator.validate, good share (accepted)', false),
    rejected: row('ShareValidator.validate, wrong mix (low-difficulty, quick)', true),
    noSeal: row('ShareValidator.validate, bad share without a seal (ES1/ES2)', false),
  };
  const timed = async (r: QuickCheckRow & { seconds: number }, count: number, one: (i: number) => Promise<boolean>): Promise<void> => {
    const hashesBefore = contexts.lightHashes;
    const start = now();
    for (let i = 0; i < count; i++) if (await one(i)) r.expected++;
    r.seconds += now() - start;
    r.shares += count;
    r.lightHashes += contexts.lightHashes - hashesBefore;
  };
  // Built before timing: headers and claims of the bad shares.
  const badHeaders = Array.from({ length: rejectedPerRound * rounds }, (_, i) => ({
    header: Buffer.concat([headerHash, nonceBytes(BAD_BASE + BigInt(i))]),
    claim: { seal: wrongMix(i), target: SHARE_TARGET },
  }));

  say(`timing ${rounds} rounds of ${rejectedPerRound} refused and ${fullPerRound} good shares per path...`);
  for (let round = 0; round < rounds; round++) {
    const r0 = round * rejectedPerRound;
    const f0 = round * fullPerRound;
    await timed(rows.pluginFull, fullPerRound, async (i) => {
      const g = good[f0 + i];
      const pow = await plugin.hashShare(job, Buffer.concat([headerHash, nonceBytes(g.nonce)]), { seal: g.mix, target: g.target });
      return pow.quick === undefined && pow.hash.equals(g.final) && pow.seal?.equals(g.mix) === true;
    });
    await timed(rows.pluginRejected, rejectedPerRound, async (i) => {
      const { header, claim } = badHeaders[r0 + i];
      const pow = await plugin.hashShare(job, header, claim);
      return pow.quick === true;
    });
    await timed(rows.good, fullPerRound, async (i) => {
      const g = good[f0 + i];
      const check: ShareCheck = {
        share: { jobId: job.id, ...split(g.nonce), ntime: 0, nonce: 0, seal: g.mix },
        entry: entryFor(g.target, g.difficulty),
        current: { target: g.target, difficulty: g.difficulty },
        worker: 'bench',
      };
      return (await validator.validate(check)).verdict.accepted;
    });
    await timed(rows.rejected, rejectedPerRound, async (i) => {
      const index = r0 + i;
      const check: ShareCheck = {
        share: { jobId: job.id, ...split(BAD_BASE + BigInt(index)), ntime: 0, nonce: 0, seal: badHeaders[index].claim.seal },
        entry: badEntry,
        current: badCurrent,
        worker: 'bench',
      };
      const { verdict } = await validator.validate(check);
      return !verdict.accepted && verdict.reason === 'low-difficulty' && verdict.message.includes('quick check');
    });
    await timed(rows.noSeal, fullPerRound, async (i) => {
      const check: ShareCheck = {
        share: { jobId: job.id, ...split(NO_SEAL_BASE + BigInt(f0 + i)), ntime: 0, nonce: 0 },
        entry: badEntry,
        current: badCurrent,
        worker: 'bench',
      };
      const { verdict } = await validator.validate(check);
      return !verdict.accepted && verdict.reason === 'low-difficulty';
    });
  }
  validator.dispose();
  await jobs.stop();
  await contexts.settled();

  const all = Object.values(rows);
  const ok = all.every((r) => r.expected === r.shares && (!r.rejected || r.lightHashes === 0));
  return {
    epoch,
    cacheBytes,
    datasetBytes,
    cacheMs,
    implementation: contexts.implementation,
    plugin: { full: finish(rows.pluginFull), rejected: finish(rows.pluginRejected) },
    validator: { good: finish(rows.good), rejected: finish(rows.rejected), noSeal: finish(rows.noSeal) },
    ok,
  };
}

function formatUs(us: number): string {
  return us >= 1000 ? `${(us / 1000).toFixed(3)} ms` : `${us.toFixed(1)} µs`;
}

/** The report as lines: a table of the paths, ratios against the full light verification measured in the same run. */
export function formatEthProxyQuickCheckReport(report: EthProxyQuickCheckReport): string[] {
  const baseline = report.plugin.full.meanUs;
  const line = (r: QuickCheckRow, note = ''): string =>
    `${r.name.padEnd(66)} ${String(r.shares).padStart(6)} ${formatUs(r.meanUs).padStart(11)} ${String(r.lightHashes).padStart(7)}   ${String(r.expected).padStart(6)}/${r.shares}${note}`;
  const ratio = (r: QuickCheckRow): string => `   full / this x${(baseline / r.meanUs).toFixed(0)}`;
  const { plugin, validator } = report;
  const rejectedShares = plugin.rejected.shares + validator.rejected.shares;
  const rejectedHashes = plugin.rejected.lightHashes + validator.rejected.lightHashes;
  return [
    `EthProxy quick check, ethash epoch ${report.epoch}: cache ${report.cacheBytes} bytes built in ${(report.cacheMs / 1000).toFixed(2)} s, dataset ${report.datasetBytes} bytes; native ${report.implementation}, 1 share at a time`,
    `${'path'.padEnd(66)} ${'shares'.padStart(6)} ${'mean'.padStart(11)} ${'light'.padStart(7)}   expected`,
    line(plugin.full),
    line(plugin.rejected, ratio(plugin.rejected)),
    line(validator.good),
    line(validator.rejected, ratio(validator.rejected)),
    line(validator.noSeal),
    `ratio full / rejected (plugin.hashShare): x${(baseline / plugin.rejected.meanUs).toFixed(0)}; through ShareValidator: x${(validator.noSeal.meanUs / validator.rejected.meanUs).toFixed(0)} (bad share without vs with the mix)`,
    `light hashes computed for the ${rejectedShares} shares refused by the quick check: ${rejectedHashes}${rejectedHashes === 0 ? '' : ' (expected 0)'}`,
    `every share had its expected outcome: ${report.ok ? 'yes' : 'NO'}`,
  ];
}

if (require.main === module) {
  void (async () => {
    const report = await runEthProxyQuickCheckBench({ onProgress: (text) => console.log(text) });
    for (const text of formatEthProxyQuickCheckReport(report)) console.log(text);
    if (!report.ok) process.exitCode = 1;
  })();
}
