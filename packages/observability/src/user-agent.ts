/** Most distinct user_agent label values a registry keeps; later agents are counted as "other". */
export const MAX_USER_AGENTS = 50;

/**
 * The user_agent label of a miner's agent string (mining.subscribe's first
 * parameter, EIP-1571's mining.hello agent): its name up to the first '/'
 * (the version is dropped: "cpuminer/2.5.1" -> "cpuminer"), at most 64
 * characters of [A-Za-z0-9._ -] (others become '_'), "none" when empty.
 * Never throws.
 */
export function userAgentName(agent: string): string {
  const name = agent.split('/')[0].trim().slice(0, 64).replace(/[^A-Za-z0-9._ -]/g, '_');
  return name === '' ? 'none' : name;
}

/**
 * The user_agent label values of one registry, bounded: the first
 * {@link MAX_USER_AGENTS} distinct names (see {@link userAgentName}) keep
 * their own series, later ones are all "other", so a swarm of invented
 * agent strings cannot grow the registry without end.
 */
export class UserAgentLabels {
  private readonly names = new Set<string>();

  /** The label of `agent`: its name, or "other" once the set is full. */
  label(agent: string): string {
    const name = userAgentName(agent);
    if (this.names.has(name)) return name;
    if (this.names.size >= MAX_USER_AGENTS) return 'other';
    this.names.add(name);
    return name;
  }
}

/** Histogram buckets of one share's validation time, in seconds (50 µs to 100 ms). */
export const SHARE_VALIDATION_BUCKETS: readonly number[] = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1];

/** Histogram buckets of a job's fan-out to every session, in seconds (100 µs to 1 s). */
export const FANOUT_BUCKETS: readonly number[] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];
