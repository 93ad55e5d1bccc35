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
