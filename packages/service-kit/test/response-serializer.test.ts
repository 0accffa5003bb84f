import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ServiceApp } from '../src/index.ts';
import { buildTestApp } from './helper.ts';

let app: ServiceApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const Badge = z.object({ badgeId: z.string(), displayName: z.string(), capacity: z.number().int().nullable(), inside: z.boolean() });

describe('response bodies', () => {
  it('write the response schema’s fields only, so other fields of the returned object never reach the caller', async () => {
    ({ app } = await buildTestApp());
    app.get('/v1/badge', { schema: { response: { 200: Badge } } }, () => ({
      badgeId: 'bdg-1',
      displayName: 'Zhang Wei',
      capacity: null,
      inside: true,
      email: 'zhang.wei@example.com',
    }));
    const res = await app.inject({ method: 'GET', url: '/v1/badge' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('{"badgeId":"bdg-1","displayName":"Zhang Wei","capacity":null,"inside":true}');
  });

  it('go through the schema’s encoding when it has one (a codec writes its wire form)', async () => {
    ({ app } = await buildTestApp());
    const Cents = z.codec(z.string().regex(/^\d+\.\d{2}$/), z.number().int(), {
      decode: (text) => Math.round(Number(text) * 100),
      encode: (cents) => (cents / 100).toFixed(2),
    });
    app.get('/v1/price', { schema: { response: { 200: z.object({ price: Cents }) } } }, () => ({ price: 1250 }));
    const res = await app.inject({ method: 'GET', url: '/v1/price' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ price: '12.50' });
  });
});
