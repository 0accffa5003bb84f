import { afterEach, describe, expect, it } from 'vitest';
import { Counter, type ServiceApp } from '../src/index.ts';
import { buildTestApp } from './helper.ts';

let app: ServiceApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('/metrics', () => {
  it('shows the request duration histogram by route pattern, not raw URL', async () => {
    ({ app } = await buildTestApp());
    app.get('/v1/zones/:zoneId', () => ({ ok: true }));
    await app.inject({ method: 'GET', url: '/v1/zones/hall-1' });
    await app.inject({ method: 'GET', url: '/metrics' });
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const count = res.body.split('\n').find((line) => line.startsWith('http_request_duration_seconds_count'));
    expect(count).toContain('method="GET"');
    expect(count).toContain('route="/v1/zones/:zoneId"');
    expect(count).toContain('status_code="200"');
    expect(count).toMatch(/ 1$/);
    expect(res.body).not.toContain('hall-1');
    expect(res.body).not.toContain('route="/metrics"');
  });

  it('lets other packages register metrics on app.metrics', async () => {
    ({ app } = await buildTestApp());
    const produceErrors = new Counter({ name: 'kafka_produce_errors_total', help: 'x', registers: [app.metrics] });
    produceErrors.inc(3);
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.body).toMatch(/kafka_produce_errors_total\{service="test-service"\} 3/);
  });

  it('includes process metrics by default', async () => {
    ({ app } = await buildTestApp({ defaultMetrics: true }));
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.body).toContain('process_cpu_user_seconds_total');
  });
});
