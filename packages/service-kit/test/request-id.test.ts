import { afterEach, describe, expect, it } from 'vitest';
import type { ServiceApp } from '../src/index.ts';
import { buildTestApp } from './helper.ts';

let app: ServiceApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('request ids', () => {
  it('honours an incoming x-request-id and echoes it, also on errors', async () => {
    ({ app } = await buildTestApp());
    const res = await app.inject({ method: 'GET', url: '/nowhere', headers: { 'x-request-id': 'gw-1234.abc' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['x-request-id']).toBe('gw-1234.abc');
  });

  it('generates a UUID when none (or a malformed one) comes in', async () => {
    ({ app } = await buildTestApp());
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    const plain = await app.inject({ method: 'GET', url: '/healthz' });
    expect(plain.headers['x-request-id']).toMatch(uuid);
    const forged = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'a\nfake log line' } });
    expect(forged.headers['x-request-id']).toMatch(uuid);
  });
});
