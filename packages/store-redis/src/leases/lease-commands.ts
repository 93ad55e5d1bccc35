import type Redis from 'ioredis';
import { LodeError } from '@lode/stratum-core';

/**
 * What {@link LeaseCommands.take} found: `taken` (the key was free and is now
 * ours), `renewed` (it was already ours; its expiry was pushed out) or `held`
 * (another owner has it; nothing changed).
 */
export type LeaseTakeResult = 'taken' | 'renewed' | 'held';

/**
 * Owner-checked leases on single Redis keys: the key's value is the owner id,
 * its PX expiry the end of the lease. Every check-and-write is one Lua script,
 * so two instances can never both believe they hold a key. Shared by the
 * extranonce leases and the template bus. All durations in ms.
 */
export interface LeaseCommands {
  /** SET key owner PX ttlMs when the key is missing, PEXPIRE when `owner` holds it, else nothing */
  take(key: string, owner: string, ttlMs: number): Promise<LeaseTakeResult>;
  /** PEXPIRE key ttlMs only while `owner` holds it (compare-and-pexpire); false when it does not */
  renew(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /** DEL key only while `owner` holds it (compare-and-delete); false when it did not */
  release(key: string, owner: string): Promise<boolean>;
  /**
   * SET k owner NX PX ttlMs for each key in order until one succeeds.
   * The keys must share one hash tag (one cluster slot).
   *
   * @returns the index in `keys` of the key now held, or -1 when all were taken
   */
  takeFirstFree(keys: readonly string[], owner: string, ttlMs: number): Promise<number>;
}

const TAKE = `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 2
end
if holder then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`;

const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

const TAKE_FIRST_FREE = `
for i, key in ipairs(KEYS) do
  if redis.call('SET', key, ARGV[1], 'NX', 'PX', ARGV[2]) then return i end
end
return 0
`;

type Script = (...args: (string | number)[]) => Promise<unknown>;

interface Scripted {
  lodeLeaseTake?: Script;
  lodeLeaseRenew?: Script;
  lodeLeaseRelease?: Script;
  lodeLeaseTakeFirstFree?: Script;
}

function asInteger(reply: unknown, script: string): number {
  const n = typeof reply === 'string' ? Number(reply) : reply;
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    throw new LodeError('store', `lease script ${script} replied ${String(reply)}, expected an integer`);
  }
  return n;
}

/**
 * Defines the lease scripts on `redis` (ioredis defineCommand: EVALSHA with
 * an EVAL fallback; defining them twice is harmless) and returns them typed.
 *
 * @param redis a command connection (not one in subscriber or blocking use)
 * @throws (from the returned calls) whatever ioredis rejects with when Redis
 *   is unreachable; callers wrap it in LodeError('store')
 */
export function leaseCommands(redis: Redis): LeaseCommands {
  const scripted = redis as unknown as Scripted;
  if (typeof scripted.lodeLeaseTake !== 'function') {
    redis.defineCommand('lodeLeaseTake', { lua: TAKE, numberOfKeys: 1 });
    redis.defineCommand('lodeLeaseRenew', { lua: RENEW, numberOfKeys: 1 });
    redis.defineCommand('lodeLeaseRelease', { lua: RELEASE, numberOfKeys: 1 });
    // numberOfKeys left out: the caller passes the key count first
    redis.defineCommand('lodeLeaseTakeFirstFree', { lua: TAKE_FIRST_FREE });
  }
  const call = (name: keyof Scripted, ...args: (string | number)[]): Promise<unknown> => {
    const script = scripted[name];
    if (script === undefined) throw new LodeError('store', `lease script ${name} is not defined on this connection`);
    return script.apply(redis, args);
  };
  return {
    async take(key, owner, ttlMs) {
      const r = asInteger(await call('lodeLeaseTake', key, owner, ttlMs), 'take');
      return r === 1 ? 'taken' : r === 2 ? 'renewed' : 'held';
    },
    async renew(key, owner, ttlMs) {
      return asInteger(await call('lodeLeaseRenew', key, owner, ttlMs), 'renew') === 1;
    },
    async release(key, owner) {
      return asInteger(await call('lodeLeaseRelease', key, owner), 'release') === 1;
    },
    async takeFirstFree(keys, owner, ttlMs) {
      if (keys.length === 0) return -1;
      return asInteger(await call('lodeLeaseTakeFirstFree', keys.length, ...keys, owner, ttlMs), 'takeFirstFree') - 1;
    },
  };
}
