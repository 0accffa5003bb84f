import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { baseConfigShape, loadConfig, serviceOptionsFrom, type ServiceApp } from '../src/index.ts';
import { buildTestApp } from './helper.ts';

let app: ServiceApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('createService', () => {
  it('accepts bodies up to 1 MiB by default and refuses bigger ones with 413', async () => {
    ({ app } = await buildTestApp());
    app.post('/v1/import', { config: { roles: 'public' }, schema: { body: z.object({ csv: z.string() }) } }, (request) => ({
      bytes: request.body.csv.length,
    }));
    const small = await app.inject({ method: 'POST', url: '/v1/import', payload: { csv: 'x'.repeat(1000 * 1000) } });
    expect(small.statusCode).toBe(200);
    const big = await app.inject({ method: 'POST', url: '/v1/import', payload: { csv: 'x'.repeat(1024 * 1024) } });
    expect(big.statusCode).toBe(413);
  });

  it('takes its name, log level and tokens from the base config', () => {
    const config = loadConfig(z.object(baseConfigShape), {
      SERVICE_NAME: 'analytics',
      KAFKA_BROKERS: '127.0.0.1:9092',
      REDIS_URL: 'redis://127.0.0.1:6380',
      LOG_LEVEL: 'warn',
      OPS_TOKENS: 'ops-token-0123456789',
    });
    expect(serviceOptionsFrom(config)).toEqual({
      name: 'analytics',
      logLevel: 'warn',
      auth: { adminTokens: [], opsTokens: ['ops-token-0123456789'] },
    });
  });
});
