import { shareThroughputMain } from './share-throughput';

/**
 * Benchmark (d) of issue 11: the share throughput of benchmark (b)
 * (share-throughput.ts) with the pool's share log on Redis, next to the
 * in-memory pool measured in the same run. Starts a scratch redis-server
 * on a free loopback port, or uses REDIS_URL (keys under a prefix unique to
 * the run, deleted at the end).
 *
 * `node tools/bench/dist/share-throughput-redis.js [seconds] [sessions] [in flight]`
 */
if (require.main === module) {
  const stop = (): void => process.exit(130);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  void shareThroughputMain('share-throughput-redis', true).then(() => process.exit(0));
}
