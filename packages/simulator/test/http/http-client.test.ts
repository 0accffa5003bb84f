import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '@expo/infra';
import type { ScanRequest } from '@expo/schemas';
import { HttpClient, ServiceUnreachable, type ServiceWait } from '../../src/http/http-client.ts';
import { httpTransport } from '../../src/sim/http-transport.ts';

// A stand-in for badge-scanning coming back after a restart: it answers 503 (still rebuilding its
// state) a few times, then decides the scan. Each body it was sent is kept.
function restartedScanning(port: number, unavailableFor: number): Promise<{ server: Server; bodies: ScanRequest[] }> {
  const bodies: ScanRequest[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    req.on('end', () => {
      bodies.push(JSON.parse(text) as ScanRequest);
      if (bodies.length <= unavailableFor) {
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '0' }).end('{"error":{"code":"state_rebuilding","message":"rebuilding"}}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ scanId: bodies[0]!.scanId, decision: 'accepted' }));
    });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve({ server, bodies })));
}

const servers: Server[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

const scan: ScanRequest = { scanId: '0b6f0c4e-8f1f-4b8e-9d9a-3f3f1c2b7e11', badgeToken: 'token', direction: 'in', scannedAt: '2026-11-05T09:00:00.000Z' };
const endpoints = (port: number, wait?: ServiceWait) => {
  const url = `http://127.0.0.1:${port}`;
  return { registration: url, scanning: url, matchmaking: url, analytics: url, adminToken: 'admin-token-0123456789', ...(wait ? { wait } : {}) };
};

describe('a client that waits for its service (the demo under pnpm dev)', () => {
  it('posts a scan while badge-scanning is down and gets the decision once it is back, under the same scanId', async () => {
    const port = await freePort();
    const changes: Array<{ away: boolean; why: string }> = [];
    let back: Promise<{ server: Server; bodies: ScanRequest[] }> | undefined;
    const wait: ServiceWait = {
      onChange: ({ away, why }) => {
        changes.push({ away, why });
        // Nothing listens yet: the first attempt was refused. Now the service comes back.
        back ??= restartedScanning(port, 2);
      },
    };
    const result = await httpTransport(endpoints(port, wait)).scan('device-key', scan);
    const { server, bodies } = await back!;
    servers.push(server);
    expect(result).toEqual({ scanId: scan.scanId, decision: 'accepted' });
    expect(changes).toEqual([
      { away: true, why: 'refuses connections' },
      { away: false, why: 'answers 200' },
    ]);
    expect(bodies.map((b) => b.scanId)).toEqual([scan.scanId, scan.scanId, scan.scanId]);
  });

  it('stops waiting when its signal aborts (Ctrl-C while a service is away)', async () => {
    const port = await freePort();
    const stop = new AbortController();
    const client = new HttpClient(`http://127.0.0.1:${port}`, null, undefined, { signal: stop.signal, onChange: () => stop.abort() });
    await expect(client.get('/v1/zones')).rejects.toBeInstanceOf(ServiceUnreachable);
  });
});

describe('a client that does not wait (seed and simulate commands, tests)', () => {
  it('fails at once when nothing listens, so optional steps are skipped', async () => {
    const client = new HttpClient(`http://127.0.0.1:${await freePort()}`);
    await expect(client.get('/v1/zones')).rejects.toThrow(/does not answer/);
  });
});
