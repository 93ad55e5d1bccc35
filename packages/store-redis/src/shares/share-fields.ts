import type { ShareRecord } from '@lode/pool-engine';
import { LodeError } from '@lode/stratum-core';

/**
 * The field names of one share stream entry, in the order they are written.
 * Every entry carries all of them (absent optional values are ""), so Redis
 * stores the names once per stream node instead of once per entry.
 */
export const SHARE_FIELD_NAMES = [
  'id',
  'instance',
  'worker',
  'job',
  'height',
  'difficulty',
  'shareDifficulty',
  'networkDifficulty',
  'verdict',
  'message',
  'blockHash',
  'versionBits',
  'remote',
  'time',
] as const;

function decimal(name: string, value: unknown): string {
  // Bigints and non-finite numbers would not read back as the number written.
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new LodeError('store', `share record field ${name} is ${String(value)} (${typeof value}); a finite number is required`);
  }
  return String(value);
}

/**
 * A share record's stream values in {@link SHARE_FIELD_NAMES} order (`id`
 * first). Numbers become decimal strings (`versionBits` too, not hex);
 * `time` is ms since the epoch; absent optional values are "". The coin is
 * not a field: it is in the stream's key.
 *
 * @throws LodeError('store') when a numeric field is not a finite number (a bigint included)
 */
export function shareRecordValues(record: ShareRecord): string[] {
  return [
    record.id,
    record.instance,
    record.worker,
    record.jobId,
    decimal('height', record.height),
    decimal('difficulty', record.difficulty),
    decimal('shareDifficulty', record.shareDifficulty),
    decimal('networkDifficulty', record.networkDifficulty),
    record.verdict,
    record.message ?? '',
    record.blockHash ?? '',
    record.versionBits === undefined ? '' : decimal('versionBits', record.versionBits),
    record.remoteAddress,
    decimal('time', record.time),
  ];
}

/**
 * A share record as the flat `[field, value, ...]` list of its stream entry
 * (names in {@link SHARE_FIELD_NAMES} order, values as {@link shareRecordValues}).
 *
 * @throws LodeError('store') when a numeric field is not a finite number (a bigint included)
 */
export function shareRecordToFields(record: ShareRecord): string[] {
  const values = shareRecordValues(record);
  return values.flatMap((value, i) => [SHARE_FIELD_NAMES[i], value]);
}

/**
 * Reads a share stream entry back into a {@link ShareRecord} (the inverse of
 * {@link shareRecordToFields}). Empty optional fields come back absent.
 *
 * @param coin the coin whose stream the entry came from
 * @param fields the entry's flat `[field, value, ...]` list as XRANGE returns it
 * @throws LodeError('store') when a field is missing or a number does not parse
 */
export function shareRecordFromFields(coin: string, fields: readonly string[]): ShareRecord {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i], fields[i + 1]);
  const text = (name: string): string => {
    const value = map.get(name);
    if (value === undefined) throw new LodeError('store', `share stream entry has no field ${name}`);
    return value;
  };
  const number = (name: string): number => {
    const value = Number(text(name));
    if (!Number.isFinite(value)) throw new LodeError('store', `share stream field ${name} is ${JSON.stringify(map.get(name))}, not a number`);
    return value;
  };
  const record: ShareRecord = {
    id: text('id'),
    instance: text('instance'),
    coin,
    worker: text('worker'),
    jobId: text('job'),
    height: number('height'),
    difficulty: number('difficulty'),
    shareDifficulty: number('shareDifficulty'),
    networkDifficulty: number('networkDifficulty'),
    verdict: text('verdict') as ShareRecord['verdict'],
    remoteAddress: text('remote'),
    time: number('time'),
  };
  if (text('message') !== '') record.message = text('message');
  if (text('blockHash') !== '') record.blockHash = text('blockHash');
  if (text('versionBits') !== '') record.versionBits = number('versionBits');
  return record;
}
