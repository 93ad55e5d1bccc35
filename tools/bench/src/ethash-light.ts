import { loadEthashNative } from '@lode/coin-ethereum';
import { Ethash } from '@ethereumjs/ethash';
import { now } from './hash-rate';

/** Options of runEthashLightBench. */
export interface EthashLightBenchOptions {
  /** the epoch whose sizes and seed are used (default 0, the figure) */
  epoch?: number;
  /** override the cache size in bytes (tests use the 1 KiB size of facts/ethash.md §4.4) */
  cacheBytes?: number;
  /** override the dataset size in bytes (tests: 32 KiB) */
  datasetBytes?: number;
  /** light hashes timed per implementation (default 400 native, at least 3 for the JS baseline) */
  nativeHashes?: number;
  /** light hashes timed for @ethereumjs/ethash (default 5: ~0.5 s each) */
  baselineHashes?: number;
  /** progress lines (default none) */
  onProgress?: (line: string) => void;
}

/** One implementation's figures. */
export interface EthashLightFigures {
  name: string;
  /** light cache generation, ms */
  cacheMs: number;
  /** mean light verification (hashimoto_light) per share, ms */
  verifyMs: number;
  /** hashes timed for verifyMs */
  hashes: number;
}

/** What one run measured: the baseline, the native hasher, and whether they agree. */
export interface EthashLightReport {
  epoch: number;
  cacheBytes: number;
  datasetBytes: number;
  baseline: EthashLightFigures;
  native: EthashLightFigures;
  /** the two implementations gave the same mix and final for the same header and nonce */
  agree: boolean;
}

/** The header of chfast's block-0 vector (facts/ethash.md §4.1); the nonce varies per hash. */
const HEADER = Buffer.from('2a8de2adf89af77358250bf908bf04ba94a6e8c3ba87775564a41d269a05e4ce', 'hex');

function nonceBytes(nonce: bigint): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE(nonce);
  return out;
}

/**
 * Measures what a pool pays per ethash share, in the same run: light-cache
 * generation time and light verification time (hashimoto_light: 64 rounds,
 * 128 dataset items computed from the cache) for the native napi-rs hasher
 * and for @ethereumjs/ethash 10 (pure JS, the baseline), at epoch 0 by
 * default (facts/ethash.md §6: chfast C++ 1.28 s / 4.1 ms, ethereumjs
 * 36 s / 390-670 ms). Both must give the same bytes for the same inputs.
 *
 * The JS baseline's epoch-0 cache alone takes about half a minute here.
 */
export async function runEthashLightBench(options: EthashLightBenchOptions = {}): Promise<EthashLightReport> {
  const native = loadEthashNative();
  const epoch = options.epoch ?? 0;
  const cacheBytes = options.cacheBytes ?? native.cacheSize(epoch);
  const datasetBytes = options.datasetBytes ?? native.datasetSize(epoch);
  const seed = native.seedHash(epoch);
  const say = options.onProgress ?? (() => undefined);

  say(`native: light cache for epoch ${epoch} (${cacheBytes} bytes)...`);
  let t0 = now();
  const cache = await native.buildLightCache(cacheBytes, seed);
  const nativeCacheMs = (now() - t0) * 1000;
  const nativeHashes = options.nativeHashes ?? 400;
  t0 = now();
  for (let i = 0; i < nativeHashes; i++) cache.hash(datasetBytes, HEADER, BigInt(i));
  const nativeVerifyMs = ((now() - t0) * 1000) / nativeHashes;

  say(`@ethereumjs/ethash: light cache for epoch ${epoch} (${cacheBytes} bytes; pure JS, slow)...`);
  const js = new Ethash();
  t0 = now();
  js.mkcache(cacheBytes, new Uint8Array(seed));
  const jsCacheMs = (now() - t0) * 1000;
  const baselineHashes = Math.max(3, options.baselineHashes ?? 5);
  let agree = true;
  t0 = now();
  for (let i = 0; i < baselineHashes; i++) {
    const out = js.run(new Uint8Array(HEADER), new Uint8Array(nonceBytes(BigInt(i))), datasetBytes);
    const ours = cache.hash(datasetBytes, HEADER, BigInt(i));
    // (the native re-hash inside this loop is ~1% of a JS hash; the mean below subtracts nothing)
    if (!Buffer.from(out.mix).equals(ours.mix) || !Buffer.from(out.hash).equals(ours.final)) agree = false;
  }
  const jsVerifyMs = ((now() - t0) * 1000) / baselineHashes;

  return {
    epoch,
    cacheBytes,
    datasetBytes,
    baseline: { name: '@ethereumjs/ethash 10.0.0 (JS, baseline)', cacheMs: jsCacheMs, verifyMs: jsVerifyMs, hashes: baselineHashes },
    native: { name: `native napi-rs (${native.implementation()}), 1 thread`, cacheMs: nativeCacheMs, verifyMs: nativeVerifyMs, hashes: nativeHashes },
    agree,
  };
}

/** The report as lines: one per implementation, with the ratios to the baseline. */
export function formatEthashLightReport(report: EthashLightReport): string[] {
  const { baseline, native } = report;
  const row = (f: EthashLightFigures): string =>
    `${f.name.padEnd(44)} cache ${(f.cacheMs / 1000).toFixed(2).padStart(8)} s   light verify ${f.verifyMs.toFixed(3).padStart(9)} ms/share (${f.hashes} hashes)`;
  return [
    `ethash light path, epoch ${report.epoch}: cache ${report.cacheBytes} bytes, dataset ${report.datasetBytes} bytes`,
    row(baseline),
    `${row(native)}   cache x${(baseline.cacheMs / native.cacheMs).toFixed(1)}, verify x${(baseline.verifyMs / native.verifyMs).toFixed(1)}`,
    `same mix and final from both: ${report.agree ? 'yes' : 'NO'}`,
  ];
}

if (require.main === module) {
  void (async () => {
    const report = await runEthashLightBench({ onProgress: (line) => console.log(line) });
    for (const line of formatEthashLightReport(report)) console.log(line);
    if (!report.agree) process.exitCode = 1;
  })();
}
