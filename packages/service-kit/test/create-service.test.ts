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

  it('takes its name, log level, log format, tokens and trace export from the base config', () => {
    const base = { SERVICE_NAME: 'analytics', KAFKA_BROKERS: '127.0.0.1:9092', REDIS_URL: 'redis://127.0.0.1:6380' };
    const config = loadConfig(z.object(baseConfigShape), { ...base, LOG_LEVEL: 'warn', OPS_TOKENS: 'ops-token-0123456789' });
    expect(serviceOptionsFrom(config)).toEqual({
      name: 'analytics',
      logLevel: 'warn',
      logPretty: false,
      auth: { adminTokens: [], opsTokens: ['ops-token-0123456789'] },
    });
    const traced = loadConfig(z.object(baseConfigShape), { ...base, LOG_PRETTY: '1', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' });
    expect(serviceOptionsFrom(traced)).toMatchObject({ logPretty: true, otlpEndpoint: 'http://127.0.0.1:4318' });
    const resolveKey = () => Promise.resolve(null);
    expect(serviceOptionsFrom(config, { description: 'Footfall', resolveKey })).toMatchObject({
      description: 'Footfall',
      auth: { adminTokens: [], opsTokens: ['ops-token-0123456789'], resolveKey },
    });
  });
});
