import { loadWarthogNative } from '@lode/coin-warthog';
import { now } from './hash-rate';

/** Options of runJanushashBench. */
export interface JanushashBenchOptions {
  /** wall time per measured row, seconds (default 2) */
  seconds?: number;
}

/** One measured row. */
export interface JanushashRow {
  name: string;
  /** hashes computed */
  hashes: number;
  /** hashes per second */
  rate: number;
}

/** What one run measured. */
export interface JanushashReport {
  /** VerusHash v2.2 of whole 80-byte headers, one call per hash, per implementation */
  verus: JanushashRow[];
  /** native scans (the per-job VerusHash key of header bytes 0..63 built once per header), one thread, per implementation */
  scan: JanushashRow[];
}

/**
 * The header of Warthog block 1949766 (facts/warthog.md §6-A A1); its nonce
 * is rewritten for every hash.
 */
const HEADER = Buffer.from(
  '05b42d206f8a4b2b8094199fd28423151af8aa54a5073ac6e6805f42096dc3a20ae7cde7f3c41bf363fe94eb448bf924f791f77c22a2ebd6a3a5d8948f8aff019f072bea0000000366f2fefb2719fef5',
  'hex',
);

/**
 * Measures, in one run, on one core: VerusHash v2.2 per second for the
 * portable path and for the accelerated one (AES-NI and PCLMULQDQ, when the
 * CPU has them), each header hashed from scratch (as a pool verifies a
 * share), and the Janushash scan rate (SHA-256t + VerusHash v2.2 + the
 * CustomFloat test per nonce) with the per-job key precomputed (as a miner
 * scans). Ratios are printed against the portable path.
 */
export async function runJanushashBench(options: JanushashBenchOptions = {}): Promise<JanushashReport> {
  const native = loadWarthogNative();
  const seconds = options.seconds ?? 2;
  const verus: JanushashRow[] = [];
  const scan: JanushashRow[] = [];
  // the portable path first: it is the baseline of the ratios
  const order = [...native.implementations()].sort((a, b) => Number(b === 'portable') - Number(a === 'portable'));
  for (const implementation of order) {
    const header = Buffer.from(HEADER);
    let hashes = 0;
    const t0 = now();
    let elapsed = 0;
    while (elapsed < seconds) {
      for (let i = 0; i < 64; i++) {
        header.writeUInt32BE(hashes, 76);
        native.verusHash(header, 3, implementation);
        hashes++;
      }
      elapsed = now() - t0;
    }
    verus.push({ name: `VerusHash v2.2, ${implementation}, one call per header`, hashes, rate: hashes / elapsed });

    // An impossible target: the scan only hashes.
    const target = Buffer.alloc(32);
    let scanned = 0;
    let start = 0;
    const s0 = now();
    let scanElapsed = 0;
    let count = 4096;
    while (scanElapsed < seconds) {
      const c0 = now();
      const result = await native.scan({ header: HEADER, startNonce: start, count, target, threads: 1, implementation });
      scanned += result.hashes;
      start = (start + count) % 2 ** 32;
      // aim at ~0.1 s per call
      count = Math.max(256, Math.min(1 << 22, Math.round(count * (0.1 / Math.max(now() - c0, 1e-3)))));
      scanElapsed = now() - s0;
    }
    scan.push({ name: `Janushash scan, ${implementation}, key precomputed, 1 thread`, hashes: scanned, rate: scanned / scanElapsed });
  }
  return { verus, scan };
}

/** The report as lines, with each row's ratio to the portable row of its kind. */
export function formatJanushashReport(report: JanushashReport): string[] {
  const lines = ['Warthog Janushash, one core (ratios against the portable path of the same kind, measured in this run)'];
  for (const rows of [report.verus, report.scan]) {
    const base = rows.find((r) => r.name.includes('portable')) ?? rows[0];
    for (const row of rows) {
      const ratio = base === undefined || base.rate === 0 ? 1 : row.rate / base.rate;
      lines.push(`${row.name.padEnd(58)} ${(row.rate / 1000).toFixed(1).padStart(9)} kH/s  x${ratio.toFixed(2)}`);
    }
  }
  return lines;
}

if (require.main === module) {
  void (async () => {
    const report = await runJanushashBench();
    for (const line of formatJanushashReport(report)) console.log(line);
  })();
}
