import { LodeError } from '@lode/stratum-core';

/** Options of {@link RedisKeys}. */
export interface RedisKeysOptions {
  /**
   * First segment of every key (default "lode"), so several pools or
   * environments can share one Redis. Letters, digits, `.`, `_`, `-` and
   * `:`; never `{` or `}` (they would change the hash slot).
   */
  prefix?: string;
}

const PREFIX_PATTERN = /^[A-Za-z0-9._:-]+$/;
const COIN_PATTERN = /^[A-Za-z0-9._-]+$/;

/** One hour in ms: the width of a {@link RedisKeys.recorded} bucket. */
export const RECORDED_BUCKET_MS = 3_600_000;

/**
 * The Redis key layout of every store-redis port, in one place.
 *
 * Every key of a coin carries the coin id as a Redis Cluster hash tag
 * (`{btc}`), so all of a coin's keys live in one hash slot and a Lua script
 * may touch several of them (Redis Cluster spec, "Hash tags"). The price is
 * that one coin's load sits on one cluster shard; coins spread over shards.
 *
 * Layout (prefix "lode", coin "btc"):
 *
 * | key                              | type       | written by             | content / lifetime |
 * |----------------------------------|------------|------------------------|--------------------|
 * | `lode:{btc}:shares`              | stream     | RedisShareStore        | one entry per share record, flat string fields `id instance worker job height difficulty shareDifficulty networkDifficulty verdict message blockHash versionBits remote time` (absent optional fields are ""); capped with `XADD MAXLEN ~ <maxLen>` |
 * | `lode:{btc}:recorded:<hour>`     | set        | RedisShareStore        | ids of the records already in the stream whose `time` falls in that hour (`floor(time / 3600000)`), so a spool replay never adds a record twice; expires `dedupTtlSeconds` after its last add |
 * | `lode:{btc}:dup:<height>`        | set        | RedisDuplicateIndex    | duplicate keys (extranonce1, extranonce2, ntime, nonce, version bits) of shares at that block height; expires after `ttlSeconds`, deleted by `sweepBelow` |
 * | `lode:{btc}:dup-heights`         | sorted set | RedisDuplicateIndex    | the heights that have a `dup:<height>` set (member and score = height), so `sweepBelow` knows what to delete |
| `lode:{btc}:bus`                 | stream     | RedisTemplateBus       | the coin's templates, one entry per publish: fields `seq` (decimal), `clean` ("1"/"0"), `by` (publisher instance id), `template` (JSON: height, prevHash, networkTarget as hex, raw); capped with `XADD MAXLEN ~ <streamMaxLen>` |
| `lode:{btc}:bus:seq`             | string     | RedisTemplateBus       | the bus sequence (INCR in the publish script; seeded with the Redis clock in ms when missing, so ids keep growing after a Redis restart); the job id is its hex |
| `lode:{btc}:bus:head`            | hash       | RedisTemplateBus       | `prevHash`, `height` of the last published template, for the `clean` flag |
| `lode:{btc}:bus:lease`           | string     | RedisTemplateBus       | instance id of the publisher (the one instance that runs the coin's node); PX leaseMs, renewed every leaseMs / 3 |
| `lode:{sessions}:<sessionId>`    | string     | RedisSessionStore      | the SessionRecord as JSON; PX until its `expiresAt`; taken with GETDEL |
| `lode:{en1}:prefix:<hex>`        | string     | RedisExtranonceLeases  | instance id holding that extranonce1 prefix; PX leaseMs, renewed every leaseMs / 3 |
| `lode:{en1}:claim:<hex>`         | string     | RedisExtranonceLeases  | instance id that claimed that full extranonce1 (a resumed session); PX the claim's ttlMs |
 *
 * Numbers are written as decimal strings (JS `String(number)`); bigints
 * never go into Redis.
 *
 * @see facts/field-notes.md §1.5 (open-ethereum-pool's Redis duplicate set by height) and §6 ("ioredis")
 */
