import type Redis from 'ioredis';
import { LodeError } from '@lode/stratum-core';

/** The keys of one coin's bus, all under the coin's hash tag (one cluster slot). */
export interface BusKeySet {
  stream: string;
  sequence: string;
  head: string;
  lease: string;
}

/** What the publish script needs besides the keys. */
export interface BusPublishArgs {
  /** the publisher's instance id; must hold the lease */
  owner: string;
  prevHash: string;
  height: number;
  /** the template as encoded by encodeBusTemplate */
  payload: string;
  /** approximate stream cap (XADD MAXLEN ~) */
  maxLen: number;
}

/**
 * Publishes one template atomically: only while `owner` holds the lease
 * (fencing: an instance that lost the lease cannot publish), the sequence is
 * incremented (seeded with the Redis clock in ms when missing, so after a
 * Redis restart job ids do not repeat ones miners may still hold, unless
 * more than 1000 templates a second were published), `clean`
 * is computed against the head (new prevHash or higher height), the head is
 * updated and the entry appended. Returns the sequence, or 0 when `owner`
 * does not hold the lease.
 */
const PUBLISH = `
if redis.call('GET', KEYS[4]) ~= ARGV[1] then return 0 end
if redis.call('EXISTS', KEYS[2]) == 0 then
  local now = redis.call('TIME')
  redis.call('SET', KEYS[2], now[1] .. string.format('%03d', math.floor(tonumber(now[2]) / 1000)))
end
local seq = redis.call('INCR', KEYS[2])
local head = redis.call('HMGET', KEYS[3], 'prevHash', 'height')
local clean = '0'
if (not head[1]) or head[1] ~= ARGV[2] or tonumber(ARGV[3]) > tonumber(head[2]) then clean = '1' end
redis.call('HSET', KEYS[3], 'prevHash', ARGV[2], 'height', ARGV[3])
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[5], '*', 'seq', seq, 'clean', clean, 'by', ARGV[1], 'template', ARGV[4])
return seq
`;

type Script = (...args: (string | number)[]) => Promise<unknown>;

/**
 * Defines the bus publish script on `redis` (ioredis defineCommand) and
 * returns it typed. Internal.
 *
 * @returns publish(keys, args) resolving to the bus sequence (> 0), or 0 when
 *   args.owner does not hold the lease; rejects as ioredis does when Redis fails
 */
export function busPublishCommand(redis: Redis): (keys: BusKeySet, args: BusPublishArgs) => Promise<number> {
  const scripted = redis as unknown as { lodeBusPublish?: Script };
  if (typeof scripted.lodeBusPublish !== 'function') {
    redis.defineCommand('lodeBusPublish', { lua: PUBLISH, numberOfKeys: 4 });
  }
  return async (keys, args) => {
    const script = scripted.lodeBusPublish;
    if (script === undefined) throw new LodeError('store', 'bus script lodeBusPublish is not defined on this connection');
    const reply = await script.call(
      redis,
      keys.stream,
      keys.sequence,
      keys.head,
      keys.lease,
      args.owner,
      args.prevHash,
      args.height,
      args.payload,
      args.maxLen,
    );
    const seq = typeof reply === 'string' ? Number(reply) : reply;
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
      throw new LodeError('store', `bus publish script replied ${String(reply)}, expected an integer >= 0`);
    }
    return seq;
  };
}
