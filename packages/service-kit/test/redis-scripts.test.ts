import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisUrl, testNames } from '@expo/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { expoKey, redisPlugin, type ServiceApp } from '../src/index.ts';
import { buildTestApp } from './helper.ts';

let app: ServiceApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

// The suffix in a comment makes the source new to Redis, so the first EVALSHA meets NOSCRIPT and
// the runner must fall back to EVAL.
function admitScript(suffix: string): string {
  return `-- admit ${suffix}
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n >= tonumber(ARGV[1]) then return -1 end
return redis.call('INCR', KEYS[1])`;
}

describe('Lua scripts by name', () => {
  it('runs a named script atomically against the real Redis', async () => {
    const { expoId, suffix } = testNames('sk-lua');
    const built = await buildTestApp();
    app = built.app;
    await app.register(redisPlugin, { url: redisUrl(), scripts: { admit: admitScript(suffix) } });
    const params = z.object({ zoneId: z.string() });
    app.post('/v1/zones/:zoneId/admit', { config: { roles: 'public' }, schema: { params } }, async (request) => {
      const key = expoKey(expoId, 'scanning', 'occupancy', request.params.zoneId);
      return { result: await request.server.redisScripts.run<number>('admit', [key], [5]) };
    });
    const answers = await Promise.all(Array.from({ length: 8 }, () => built.app.inject({ method: 'POST', url: '/v1/zones/hall-1/admit' })));
    const results = answers.map((a) => a.json<{ result: number }>().result);
    expect(results.filter((r) => r === -1)).toHaveLength(3);
    expect(await app.redis.get(expoKey(expoId, 'scanning', 'occupancy', 'hall-1'))).toBe('5');
  });

  it('loads a directory of .lua files by file name', async () => {
    const { expoId, suffix } = testNames('sk-lua-dir');
    const dir = mkdtempSync(join(tmpdir(), 'sk-lua-'));
    try {
      writeFileSync(join(dir, 'admit.lua'), admitScript(suffix));
      writeFileSync(join(dir, 'notes.txt'), 'not a script');
      ({ app } = await buildTestApp());
      await app.register(redisPlugin, { url: redisUrl(), scripts: dir });
      expect(app.redisScripts.names).toEqual(['admit']);
      expect(await app.redisScripts.run('admit', [expoKey(expoId, 'test', 'n')], [1])).toBe(1);
      expect(await app.redisScripts.run('admit', [expoKey(expoId, 'test', 'n')], [1])).toBe(-1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an unknown script name', async () => {
    ({ app } = await buildTestApp());
    await app.register(redisPlugin, { url: redisUrl(), scripts: {} });
    await expect(app.redisScripts.run('nope', [])).rejects.toThrow(/no Lua script named "nope"/);
  });
});
