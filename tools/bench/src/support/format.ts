import { availableParallelism, cpus, loadavg } from 'node:os';

/** An integer with thousands separators ("50,000"). */
export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Bytes as KiB with one decimal ("3.2 KiB"). */
export function kib(bytes: number): string {
  return Number.isFinite(bytes) ? `${(bytes / 1024).toFixed(2)} KiB` : '-';
}

/** Bytes as MiB with one decimal ("312.4 MiB"). */
export function mib(bytes: number): string {
  return Number.isFinite(bytes) ? `${(bytes / 2 ** 20).toFixed(1)} MiB` : '-';
}

/** Milliseconds with three decimals, or "-" ("12.345 ms"). */
export function ms(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(3)} ms` : '-';
}

/** A ratio "x3.14" (three significant digits), or "-". */
export function ratio(value: number): string {
  return Number.isFinite(value) ? `x${value.toPrecision(3)}` : '-';
}

/** Table rows with each column padded to its widest cell (first column left, the rest right-aligned). */
export function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd());
}

/** A progress printer: `<name> <elapsed>s  <text>` on stderr. */
export function progressLog(name: string): (text: string) => void {
  const t0 = performance.now();
  return (text) => process.stderr.write(`${name} ${((performance.now() - t0) / 1000).toFixed(0).padStart(4)}s  ${text}\n`);
}

/** The machine a figure was measured on, one line: CPUs, model, node, load average. */
export function machineLine(): string {
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  return `machine: ${availableParallelism()} CPUs (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}, load average ${load}`;
}
