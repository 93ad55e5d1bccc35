import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { createBitcoinHasher } from '@lode/coin-bitcoin';
import { measureRate, now, type HashRate } from './hash-rate';

/** Options of runSha256dScanBench. */
export interface Sha256dScanBenchOptions {
  /** wall time per measurement, seconds (default 3) */
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

/** Hashes per JS step between clock reads. */
const JS_BATCH = 4096;

/**
 * Measures SHA-256d over 80-byte headers, nonce by nonce, in the same run:
 *
 * - baseline: a JS loop of `crypto.createHash('sha256')` twice per nonce
 *   (the nonce written into the header each iteration);
 * - native `scan` with one thread and an impossible target (0, so the scan
 *   returns no hits and only hashes), on the portable path and, where the CPU
 *   has it, the SHA-NI path; and optionally on every core.
 *
 * A benchmark, never an assertion: it reports rates, it judges nothing.
 */
export async function runSha256dScanBench(options: Sha256dScanBenchOptions = {}): Promise<Sha256dScanReport> {
  const seconds = options.seconds ?? 3;
  const header = Buffer.from(HEADER_HEX, 'hex');

  let nonce = 0;
  let sink = 0;
  const baseline = await measureRate('JS createHash x2 (baseline), 1 thread', seconds, () => {
    for (let i = 0; i < JS_BATCH; i++) {
      header.writeUInt32LE(nonce, 76);
      nonce = (nonce + 1) >>> 0;
      const first = createHash('sha256').update(header).digest();
      sink ^= createHash('sha256').update(first).digest()[31];
    }
    return JS_BATCH;
  });
  // Keeps the loop's result observable so no engine can drop the work.
  if (sink === 256) console.log('unreachable');

  const paths: ('portable' | 'sha-ni')[] = ['portable'];
  try {
    if (createBitcoinHasher({ implementation: 'sha-ni' }).implementation === 'sha-ni') paths.push('sha-ni');
  } catch {
    // this CPU has no SHA extensions: the portable path is all there is
  }

  const native: HashRate[] = [];
  const runs: { implementation: 'portable' | 'sha-ni'; threads: number }[] = paths.map((implementation) => ({
    implementation,
    threads: 1,
  }));
  const cores = availableParallelism();
  if ((options.allCores ?? true) && cores > 1) runs.push({ implementation: paths[paths.length - 1], threads: cores });

  for (const { implementation, threads } of runs) {
    const hasher = createBitcoinHasher({ implementation });
    // Calibrate one call to about a tenth of the budget so the clock is read rarely.
    const probe = 1 << 16;
    const t0 = now();
    await hasher.scan({ header, startNonce: 0, count: probe, target: 0n, threads });
    const perHash = Math.max((now() - t0) / probe, 1e-10);
    const count = Math.min(2 ** 32, Math.max(probe, Math.round(seconds / 10 / perHash)));
    let start = 0;
    const label = `native scan, ${implementation}, ${threads} thread${threads === 1 ? '' : 's'}`;
    native.push(
      await measureRate(label, seconds, async () => {
        const n = Math.min(count, 2 ** 32 - start);
        const result = await hasher.scan({ header, startNonce: start, count: n, target: 0n, threads });
        start = (start + n) % 2 ** 32;
        return result.hashes;
      }),
    );
  }
  return { baseline, native };
}

/** The report as text lines: hashes/s for each row and its ratio to the baseline. */
export function formatSha256dScanReport(report: Sha256dScanReport): string[] {
  const rows = [report.baseline, ...report.native];
  const width = Math.max(...rows.map((row) => row.name.length));
  const mhs = (rate: number): string => `${(rate / 1e6).toFixed(2).padStart(8)} MH/s`;
  return [
    'SHA-256d over an 80-byte header, nonce by nonce',
    ...rows.map(
      (row) =>
        `${row.name.padEnd(width)}  ${mhs(row.rate)}  ${Math.round(row.rate).toLocaleString('en-US').padStart(13)} H/s  ` +
        `x${(row.rate / report.baseline.rate).toFixed(1)} vs baseline`,
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
