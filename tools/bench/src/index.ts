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

/* Issue 11 benchmarks: the pool process measured by itself (docs/performance.md) */
/* (a) idle sessions: resident memory per session, Lode pool vs a bare net.Server (run dist/idle-sessions.js) */
export { formatIdleSessionsReport, loopbackAddresses, perSession, plannedSizes, runIdleSessionsBench } from './idle-sessions';
export type { IdleServerFigures, IdleSessionsBenchOptions, IdleSessionsReport, MemoryAt, PerSession, SkippedSize } from './idle-sessions';
/* (b) and (d) SHA-256d shares per second per core end to end, in-memory and Redis share log, vs JSON.parse + native hash (run dist/share-throughput.js, dist/share-throughput-redis.js) */
export { formatShareThroughputReport, runShareThroughputBench, shareThroughputMain } from './share-throughput';
export type { BaselineRow, ShareThroughputBenchOptions, ShareThroughputReport, ThroughputRow } from './share-throughput';
/* (c) notify fan-out to N sessions, Lode pool vs a bare net.Server writing the same line (run dist/notify-fanout.js) */
export { formatNotifyFanoutReport, runNotifyFanoutBench } from './notify-fanout';
export type { FanoutPoint, NotifyFanoutBenchOptions, NotifyFanoutReport } from './notify-fanout';

/* Support for the process benchmarks */
export { percentile, summarize } from './support/percentile';
export type { Summary } from './support/percentile';
export { fdLimitMessage, fdsNeeded, maxSessionsUnder, parseFdLimit, parseStatCpuSeconds, parseStatCpuTimes, parseVmRss, readCpuSeconds, readCpuTimes, readFdLimit, readRssBytes } from './support/proc-stats';
export type { FdLimit } from './support/proc-stats';
export { promSum, scrape } from './support/prom-text';
export { SessionSwarm } from './support/session-swarm';
export type { SwarmArrivals, SwarmOpenOptions, SwarmOpenResult } from './support/session-swarm';
export { ShareClient, ShareTally, shareTargetOf } from './support/share-client';
export { findTaskset, pinSelf, startBenchChild } from './support/bench-child';
export type { BenchChild, BenchChildOptions } from './support/bench-child';
export type { ProbeReply } from './support/memory-probe';
export { startBareSocketServer } from './support/bare-socket-server';
export type { BareFanout, BareSocketServer } from './support/bare-socket-server';
export { BENCH_PAYOUT_ADDRESS, ChildGroup, DEVNET_AUTH, portOfLogLine, startDevnetChild, startPoolChild } from './support/pool-under-test';
export type { DevnetChild, PoolChild, PoolChildOptions } from './support/pool-under-test';
export { mineDevnetBlock } from './support/devnet-block';
export type { MinedBlock } from './support/devnet-block';
export { startBenchRedis } from './support/scratch-redis';
export type { BenchRedis } from './support/scratch-redis';
