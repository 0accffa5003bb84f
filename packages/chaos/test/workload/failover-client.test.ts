import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailoverClient } from '../../src/workload/failover-client.ts';

// Two instances of a service as seen from the client: one answers 409 "still in progress" with
// Retry-After (an Idempotency-Key whose first request is still running), the other 409 for good.
let inProgress: Server;
let taken: Server;
const url = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const listen = (server: Server) => new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));

beforeAll(async () => {
  inProgress = createServer((_req, res) => {
    res.writeHead(409, { 'content-type': 'application/json', 'retry-after': '1' });
    res.end(JSON.stringify({ error: { code: 'conflict', message: 'still being processed' } }));
  });
  taken = createServer((_req, res) => {
    res.writeHead(409, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'conflict', message: 'e-mail already registered' } }));
  });
  await Promise.all([listen(inProgress), listen(taken)]);
});
afterAll(() => {
  inProgress.close();
  taken.close();
});

describe('FailoverClient', () => {
  it('reports a request still asked to retry when the workload stops as unanswered, not as the 409 it last heard', async () => {
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 1500);
    const answer = await new FailoverClient([url(inProgress)], { signal: stop.signal }).request('POST', '/v1/attendees', { body: {} });
    expect(answer.status).toBeNull();
    expect(answer.attempts).toBeGreaterThanOrEqual(2);
  });

  it('reports the same when the budget runs out', async () => {
    const answer = await new FailoverClient([url(inProgress)], { budgetMs: 1500 }).request('POST', '/v1/attendees', { body: {} });
    expect(answer.status).toBeNull();
  });

  it('takes a 409 without Retry-After as the final answer, after the first instance asked to retry', async () => {
    const answer = await new FailoverClient([url(inProgress), url(taken)]).request<{ error: { message: string } }>('POST', '/v1/attendees', { body: {} });
    expect(answer).toMatchObject({ status: 409, attempts: 2, failedOver: true, body: { error: { message: 'e-mail already registered' } } });
  });
});
