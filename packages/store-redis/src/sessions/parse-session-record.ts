import { LodeError } from '@lode/stratum-core';
import type { SessionRecord } from '@lode/pool-engine';

/**
 * Reads a SessionRecord written by RedisSessionStore.save (JSON), checking the
 * fields the engine relies on. Internal.
 *
 * @param json the stored value
 * @param key the key it came from (named in errors)
 * @throws LodeError('store') when it is not JSON or lacks `extranonce1`
 *   (string) or `expiresAt` (finite number)
 */
export function parseSessionRecord(json: string, key: string): SessionRecord {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (cause) {
    throw new LodeError('store', `${key} does not hold JSON (${json.slice(0, 40)})`, { cause });
  }
  if (typeof value !== 'object' || value === null) {
    throw new LodeError('store', `${key} holds ${json.slice(0, 40)}, expected a session record object`);
  }
  const record = value as Partial<SessionRecord>;
  if (typeof record.extranonce1 !== 'string' || typeof record.expiresAt !== 'number' || !Number.isFinite(record.expiresAt)) {
    throw new LodeError('store', `${key} holds a session record without a string extranonce1 and a finite expiresAt`);
  }
  return record as SessionRecord;
}
