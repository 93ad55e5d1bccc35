import type { ShareVerdict } from '@lode/mining';

/**
 * How a share verdict counts for protection (ban ratio and reject escalation):
 * - 'valid': accepted, accepted-stale included;
 * - 'invalid': any rejection the miner caused (stale, duplicate, low
 *   difficulty, unknown job, bad nonce/ntime/version, unauthorized, ...);
 * - 'ignored': 'not-recorded', the pool's share store failed, not the miner.
 */
export function classifyShare(verdict: ShareVerdict): 'valid' | 'invalid' | 'ignored' {
  if (verdict.accepted) return 'valid';
  return verdict.reason === 'not-recorded' ? 'ignored' : 'invalid';
}
