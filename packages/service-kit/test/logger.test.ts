import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ServiceApp } from '../src/index.ts';
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
    app.post(
      '/v1/attendees',
      { config: { roles: ['admin'] }, schema: { body: z.object({ email: z.string() }) } },
      (request) => {
        request.log.info({ token: 'leaked-token-value', nested: { password: 'hunter2' } }, 'handled');
        return { ok: true };
      },
    );
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

describe('log lines on stdout', () => {
  const fixture = join(import.meta.dirname, 'fixtures', 'log-line.ts');
  const env = { ...process.env, LOG_LEVEL: 'info' };
  const lines = (out: string) => out.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
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
