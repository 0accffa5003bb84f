import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { baseConfigShape, ConfigError, loadConfig, portVar } from '../src/index.ts';

const schema = z.object({
  ...baseConfigShape,
  SERVICE_NAME: z.string().default('badge-scanning'),
  PORT: portVar(3002),
  SCAN_BATCH_MAX: z.coerce.number().int().positive().default(1000),
});

const good = { KAFKA_BROKERS: 'k1:9092, k2:9092', REDIS_URL: 'redis://127.0.0.1:6380' };

describe('loadConfig', () => {
  it('parses with defaults and comma-separated token lists', () => {
    const config = loadConfig(schema, { ...good, ADMIN_TOKENS: 'aaaaaaaaaaaaaaaa1, bbbbbbbbbbbbbbbb2,' });
    expect(config).toMatchObject({
      SERVICE_NAME: 'badge-scanning',
      PORT: 3002,
      HOST: '0.0.0.0',
      LOG_LEVEL: 'info',
      ADMIN_TOKENS: ['aaaaaaaaaaaaaaaa1', 'bbbbbbbbbbbbbbbb2'],
      OPS_TOKENS: [],
      SCAN_BATCH_MAX: 1000,
    });
  });

  it('takes one Redis, a TLS one, or a Redis Cluster by its seed nodes', () => {
    for (const url of ['redis://127.0.0.1:6380', 'rediss://user:pw@redis.example:6380/0', 'redis://10.0.0.1:7000,10.0.0.2:7000,10.0.0.3:7000']) {
      expect(loadConfig(schema, { ...good, REDIS_URL: url }).REDIS_URL).toBe(url);
    }
    expect(() => loadConfig(schema, { ...good, REDIS_URL: 'redis://10.0.0.1:7000,10.0.0.2' })).toThrow(/REDIS_URL/);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig(schema, { ...good, PORT: '' }).PORT).toBe(3002);
  });

  it('fails once, listing every problem by variable name, never echoing values', () => {
    let thrown: unknown;
    try {
      loadConfig(schema, { PORT: 'eighty', REDIS_URL: 'http://x', LOG_LEVEL: 'loud', OPS_TOKENS: 'short-secret' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const error = thrown as ConfigError;
    expect(error.problems.map((p) => p.variable).sort()).toEqual(['KAFKA_BROKERS', 'LOG_LEVEL', 'OPS_TOKENS', 'PORT', 'REDIS_URL']);
    expect(error.problems.find((p) => p.variable === 'KAFKA_BROKERS')?.message).toBe('is required');
    expect(error.problems.find((p) => p.variable === 'OPS_TOKENS')?.message).toMatch(/^entry 1: .*16 characters/);
    expect(error.message).toContain('PORT');
    expect(error.message).not.toContain('short-secret');
  });
});
