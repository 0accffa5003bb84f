import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { baseConfigShape, loadConfig, type ServiceApp } from '../src/index.ts';
import { ADMIN_TOKEN, buildTestApp, OPS_TOKEN } from './helper.ts';

let app: ServiceApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('logging', () => {
  it('logs JSON with the request id, never bodies, query strings or credentials', async () => {
    const built = await buildTestApp();
    app = built.app;
    app.post('/v1/attendees', { config: { roles: ['admin'] }, schema: { body: z.object({ email: z.string() }) } }, (request) => {
      request.log.info({ token: 'leaked-token-value', nested: { password: 'hunter2' } }, 'handled');
      return { ok: true };
    });
    await app.inject({
      method: 'POST',
      url: '/v1/attendees?email=li.wei@example.com',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'x-request-id': 'req-42' },
      payload: { email: 'li.wei@example.com' },
    });
    const text = built.logs.text();
    expect(built.logs.lines.some((l) => l.reqId === 'req-42' && l.msg === 'handled' && l.role === 'admin')).toBe(true);
    expect(built.logs.lines.find((l) => l.msg === 'incoming request')?.req).toEqual({ method: 'POST', path: '/v1/attendees' });
    for (const secret of ['li.wei', ADMIN_TOKEN, 'leaked-token-value', 'hunter2']) expect(text).not.toContain(secret);
  });

  it('at warn level writes the handler warning with the request id and caller, and no per-request info lines', async () => {
    const built = await buildTestApp({ logLevel: 'warn' });
    app = built.app;
    app.get('/v1/slow', { config: { roles: ['ops'] } }, (request) => {
      request.log.info('routine');
      request.log.warn({ zoneId: 'hall-1' }, 'zone nearly full');
      return { ok: true };
    });
    const res = await app.inject({ method: 'GET', url: '/v1/slow', headers: { authorization: `Bearer ${OPS_TOKEN}`, 'x-request-id': 'req-77' } });
    expect(res.statusCode).toBe(200);
    expect(built.logs.lines.map((l) => l.msg)).toEqual(['zone nearly full']);
    expect(built.logs.lines[0]).toMatchObject({ reqId: 'req-77', role: 'ops', zoneId: 'hall-1', level: 40 });
  });
});

describe('redaction', () => {
  const bearerSecret = 'dev_Zq4sEcReT-bearer-key-0123456789';
  const configSecrets = {
    admin: 'admin-config-secret-0123456789',
    ops: 'ops-config-secret-0123456789',
    redisPassword: 'redis-pa55word-xyz',
    dbPassword: 'db-pa55word-abc',
    kafkaPassword: 'kafka-pa55word-q',
  };

  it('a bearer secret never shows in lines at debug or info, whatever the handler logs or the answer', async () => {
    const built = await buildTestApp({ logLevel: 'debug' });
    app = built.app;
    app.get('/v1/echo', { config: { roles: 'public' } }, (request) => {
      request.log.debug({ headers: request.headers }, 'headers at debug');
      request.log.info({ req: request }, 'request at info');
      request.log.info({ request: { headers: request.headers } }, 'nested headers at info');
      request.log.info({ authorization: request.headers.authorization }, 'the header alone');
      return { ok: true };
    });
    app.get('/v1/staff', { config: { roles: ['admin'] } }, () => ({ ok: true }));
    const headers = { authorization: `Bearer ${bearerSecret}` };
    expect((await app.inject({ url: '/v1/echo', headers })).statusCode).toBe(200);
    expect((await app.inject({ url: '/v1/staff', headers })).statusCode).toBe(401);
    const byMsg = (msg: string) => built.logs.lines.find((l) => l.msg === msg);
    expect(byMsg('headers at debug')).toMatchObject({ level: 20, headers: { authorization: '[redacted]' } });
    expect(byMsg('nested headers at info')).toMatchObject({ level: 30, request: { headers: { authorization: '[redacted]' } } });
    expect(byMsg('the header alone')).toMatchObject({ authorization: '[redacted]' });
    expect(byMsg('request at info')?.req).toEqual({ method: 'GET', path: '/v1/echo' });
    expect(built.logs.lines.some((l) => l.msg === 'request refused' && l.code === 'unauthorized')).toBe(true);
    expect(built.logs.text()).not.toContain(bearerSecret);
  });

  it('a parsed config or a password field logged by mistake keeps its secrets out of the line', async () => {
    const built = await buildTestApp({ logLevel: 'debug' });
    app = built.app;
    const config = loadConfig(z.object(baseConfigShape), {
      SERVICE_NAME: 'log-test',
      KAFKA_BROKERS: '127.0.0.1:9092',
      REDIS_URL: `redis://default:${configSecrets.redisPassword}@127.0.0.1:6380`,
      ADMIN_TOKENS: configSecrets.admin,
      OPS_TOKENS: configSecrets.ops,
    });
    // The Kafka password as the config carries it once parsed (KAFKA_SASL_PASSWORD or the _FILE's content).
    app.log.info(
      { config: { ...config, KAFKA_SASL_PASSWORD: configSecrets.kafkaPassword, KAFKA_SASL_PASSWORD_FILE: configSecrets.kafkaPassword } },
      'config loaded',
    );
    app.log.debug({ password: configSecrets.dbPassword, settings: { password: configSecrets.dbPassword } }, 'connecting');
    const loaded = built.logs.lines.find((l) => l.msg === 'config loaded');
    expect(loaded?.config).toMatchObject({
      SERVICE_NAME: 'log-test',
      ADMIN_TOKENS: '[redacted]',
      OPS_TOKENS: '[redacted]',
      REDIS_URL: '[redacted]',
      KAFKA_SASL_PASSWORD: '[redacted]',
      KAFKA_SASL_PASSWORD_FILE: '[redacted]',
    });
    expect(built.logs.lines.find((l) => l.msg === 'connecting')).toMatchObject({ password: '[redacted]', settings: { password: '[redacted]' } });
    const text = built.logs.text();
    for (const secret of Object.values(configSecrets)) expect(text).not.toContain(secret);
  });
});

describe('log lines on stdout', () => {
  const fixture = join(import.meta.dirname, 'fixtures', 'log-line.ts');
  const env = { ...process.env, LOG_LEVEL: 'info' };
  const lines = (out: string) =>
    out
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean);
  const json = (line: string): Record<string, unknown> | null => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      return null;
    }
  };

  it('are JSON, even on a terminal, unless LOG_PRETTY asks for readable ones', () => {
    // `script` runs the service on a pseudo-terminal, as a person's shell would.
    const command = `${process.execPath} --import tsx ${fixture}`;
    const onTerminal = spawnSync('script', ['-qec', command, '/dev/null'], { env: { ...env, LOG_PRETTY: '' }, encoding: 'utf8' });
    expect(onTerminal.status, onTerminal.stderr).toBe(0);
    expect(lines(onTerminal.stdout).map(json)).toContainEqual(expect.objectContaining({ msg: 'zone opened', zoneId: 'hall-1', service: 'log-test' }));
  });

  it('are readable lines with LOG_PRETTY=1', () => {
    const pretty = spawnSync(process.execPath, ['--import', 'tsx', fixture], { env: { ...env, LOG_PRETTY: '1' }, encoding: 'utf8' });
    expect(pretty.status, pretty.stderr).toBe(0);
    const line = lines(pretty.stdout).find((l) => l.includes('zone opened'));
    expect(line).toMatch(/INFO.*zone opened/);
    expect(json(line!)).toBeNull();
    expect(pretty.stdout).toContain('zoneId: "hall-1"');
  });
});
