import { startTestRedis, type TestRedis } from './redis-server';

describe('startTestRedis', () => {
  let redis: TestRedis;
  afterEach(async () => redis?.stop());

  it('runs a real redis-server that can be killed and restarted on the same port', async () => {
    redis = await startTestRedis();
    const c = redis.client();
    expect(await c.set('k', 'v')).toBe('OK');
    await redis.kill();
    await redis.restart();
    const d = redis.client();
    expect(await d.get('k')).toBeNull();
  });
});
