import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpTransport } from '../../src/sim/http-transport.ts';

// badge-scanning as a gate sees it when Kafka is slow: the first attempt of a scan decides and
// moves the visitor, but its record is not acknowledged in time, so it answers 503 (a write of
// unknown fate is never taken back); the same scanId sent again is answered from the stored
// decision, replayed.
const decided = new Set<string>();
let server: Server;

function answer(req: IncomingMessage, res: ServerResponse, body: string): void {
  const json = (code: number, value: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(code, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(value));
  };
  const scans = req.url === '/v1/scans/batch' ? (JSON.parse(body) as { scans: Array<{ scanId: string }> }).scans : [JSON.parse(body) as { scanId: string }];
  const results = scans.map((scan) => {
    const replayed = decided.has(scan.scanId);
    decided.add(scan.scanId);
    return { scanId: scan.scanId, decision: 'accepted', reason: null, replayed };
  });
  if (results.some((r) => !r.replayed))
    return json(503, { error: { code: 'dependency_unavailable', message: 'Kafka did not acknowledge in time' } }, { 'retry-after': '1' });
  json(200, req.url === '/v1/scans/batch' ? { results } : results[0]);
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => answer(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
});
afterAll(() => server.close());

const transport = () => {
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return httpTransport({ registration: url, scanning: url, matchmaking: url, analytics: url, adminToken: 'admin-token-0123456789' });
};
const scan = (scanId: string) => ({ scanId, badgeToken: 'token', direction: 'in' as const, scannedAt: new Date().toISOString() });

describe('httpTransport: a scan whose first attempt took effect unanswered', () => {
  it('takes the replay its own retry caused as the first answer: the visitor moved', async () => {
    const result = await transport().scan('device-key', scan('scan-1'));
    expect(result).toMatchObject({ decision: 'accepted', replayed: false });
  });

  it('does the same for every scan of a retried offline batch', async () => {
    const results = await transport().scanBatch('device-key', [scan('scan-2'), scan('scan-3')]);
    expect(results.map((r) => r.replayed)).toEqual([false, false]);
  });

  it('still reports a scan sent again later, answered at once, as replayed', async () => {
    decided.add('scan-4');
    const result = await transport().scan('device-key', scan('scan-4'));
    expect(result.replayed).toBe(true);
  });
});
