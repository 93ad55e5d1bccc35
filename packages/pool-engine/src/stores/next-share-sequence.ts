import { randomBytes } from 'node:crypto';

/**
 * This process's run id: a restarted instance (same instance id, counter back
 * at 1) must never reuse a record id, or an idempotent share log would drop
 * its new records as already stored. Time in base 36 plus 4 random bytes.
 */
const run = `${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
let sequence = 0;

/**
 * The next share record id suffix of this process, "<run>:<n>" (n = 1, 2,
 * 3...), shared by every engine so that two coins' engines with one instance
 * id never give two records one id. With the instance id it makes
 * ShareRecord.id ("<instance>:<run>:<n>"). Internal.
 */
export function nextShareSequence(): string {
  sequence++;
  return `${run}:${sequence}`;
}
