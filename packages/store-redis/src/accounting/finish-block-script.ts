/**
 * Lua: stores a block's split, drops its snapshots and acks its stream entry,
 * atomically. Internal to {@link ShareAccountant}.
 *
 * KEYS: 1 stream, 2 blocks, 3 blockRound, 4 blockWindow.
 * ARGV: 1 stream entry id, 2 group, 3 share id, 4 block JSON.
 *
 * A block already dropped from the capped list is not written back.
 */
export const FINISH_BLOCK_SCRIPT = `
if redis.call('HEXISTS', KEYS[2], ARGV[3]) == 1 then redis.call('HSET', KEYS[2], ARGV[3], ARGV[4]) end
redis.call('DEL', KEYS[3], KEYS[4])
redis.call('XACK', KEYS[1], ARGV[2], ARGV[1])
return 1
`;
