import { busMetrics } from '@expo/bus';
import { promtoolCheckMetrics } from '@expo/testkit';
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

  it('says on service_ready what /readyz answers, asked at each scrape', async () => {
    ({ app } = await buildTestApp());
    let dependencyUp = true;
    app.readiness.add('dependency', () => Promise.resolve(dependencyUp));
    expect((await app.inject('/metrics')).body).toMatch(/^service_ready\{service="test-service"\} 1$/m);
    dependencyUp = false;
    expect((await app.inject('/readyz')).statusCode).toBe(503);
    expect((await app.inject('/metrics')).body).toMatch(/^service_ready\{service="test-service"\} 0$/m);
  });

  it('passes promtool check metrics with process, HTTP and bus metrics', async () => {
    ({ app } = await buildTestApp({ defaultMetrics: true }));
    const bus = busMetrics(app.metrics);
    bus.produceErrors.inc({ topic: 'scanning.scans.v1' });
    bus.sendWait.observe({ topic: 'scanning.scans.v1' }, 0.004);
    bus.produceRequest.observe(0.003);
    bus.consumerLag.set({ group: 'analytics.scans', topic: 'scanning.scans.v1', partition: '0' }, 12);
    bus.dlqRecords.inc({ group: 'analytics.scans', topic: 'scanning.scans.v1', reason: 'invalid_record' });
    bus.dlqWaiting.set({ topic: 'scanning.scans.v1' }, 1);
    bus.consumerRetries.inc({ group: 'analytics.scans', topic: 'scanning.scans.v1', reason: 'redis_unavailable' });
    bus.consumerPaused.set({ group: 'analytics.scans', topic: 'scanning.scans.v1', partition: '0', reason: 'newer_schema' }, 1);
    app.get('/v1/ping', { config: { roles: 'public' } }, () => ({ ok: true }));
    await app.inject('/v1/ping');
    const body = (await app.inject('/metrics')).body;
    expect(body).toContain('kafka_consumer_lag{');
    expect(await promtoolCheckMetrics(body)).toEqual({ exitCode: 0, problems: [] });
  });
});
