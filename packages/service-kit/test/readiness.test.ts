import { afterEach, describe, expect, it } from 'vitest';
import type { ServiceApp } from '../src/index.ts';
import { buildTestApp } from './helper.ts';

let app: ServiceApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('/healthz and /readyz', () => {
  it('answers /healthz while the process is up, whatever its dependencies', async () => {
    ({ app } = await buildTestApp());
    app.readiness.add('kafka', () => Promise.resolve(false));
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('answers 200 when every check passes', async () => {
    ({ app } = await buildTestApp());
    app.readiness.add('redis', () => Promise.resolve(true));
    app.readiness.add('kafka', () => Promise.resolve(true));
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'ready',
      checks: [
        { name: 'redis', status: 'ok' },
        { name: 'kafka', status: 'ok' },
      ],
    });
  });

  it('answers 503 naming the checks that failed, threw or timed out', async () => {
    ({ app } = await buildTestApp({ readinessTimeoutMs: 50 }));
    app.readiness.add('redis', () => Promise.resolve(true));
    app.readiness.add('kafka', () => Promise.resolve(false));
    app.readiness.add('consumers', () => Promise.reject(new Error('not caught up')));
    app.readiness.add('slow', () => new Promise<boolean>(() => undefined));
    const started = Date.now();
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({
      status: 'not_ready',
      checks: [
        { name: 'redis', status: 'ok' },
        { name: 'kafka', status: 'failed' },
        { name: 'consumers', status: 'failed' },
        { name: 'slow', status: 'timeout' },
      ],
    });
  });

  it('logs a check only when its status changes', async () => {
    const built = await buildTestApp();
    app = built.app;
    let up = false;
    app.readiness.add('redis', () => Promise.resolve(up));
    for (const next of [false, false, false, true, true]) {
      up = next;
      await app.inject({ method: 'GET', url: '/readyz' });
    }
    const changes = built.logs.lines.filter((l) => l.check === 'redis').map((l) => l.msg);
    expect(changes).toEqual(['readiness check fails', 'readiness check passes']);
  });

  it('refuses two checks with one name', async () => {
    ({ app } = await buildTestApp());
    app.readiness.add('redis', () => Promise.resolve(true));
    expect(() => app?.readiness.add('redis', () => Promise.resolve(true))).toThrow(/already registered/);
  });
});
