/* SHA-256d scan: native hasher vs a crypto.createHash loop (run dist/sha256d-scan.js) */
export { formatSha256dScanReport, runSha256dScanBench } from './sha256d-scan';
export type { Sha256dScanBenchOptions, Sha256dScanReport } from './sha256d-scan';

/* Measuring */
export { measureRates, now } from './hash-rate';
export type { HashRate, RateStep } from './hash-rate';

/* ethash light path: native hasher vs @ethereumjs/ethash (run dist/ethash-light.js) */
export { formatEthashLightReport, runEthashLightBench } from './ethash-light';
export type { EthashLightBenchOptions, EthashLightFigures, EthashLightReport } from './ethash-light';

/* Warthog Janushash: VerusHash v2.2 portable vs AES-NI, and the scan rate with the per-job key (run dist/janushash.js) */
export { formatJanushashReport, runJanushashBench } from './janushash';
export type { JanushashBenchOptions, JanushashReport, JanushashRow } from './janushash';

/* Stratum proxy: share round trip and shares/s via apps/proxy vs direct to apps/pool (run dist/proxy-latency.js) */
export { formatProxyLatencyReport, runProxyLatencyBench } from './proxy-latency';
export type { ForwardFigures, PathFigures, ProxyLatencyBenchOptions, ProxyLatencyReport, RoundTrip } from './proxy-latency';

/* EthProxy quick check: a wrong mix digest refused by two keccaks vs a full light verification (run dist/ethproxy-quick-check.js) */
export { formatEthProxyQuickCheckReport, runEthProxyQuickCheckBench } from './ethproxy-quick-check';
