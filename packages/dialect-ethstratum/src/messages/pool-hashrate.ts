import { LodeError, toHexNumber } from '@lode/stratum-core';
import { readLenientHex, readLenientSafeInteger } from './lenient-hex';
import { isRecord, show } from './show';

/**
 * The server's `mining.hashrate` notification: what the pool measured for
 * the whole session over the last `intervalMinutes`.
 *
 * Wire form (the spec's example, numbers as JSON numbers except the hashrate):
 * `{"interval":60,"hr":"500000","accepted":[3692,20],"rejected":0}`, where
 * `accepted` is [accepted shares, of which stale].
 *
 * @see specs/003_fafafa51dc5fa36a.txt "Hashrate" / "Server communicates hashrate to client"
 */
export interface EthPoolHashrate {
  /** width of the observation window, in minutes */
  intervalMinutes: number;
  /** hashes per second the pool computed for the session */
  hashrate: bigint;
  /** accepted shares in the window, stale ones included */
  accepted: number;
  /** of the accepted shares, how many were stale */
  stale: number;
  /** rejected shares in the window */
  rejected: number;
}

function count(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new LodeError('protocol', `hashrate report ${what} ${show(value)} is not a safe integer >= 0`);
  }
  return value;
}

/**
 * Encodes the server's `mining.hashrate` notification params.
 *
 * @throws LodeError('protocol') if a count is not a safe integer >= 0, stale
 *   exceeds accepted, or the hashrate is negative
 */
export function encodePoolHashrateParams(r: EthPoolHashrate): Record<string, unknown> {
  const accepted = count(r.accepted, 'accepted');
  const stale = count(r.stale, 'stale');
  if (stale > accepted) throw new LodeError('protocol', `hashrate report stale ${stale} exceeds accepted ${accepted}`);
  return {
    interval: count(r.intervalMinutes, 'interval'),
    hr: toHexNumber(r.hashrate),
    accepted: [accepted, stale],
    rejected: count(r.rejected, 'rejected'),
  };
}

/**
 * Reads the server's `mining.hashrate` notification as a client; numbers may
 * be JSON numbers or hex strings.
 *
 * @throws LodeError('protocol') naming the member that is missing or wrong
 */
export function decodePoolHashrateParams(params: unknown): EthPoolHashrate {
  if (!isRecord(params)) throw new LodeError('protocol', `mining.hashrate params is ${show(params)}, expected an object`);
  const accepted = params['accepted'];
  if (!Array.isArray(accepted) || accepted.length !== 2) {
    throw new LodeError('protocol', `mining.hashrate accepted is ${show(accepted)}, expected [accepted, stale]`);
  }
  return {
    intervalMinutes: readLenientSafeInteger(params['interval'], 'mining.hashrate interval'),
    hashrate: readLenientHex(params['hr'], 'mining.hashrate hr'),
    accepted: readLenientSafeInteger(accepted[0], 'mining.hashrate accepted[0]'),
    stale: readLenientSafeInteger(accepted[1], 'mining.hashrate accepted[1]'),
    rejected: readLenientSafeInteger(params['rejected'], 'mining.hashrate rejected'),
  };
}
