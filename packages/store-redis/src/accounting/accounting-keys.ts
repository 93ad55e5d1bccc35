/**
 * The Redis keys of one coin's accounting. Every key carries the coin's hash
 * tag `{<coin>}`, the same as the share stream, so that one Lua script may
 * touch all of them on a Redis Cluster.
 */
export interface AccountingKeys {
  /** the share stream read (`<prefix>:{<coin>}:shares`, written by RedisShareStore) */
  stream: string;
  /** ZSET share id -> time applied (ms, Redis clock): ids applied within the dedupe window */
  applied: string;
  /** HASH of pool totals: accepted, difficulty, rejected, `rejected:<reason>`, lastShare, blocks, roundDifficulty, roundStart, windowDifficulty */
  pool: string;
  /** ZSET worker -> time of its last share (ms); capped at maxWorkers, least recent dropped */
  workers: string;
  /** HASH worker -> accepted shares */
  workerAccepted: string;
  /** HASH worker -> credited difficulty (sum) */
  workerDifficulty: string;
  /** HASH `<reason>\n<worker>` -> rejected shares */
  workerRejected: string;
  /** SET of the reject reasons seen */
  reasons: string;
  /** HASH worker -> credited difficulty in the current round */
  round: string;
  /** LIST `<difficulty>\n<worker>`, newest first: the PPLNS window (just enough shares to cover N) */
  window: string;
  /** HASH of blocks: share id -> block JSON */
  blocks: string;
  /** LIST of block share ids, newest first (capped at maxBlocks) */
  blockList: string;
  /** HASH worker -> credited difficulty in hashrate bucket `index` (expires when it leaves the window) */
  workerBucket(index: number): string;
  /** STRING: the pool's credited difficulty in hashrate bucket `index` (expires when it leaves the window) */
  poolBucket(index: number): string;
  /** HASH: the round a block closed, kept until its split is stored */
  blockRound(shareId: string): string;
  /** LIST: the PPLNS window when a block was found, kept until its split is stored */
  blockWindow(shareId: string): string;
}

/**
 * Names the accounting keys of `coin` under `prefix`
 * (`<prefix>:{<coin>}:acct:...`).
 *
 * @param prefix key prefix ("lode")
 * @param coin coin id ("btc")
 */
export function accountingKeys(prefix: string, coin: string): AccountingKeys {
  const tag = `${prefix}:{${coin}}`;
  const base = `${tag}:acct`;
  return {
    stream: `${tag}:shares`,
    applied: `${base}:applied`,
    pool: `${base}:pool`,
    workers: `${base}:workers`,
    workerAccepted: `${base}:worker:accepted`,
    workerDifficulty: `${base}:worker:difficulty`,
    workerRejected: `${base}:worker:rejected`,
    reasons: `${base}:reasons`,
    round: `${base}:round`,
    window: `${base}:window`,
    blocks: `${base}:blocks`,
    blockList: `${base}:blocklist`,
    workerBucket: (index) => `${base}:hashrate:${index}`,
    poolBucket: (index) => `${base}:hashrate:${index}:pool`,
    blockRound: (shareId) => `${base}:block:${shareId}:round`,
    blockWindow: (shareId) => `${base}:block:${shareId}:window`,
  };
}
