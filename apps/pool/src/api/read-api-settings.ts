import type { ReadApiOptions } from './read-api-options';

/**
 * The pool config's `api` section as the read API reads it (PoolConfig.api).
 * The history and dashboard keys are optional: absent, the read API's
 * defaults apply (docs/api.md "Settings").
 */
export interface ReadApiSection {
  host: string;
  port: number;
  /** seconds between two hashrate history samples, > 0 (default 60) */
  historyIntervalSeconds?: number;
  /** hashrate history samples kept per coin, integer >= 1 (default 1440) */
  historyPoints?: number;
  /** serve the dashboard page (default true) */
  dashboard?: boolean;
}

/**
 * The {@link ReadApiOptions} a config section sets: host and port, and each
 * optional key only when the section has it.
 */
export function readApiSettings(section: ReadApiSection): Pick<ReadApiOptions, 'host' | 'port' | 'historyIntervalSeconds' | 'historyPoints' | 'dashboard'> {
  return {
    host: section.host,
    port: section.port,
    ...(section.historyIntervalSeconds === undefined ? {} : { historyIntervalSeconds: section.historyIntervalSeconds }),
    ...(section.historyPoints === undefined ? {} : { historyPoints: section.historyPoints }),
    ...(section.dashboard === undefined ? {} : { dashboard: section.dashboard }),
  };
}
