/**
 * Adds a share's duplicate key to its height's set. KEYS[1] = the height's
 * set (`<prefix>:{<coin>}:dup:<height>`), KEYS[2] = the coin's live heights
 * (`<prefix>:{<coin>}:dup-heights`); ARGV = key, height, ttl seconds.
 * Returns 1 when the key is new, 0 when it was there (a duplicate).
 *
 * Both keys carry the coin's hash tag, so the script runs on Redis Cluster.
 * Only a new key refreshes the expiries and the height, so a flood of
 * duplicates costs one SADD each.
 *
 * @see facts/field-notes.md §1.5 (open-ethereum-pool `checkPoWExist`: one round trip per share)
 */
export const ADD_DUPLICATE_LUA = `
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then
  return 0
end
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[2])
redis.call('EXPIRE', KEYS[2], ARGV[3])
return 1
`;

/**
 * Deletes the given heights' sets and forgets those heights. KEYS[1] = the
 * coin's live heights; KEYS[2..] = the sets to delete; ARGV = the heights
 * (members of KEYS[1]) in the same order. UNLINK frees large sets off the
 * main thread. Returns how many sets existed.
 */
export const SWEEP_DUPLICATES_LUA = `
local deleted = 0
if #KEYS > 1 then
  deleted = redis.call('UNLINK', unpack(KEYS, 2))
  redis.call('ZREM', KEYS[1], unpack(ARGV))
end
return deleted
`;
