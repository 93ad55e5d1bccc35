export { startMetricsServer, type MetricsSource, type RunningMetricsServer } from './start-metrics-server';
export { shareReasonLabel } from './share-reason';
export { FANOUT_BUCKETS, MAX_USER_AGENTS, SHARE_VALIDATION_BUCKETS, UserAgentLabels, userAgentName } from './user-agent';
