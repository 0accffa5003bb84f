import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { trace } from '@opentelemetry/api';
import { z } from 'zod';
import { baseConfigShape, ConfigError, loadConfig, serviceOptionsFrom, stopTracing, tracesUrl, tracingStarted, type ServiceApp } from '../src/index.ts';
import { buildTestApp } from './helper.ts';

interface Received {
  readonly path: string | undefined;
  readonly contentType: string | undefined;
  readonly body: Buffer;
}

/** An OTLP/HTTP collector's front door: it keeps every request it is sent and answers 200. */
async function collector(): Promise<{ endpoint: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ path: request.url, contentType: request.headers['content-type'], body: Buffer.concat(chunks) });
      response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, server };
}

const env = { SERVICE_NAME: 'badge-scanning', KAFKA_BROKERS: '127.0.0.1:9092', REDIS_URL: 'redis://127.0.0.1:6380' };
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await stopTracing();
});

/** A write route that answers the trace its handler runs in (after the body was read). */
function route(app: ServiceApp): void {
  app.post('/v1/things/:id', { config: { roles: 'public' } }, () => ({ traceId: trace.getActiveSpan()?.spanContext().traceId ?? null }));
}

describe('tracing', () => {
  it('is off without OTEL_EXPORTER_OTLP_ENDPOINT: no SDK started, no span in a handler', async () => {
    const { app } = await buildTestApp(serviceOptionsFrom(loadConfig(z.object(baseConfigShape), env)));
    cleanups.push(() => app.close());
    route(app);
    const res = await app.inject({ method: 'POST', url: '/v1/things/a-1', payload: { n: 1 } });
    expect(res.json()).toEqual({ traceId: null });
    expect(tracingStarted()).toBe(false);
  });

  it('continues a caller’s trace and exports the request’s spans over OTLP http/protobuf, named by route, under the service name', async () => {
    const { endpoint, received, server } = await collector();
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const config = loadConfig(z.object(baseConfigShape), { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint });
    const { app } = await buildTestApp(serviceOptionsFrom(config));
    route(app);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const callerTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await fetch(`${base}/v1/things/a-1`, {
      method: 'POST',
      headers: { traceparent: `00-${callerTrace}-00f067aa0ba902b7-01`, 'content-type': 'application/json' },
      body: JSON.stringify({ n: 1 }),
    });
    expect(await res.json()).toEqual({ traceId: callerTrace });
    await fetch(`${base}/readyz`);

    await app.close(); // exports what is pending
    expect(received.map((r) => [r.path, r.contentType])).toEqual([['/v1/traces', 'application/x-protobuf']]);
    // Protobuf keeps strings and ids as they are: the caller's trace id, the span's name, the service name.
    expect(received[0]!.body.includes(Buffer.from(callerTrace, 'hex'))).toBe(true);
    const body = received[0]!.body.toString('latin1');
    expect(body).toContain('POST /v1/things/:id');
    expect(body).toContain('badge-scanning');
    expect(body).not.toContain('/readyz');
  });

  it('sends to v1/traces under the endpoint’s own path, and refuses an endpoint that is not an http(s) URL', () => {
    expect(tracesUrl('http://collector:4318')).toBe('http://collector:4318/v1/traces');
    expect(tracesUrl('https://otel.example.com/ingest/')).toBe('https://otel.example.com/ingest/v1/traces');
    expect(() => loadConfig(z.object(baseConfigShape), { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(ConfigError);
  });
});
