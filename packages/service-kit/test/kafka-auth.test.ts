import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startDedicatedKafka, type DedicatedKafka } from '@expo/testkit';
import { baseConfigShape, ConfigError, kafkaConnectionFrom, kafkaPlugin, loadConfig } from '../src/index.ts';
import { buildTestApp } from './helper.ts';

const schema = z.object({ ...baseConfigShape, SERVICE_NAME: z.string().default('badge-scanning') });
const base = { KAFKA_BROKERS: '127.0.0.1:9092', REDIS_URL: 'redis://127.0.0.1:6380' };
const SECRET = 'hunter2-do-not-echo';

function problemsOf(env: Record<string, string>): Array<{ variable: string; message: string }> {
  try {
    loadConfig(schema, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      expect(error.message).not.toContain(SECRET);
      return [...error.problems];
    }
    throw error;
  }
  return [];
}

describe('the Kafka security variables', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kafka-auth-config-'));

  it('gives SASL and TLS from the variables, the password from its file', () => {
    const file = join(dir, 'password');
    writeFileSync(file, `${SECRET}\n`);
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const config = loadConfig(schema, {
      ...base,
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: 'badge-scanning',
      KAFKA_SASL_PASSWORD_FILE: file,
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: ca,
    });
    expect(kafkaConnectionFrom(config)).toEqual({
      brokers: base.KAFKA_BROKERS,
      sasl: { mechanism: 'scram-sha-512', username: 'badge-scanning', password: SECRET },
      ssl: { ca: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----' },
    });
    expect(kafkaConnectionFrom(loadConfig(schema, base))).toEqual({ brokers: base.KAFKA_BROKERS });
  });

  it('lists every problem at once, naming variables and never their values', () => {
    expect(problemsOf({ ...base, KAFKA_SASL_MECHANISM: 'scram-sha-1', KAFKA_SASL_PASSWORD: SECRET })).toEqual([
      { variable: 'KAFKA_SASL_MECHANISM', message: 'expected one of scram-sha-512, scram-sha-256, plain' },
      { variable: 'KAFKA_SASL_USERNAME', message: 'is required when KAFKA_SASL_MECHANISM is set' },
    ]);
    expect(problemsOf({ ...base, KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u' })).toEqual([
      { variable: 'KAFKA_SASL_PASSWORD', message: 'is required (or KAFKA_SASL_PASSWORD_FILE) when KAFKA_SASL_MECHANISM is set' },
    ]);
    expect(problemsOf({ ...base, KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: SECRET })).toEqual([
      { variable: 'KAFKA_SASL_MECHANISM', message: 'is required when a Kafka user name or password is set' },
    ]);
    expect(problemsOf({ ...base, KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD_FILE: join(dir, SECRET) })).toEqual([
      { variable: 'KAFKA_SASL_PASSWORD_FILE', message: 'cannot read the password file (ENOENT)' },
    ]);
    expect(problemsOf({ ...base, KAFKA_SSL: 'maybe', KAFKA_SSL_CA_FILE: join(dir, 'password') })).toEqual([
      { variable: 'KAFKA_SSL', message: 'expected true or false' },
      { variable: 'KAFKA_SSL_CA_FILE', message: 'expected a PEM certificate' },
      { variable: 'KAFKA_SSL', message: 'must be true when KAFKA_SSL_CA_FILE is set' },
    ]);
  });
});

describe('a service on a secured broker', () => {
  let kafka: DedicatedKafka;
  beforeAll(async () => {
    kafka = await startDedicatedKafka({ secured: {} });
  }, 60_000);
  afterAll(async () => {
    await kafka?.destroy();
  });

  async function readyz(password: string) {
    const { app, logs } = await buildTestApp({ name: 'badge-scanning' });
    await app.register(kafkaPlugin, {
      brokers: kafka.brokers,
      sasl: { mechanism: 'scram-sha-512', username: 'badge-scanning', password },
      source: 'badge-scanning',
      expoId: 'acl-expo',
    });
    await app.ready();
    try {
      const response = await app.inject({ method: 'GET', url: '/readyz' });
      return { status: response.statusCode, body: response.json<{ checks: Array<{ name: string; status: string; detail?: string }> }>(), logs: logs.text() };
    } finally {
      await app.close();
    }
  }

  it('is ready with its own password, read from its file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kafka-auth-')), 'badge-scanning.password');
    writeFileSync(file, kafka.credentials!.passwords['badge-scanning']!, { mode: 0o600 });
    const config = loadConfig(schema, {
      ...base,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'badge-scanning',
      KAFKA_SASL_PASSWORD_FILE: file,
    });
    const answer = await readyz(kafkaConnectionFrom(config).sasl!.password);
    expect(answer.status).toBe(200);
    expect(answer.body.checks).toContainEqual({ name: 'kafka', status: 'ok' });
  });

  it('starts with a wrong password and answers not ready, naming authentication', async () => {
    const answer = await readyz(SECRET);
    expect(answer.status).toBe(503);
    const check = answer.body.checks.find((c) => c.name === 'kafka');
    expect(check).toMatchObject({ status: 'failed' });
    expect(check?.detail).toMatch(/refused to authenticate.*KAFKA_SASL_USERNAME/);
    expect(answer.logs).not.toContain(SECRET);
  });
});
