export { startMetricsServer, type MetricsSource, type RunningMetricsServer } from './start-metrics-server';
export { shareReasonLabel } from './share-reason';
export { MAX_USER_AGENTS, userAgentName } from './user-agent';
