import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
// One trace across two services needs both in one process. A service never imports another
// (docs/conventions.md), so the test that builds both lives here, outside every service, and
// reaches them, their test helpers and service-kit by path: infra declares no dependency on any
// of them (services and the test kit depend on infra).
import { startTracing, stopTracing } from '../../../packages/service-kit/src/tracing.ts';
import { asDevice, defineVenue, scanBody, scanRecords, setupScanning, type TestScanning } from '../../../services/badge-scanning/test/helper.ts';
import { createAnalyticsTopics, ops, setupAnalytics, type TestAnalytics } from '../../../services/analytics/test/helper.ts';

const exporter = new InMemorySpanExporter();
let scanning: TestScanning;
let analytics: TestAnalytics;

beforeAll(async () => {
  // Before the apps are built: createService then registers @fastify/otel on each.
  startTracing({ serviceName: 'expo-platform-test', exporter });
  scanning = await setupScanning('trace-scan');
  // Analytics on the same expo and topics, in a consumer group of its own.
  const topics = await createAnalyticsTopics(scanning.names, 2);
  analytics = await setupAnalytics('trace-scan', { CONSUMER_GROUP: scanning.names.group('analytics') }, { names: scanning.names, topics });
});
afterAll(async () => {
  await analytics?.close();
  await scanning?.close();
  await stopTracing();
});

async function until<T>(what: string, find: () => Promise<T | undefined> | T | undefined): Promise<T> {
  return vi.waitFor(
    async () => {
      const found = await find();
      if (found === undefined) throw new Error(`${what} did not happen within 60 s`);
      return found;
    },
    { timeout: 60_000, interval: 50 },
  );
}

/** The span's ancestors within its trace, nearest first. */
function ancestors(span: ReadableSpan, trace: readonly ReadableSpan[]): ReadableSpan[] {
  const byId = new Map(trace.map((s) => [s.spanContext().spanId, s]));
  const chain: ReadableSpan[] = [];
  for (let parent = byId.get(span.parentSpanContext?.spanId ?? ''); parent; parent = byId.get(parent.parentSpanContext?.spanId ?? '')) chain.push(parent);
  return chain;
}

describe('a scan traced from HTTP through Kafka', () => {
  it('is one trace from POST /v1/scans through badge-scanning’s produce to analytics’ apply', async () => {
    const devices = await defineVenue(scanning.app, [
      { zoneId: 'necc', parentId: null },
      { zoneId: 'hall-1', parentId: 'necc' },
    ]);
    const app = await analytics.instance();
    const badge = await scanning.issueBadge();
    const body = scanBody(badge, 'in');

    const res = await scanning.app.inject({ method: 'POST', url: '/v1/scans', headers: asDevice(devices.necc!), payload: body });
    expect(res.json()).toMatchObject({ scanId: body.scanId, decision: 'accepted' });

    // What the ops dashboard shows: analytics applied the scan.
    await until('the scan in analytics’ live occupancy', async () => {
      const live = (await app.inject({ url: '/v1/live', headers: ops })).json<{ zones: Array<{ zoneId: string; occupancy: number }> }>();
      return live.zones.find((z) => z.zoneId === 'necc' && z.occupancy === 1);
    });

    const server = exporter.getFinishedSpans().find((s) => s.kind === SpanKind.SERVER && s.attributes['http.route'] === '/v1/scans');
    expect(server?.name).toBe('POST /v1/scans');
    expect(server?.instrumentationScope.name).toBe('@fastify/otel');
    const traceId = server!.spanContext().traceId;
    const inTrace = () => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    const scansTopic = scanning.topics.scans.name;

    const send = inTrace().find((s) => s.kind === SpanKind.PRODUCER && s.name === `send ${scansTopic}`);
    expect(send?.attributes).toMatchObject({ 'messaging.system': 'kafka', 'messaging.destination.name': scansTopic });
    expect(ancestors(send!, inTrace())).toContain(server);

    const apply = await until('analytics’ process span', () =>
      inTrace().find((s) => s.kind === SpanKind.CONSUMER && s.attributes['messaging.consumer.group.name'] === `${scanning.names.group('analytics')}.scans`),
    );
    expect(apply.name).toBe(`process ${scansTopic}`);
    expect(apply.parentSpanContext?.spanId).toBe(send!.spanContext().spanId);

    const [record] = (await scanRecords(scanning.topics)).filter((r) => r.data.scanId === body.scanId);
    expect(record?.traceId).toBe(traceId);
  });
});
