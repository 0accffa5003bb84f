import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ServiceApp } from '../src/index.ts';
import { buildTestApp } from './helper.ts';

let app: ServiceApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

interface OpenApiDoc {
  openapi: string;
  info: { title: string };
  paths: Record<string, Record<string, Operation>>;
}

interface Operation {
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, unknown>;
}

describe('OpenAPI', () => {
  it('lists a declared route with its request and response schemas', async () => {
    ({ app } = await buildTestApp({ name: 'badge-scanning' }));
    app.put(
      '/v1/zones/:zoneId',
      {
        config: { roles: ['admin'] },
        schema: {
          params: z.object({ zoneId: z.string() }),
          body: z.object({ name: z.string(), capacity: z.number().int().nullable() }),
          response: { 200: z.object({ zoneId: z.string() }) },
        },
      },
      (request) => ({ zoneId: request.params.zoneId }),
    );
    const res = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<OpenApiDoc>();
    expect(doc.info.title).toBe('badge-scanning');
    const put = doc.paths['/v1/zones/{zoneId}']?.put;
    expect(put?.requestBody?.content['application/json']?.schema).toMatchObject({
      type: 'object',
      properties: { name: { type: 'string' } },
      required: ['name', 'capacity'],
    });
    expect(Object.keys(put?.responses ?? {})).toContain('200');
    expect(doc.paths['/healthz']).toBeDefined();
    expect(doc.paths['/openapi.json']).toBeUndefined();
  });

  it('serves the docs UI at /docs', async () => {
    ({ app } = await buildTestApp());
    const res = await app.inject({ method: 'GET', url: '/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
  });
});
