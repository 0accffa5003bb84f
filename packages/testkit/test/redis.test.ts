import { afterAll, describe, expect, it } from 'vitest';
import { connectRedis, testNames } from '../src/index.ts';

const redis = connectRedis();
afterAll(async () => {
  await redis.quit();
});

describe('the real Redis', () => {
  it('runs a Lua script atomically over keys of one expo hash tag', async () => {
    const { expoId } = testNames('redis-smoke');
    const counter = `{${expoId}}:occupancy:hall-1`;
    const capacity = 5;
    const admit = `local n = tonumber(redis.call('GET', KEYS[1]) or '0')
      if n >= tonumber(ARGV[1]) then return -1 end
      return redis.call('INCR', KEYS[1])`;
    const answers = await Promise.all(Array.from({ length: 12 }, () => redis.eval(admit, 1, counter, capacity)));

    expect(answers.filter((a) => a === -1)).toHaveLength(7);
    expect(await redis.get(counter)).toBe('5');
  });
});
