import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { createBitcoinHasher } from '@lode/coin-bitcoin';
import { measureRates, now, type HashRate, type RateStep } from './hash-rate';

/** Options of runSha256dScanBench. */
export interface Sha256dScanBenchOptions {
  /** wall time per measured row, seconds (default 3) */
  seconds?: number;
  /** also measure a scan on every core (default true) */
  allCores?: boolean;
}

/** The rates of one run: the JS baseline first, then each native path. */
export interface Sha256dScanReport {
  baseline: HashRate;
  native: HashRate[];
}

/** Genesis block header (facts/bitcoin-stratum.md, "Test vectors"); its nonce is rewritten. */
const HEADER_HEX =
  '0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c';

/** Hashes per JS step. */
const JS_STEP = 4096;
/** Wall time one native step aims at, seconds. */
const NATIVE_STEP_SECONDS = 0.04;

type Path = 'portable' | 'sha-ni';

/** A native scan step: one `scan` call of a calibrated count, with an impossible target. */
async function nativeStep(header: Buffer, implementation: Path, threads: number): Promise<RateStep> {
  const hasher = createBitcoinHasher({ implementation });
  const probe = 1 << 16;
  const t0 = now();
  await hasher.scan({ header, startNonce: 0, count: probe, target: 0n, threads });
  const perHash = Math.max((now() - t0) / probe, 1e-10);
  const count = Math.min(2 ** 32, Math.max(probe, Math.round(NATIVE_STEP_SECONDS / perHash)));
  let start = 0;
  return {
    name: `native scan, ${implementation}, ${threads} thread${threads === 1 ? '' : 's'}`,
    step: async () => {
      const n = Math.min(count, 2 ** 32 - start);
      // target 0: no hash is <= 0 in practice, so the scan only hashes
      const result = await hasher.scan({ header, startNonce: start, count: n, target: 0n, threads });
      start = (start + n) % 2 ** 32;
      return result.hashes;
    },
  };
}

/**
 * Measures SHA-256d over 80-byte headers, nonce by nonce, in the same run
 * and interleaved (so a busy machine slows every row alike):
 *
 * - baseline: a JS loop of `crypto.createHash('sha256')` twice per nonce,
 *   the nonce written into the header each iteration, on the main thread;
 * - native `scan` with one thread and an impossible target (0, so it returns
 *   no hits and only hashes), on the portable path and, where the CPU has the
 *   SHA extensions, on the SHA-NI path; optionally also on every core.
 *
 * A benchmark, never an assertion: it reports rates and judges nothing.
 */
export async function runSha256dScanBench(options: Sha256dScanBenchOptions = {}): Promise<Sha256dScanReport> {
  const seconds = options.seconds ?? 3;
  const header = Buffer.from(HEADER_HEX, 'hex');

  let nonce = 0;
  let sink = 0;
  const baseline: RateStep = {
    name: 'JS createHash x2 (baseline), 1 thread',
    step: () => {
      for (let i = 0; i < JS_STEP; i++) {
        header.writeUInt32LE(nonce, 76);
        nonce = (nonce + 1) >>> 0;
        const first = createHash('sha256').update(header).digest();
        sink ^= createHash('sha256').update(first).digest()[31];
      }
      return JS_STEP;
    },
  };

  const paths: Path[] = ['portable'];
  try {
    if (createBitcoinHasher({ implementation: 'sha-ni' }).implementation === 'sha-ni') paths.push('sha-ni');
  } catch {
    // no SHA extensions on this CPU: the portable path is all there is
  }
  const steps: RateStep[] = [];
  for (const path of paths) steps.push(await nativeStep(header, path, 1));
  const cores = availableParallelism();
  if ((options.allCores ?? true) && cores > 1) steps.push(await nativeStep(header, paths[paths.length - 1], cores));

  const [base, ...native] = await measureRates([baseline, ...steps], seconds);
  // Keeps the JS loop's result observable so that no engine can drop the work.
  if (sink === 256) console.log('unreachable');
  return { baseline: base, native };
}

/**
 * The report as text lines: for each row its mean rate, the rate of its
 * fastest step, and the ratio of mean rates to the baseline's.
 */
export function formatSha256dScanReport(report: Sha256dScanReport): string[] {
  const rows = [report.baseline, ...report.native];
  const width = Math.max(...rows.map((row) => row.name.length));
  const mhs = (rate: number): string => `${(rate / 1e6).toFixed(3).padStart(9)} MH/s`;
  return [
    `${'SHA-256d of an 80-byte header'.padEnd(width)}  ${'mean'.padStart(14)}  ${'best step'.padStart(14)}  vs baseline`,
    ...rows.map(
      (row) =>
        `${row.name.padEnd(width)}  ${mhs(row.rate)}  ${mhs(row.bestRate)}  ` +
        `x${(row.rate / report.baseline.rate).toFixed(1)}`,
    ),
  ];
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? '3');
  try {
    const report = await runSha256dScanBench({ seconds: Number.isFinite(seconds) && seconds > 0 ? seconds : 3 });
    for (const line of formatSha256dScanReport(report)) console.log(line);
  } catch (error) {
    // A benchmark reports; it never fails a build.
    console.log(`sha256d-scan benchmark could not run: ${error instanceof Error ? error.message : String(error)}`);
  }
}

if (require.main === module) {
  void main();
}