export class RedisKeys {
  /** the prefix in use, without a trailing ':' */
  readonly prefix: string;

  /**
   * @throws LodeError('config') when the prefix is empty or holds characters
   *   outside `[A-Za-z0-9._:-]`
   */
  constructor(options: RedisKeysOptions = {}) {
    const prefix = options.prefix ?? 'lode';
    if (!PREFIX_PATTERN.test(prefix)) {
      throw new LodeError(
        'config',
        `redis key prefix ${JSON.stringify(prefix)} must be non-empty and use only letters, digits, '.', '_', '-' and ':'`,
      );
    }
    this.prefix = prefix;
  }

  /**
   * The hash-tagged root of a coin's keys: `lode:{btc}`.
   *
   * @param coin coin id ("btc"): letters, digits, `.`, `_`, `-`
   * @throws LodeError('config') when the coin id holds other characters
   */
  coin(coin: string): string {
    if (!COIN_PATTERN.test(coin)) {
      throw new LodeError(
        'config',
        `coin id ${JSON.stringify(coin)} cannot be used in a redis key: use only letters, digits, '.', '_' and '-'`,
      );
    }
    return `${this.prefix}:{${coin}}`;
  }

  /** The coin's share stream: `lode:{btc}:shares`. */
  shares(coin: string): string {
    return `${this.coin(coin)}:shares`;
  }

  /**
   * The set of share record ids already stored for records whose time falls
   * in one hour: `lode:{btc}:recorded:<floor(timeMs / 3600000)>`.
   *
   * @param timeMs the record's `time`, ms since the epoch
   */
  recorded(coin: string, timeMs: number): string {
    return `${this.coin(coin)}:recorded:${Math.floor(timeMs / RECORDED_BUCKET_MS)}`;
  }

  /**
   * The set of duplicate keys of shares at one block height:
   * `lode:{btc}:dup:<height>`.
   *
   * @param height block height, integer >= 0
   */
  duplicates(coin: string, height: number): string {
    return `${this.coin(coin)}:dup:${height}`;
  }

  /** The sorted set of heights that have a duplicates set: `lode:{btc}:dup-heights`. */
  duplicateHeights(coin: string): string {
    return `${this.coin(coin)}:dup-heights`;
  }

  /** The coin's template bus stream: `lode:{btc}:bus`. */
  bus(coin: string): string {
    return `${this.coin(coin)}:bus`;
  }

  /** The counter whose hex gives bus job ids: `lode:{btc}:bus:seq`. */
  busSequence(coin: string): string {
    return `${this.coin(coin)}:bus:seq`;
  }

  /** prevHash and height of the last bus template (hash): `lode:{btc}:bus:head`. */
  busHead(coin: string): string {
    return `${this.coin(coin)}:bus:head`;
  }

  /** The publisher lease of the coin's bus: `lode:{btc}:bus:lease`. */
  busLease(coin: string): string {
    return `${this.coin(coin)}:bus:lease`;
  }

  /**
   * A resumable session: `lode:{sessions}:<sessionId>`. All sessions share
   * the `{sessions}` tag (one slot); every operation on them is single-key.
   *
   * @param sessionId the session id as the engine gave it (hex)
   */
  session(sessionId: string): string {
    return `${this.prefix}:{sessions}:${sessionId}`;
  }

  /**
   * The lease of an extranonce1 prefix: `lode:{en1}:prefix:<hex>`. All
   * extranonce keys share the `{en1}` tag, so one script can try many prefixes.
   *
   * @param prefixHex the prefix bytes, lower-case hex
   */
  extranoncePrefix(prefixHex: string): string {
    return `${this.prefix}:{en1}:prefix:${prefixHex}`;
  }

  /**
   * The claim on one full extranonce1: `lode:{en1}:claim:<hex>`.
   *
   * @param extranonce1Hex the extranonce1 bytes, lower-case hex
   */
  extranonceClaim(extranonce1Hex: string): string {
    return `${this.prefix}:{en1}:claim:${extranonce1Hex}`;
  }
}
