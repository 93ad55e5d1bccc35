import type { Redis } from 'ioredis';
import type { RedisKeys } from '../keys/redis-keys';
import type { ShareRecord } from '@lode/pool-engine';
import { SHARE_FIELD_NAMES, shareRecordValues } from './share-fields';

/** The name the share script is defined under on the client (ioredis `defineCommand`). */
export const RECORD_SHARES_COMMAND = 'lodeRecordShares';

/**
 * Appends share records of one coin to its stream, each unless its id is
 * already recorded, in the order given.
 *
 * KEYS[1] = the coin's stream; KEYS[1 + i] = the recorded-ids set of record
 * i (its hour). ARGV = ttl seconds of the sets, approximate MAXLEN, the
 * number of fields f, the f field names (`id` first), then f values per
 * record. Returns one integer per record: 1 appended, 0 already there.
 *
 * Each stream entry is written before its id is remembered: Lua scripts are
 * not rolled back on error, and a write refused in between (OOM) must leave
 * the record replayable rather than marked as stored without being stored.
 * Every key carries the coin's hash tag, so the script runs on Redis Cluster.
 */
export const RECORD_SHARES_LUA = `
local ttl, maxlen, nf = ARGV[1], ARGV[2], tonumber(ARGV[3])
local entry = {}
for j = 1, nf do entry[2 * j - 1] = ARGV[3 + j] end
local out = {}
local a = 3 + nf
for i = 2, #KEYS do
  local id = ARGV[a + 1]
  if redis.call('SISMEMBER', KEYS[i], id) == 1 then
    out[i - 1] = 0
  else
    for j = 1, nf do entry[2 * j] = ARGV[a + j] end
    redis.call('XADD', KEYS[1], 'MAXLEN', '~', maxlen, '*', unpack(entry))
    redis.call('SADD', KEYS[i], id)
    redis.call('EXPIRE', KEYS[i], ttl)
    out[i - 1] = 1
  end
  a = a + nf
end
return out
`;

/** One record ready for the script: its recorded-ids key and its values. */
export interface EncodedShare {
  coin: string;
  recordedKey: string;
  values: string[];
}

/**
 * Encodes a record for the script before anything is sent, so that a record
 * that cannot be stored fails at once (and is never spooled to fail again on
 * every replay).
 *
 * @throws LodeError('store') when a numeric field is not a finite number
 * @throws LodeError('config') when the coin id cannot be part of a key
 */
export function encodeShare(keys: RedisKeys, record: ShareRecord): EncodedShare {
  const values = shareRecordValues(record);
  return { coin: record.coin, recordedKey: keys.recorded(record.coin, record.time), values };
}

type ScriptFn = (...args: (string | number)[]) => Promise<number[]>;

/**
 * Defines the share script on `redis` (once per client) and returns a
 * function that runs it for records of ONE coin (EVALSHA, falling back to
 * EVAL after a server restart flushed the script cache; auto-pipelined when
 * the client has `enableAutoPipelining`).
 *
 * @returns per call: one integer per record, 1 appended, 0 already stored
 */
export function defineRecordShares(
  redis: Redis,
  keys: RedisKeys,
  ttlSeconds: number,
  maxLen: number,
): (coin: string, shares: readonly EncodedShare[]) => Promise<number[]> {
  const commands = redis as unknown as Record<string, ScriptFn | undefined>;
  if (commands[RECORD_SHARES_COMMAND] === undefined) redis.defineCommand(RECORD_SHARES_COMMAND, { lua: RECORD_SHARES_LUA });
  const run = (commands[RECORD_SHARES_COMMAND] as ScriptFn).bind(redis);
  return (coin, shares) => {
    const args: (string | number)[] = [1 + shares.length, keys.shares(coin)];
    for (const share of shares) args.push(share.recordedKey);
    args.push(ttlSeconds, maxLen, SHARE_FIELD_NAMES.length, ...SHARE_FIELD_NAMES);
    for (const share of shares) for (const value of share.values) args.push(value);
    return run(...args);
  };
}
