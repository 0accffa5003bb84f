import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Journal } from '../../src/journal.ts';
import { chaosTransport } from '../../src/workload/chaos-transport.ts';

// Two instances of matchmaking as the workload sees them during a fault: the first makes the
// change and loses the connection before it answers (killed, paused, cut off), the second then
// finds the meeting already changed and answers 409, as the real service does.
const TARGET: Record<string, (body: { held?: boolean }) => string> = {
  accept: () => 'accepted',
  decline: () => 'declined',
  outcome: (body) => (body.held ? 'held' : 'no_show'),
};
const FROM: Record<string, string> = { accept: 'requested', decline: 'requested', outcome: 'scheduled' };
let status = 'requested';

async function readBody(req: IncomingMessage): Promise<{ held?: boolean }> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text ? (JSON.parse(text) as { held?: boolean }) : {};
}

function instance(losesAnswer: boolean): Server {
  return createServer((req: IncomingMessage, res: ServerResponse) => void answer(req, res, losesAnswer));
}

async function answer(req: IncomingMessage, res: ServerResponse, losesAnswer: boolean): Promise<void> {
  const json = (code: number, body: unknown) => {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (req.method === 'GET') return json(200, { meetingId: 'm-1', status });
  const action = req.url!.split('/').at(-1)!;
  const body = await readBody(req);
  if (status !== FROM[action]) return json(409, { error: { code: 'conflict', message: `The meeting is ${status}`, details: [{ reason: 'status', status }] } });
  status = TARGET[action]!(body);
  if (losesAnswer) {
    req.socket.destroy();
    return;
  }
  json(200, { meetingId: 'm-1', status });
}

let lost: Server;
let answers: Server;
const url = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const listen = (server: Server) => new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));

beforeAll(async () => {
  lost = instance(true);
  answers = instance(false);
  await Promise.all([listen(lost), listen(answers)]);
});
afterAll(() => {
  lost.close();
  answers.close();
});

function transport(journal: Journal) {
  const matchmaking = [url(lost), url(answers)];
  const addresses = { registration: matchmaking, scanning: matchmaking, matchmaking, analytics: matchmaking };
  return chaosTransport(addresses, 'admin-token', journal, { budgetMs: 5000 });
}

describe('chaosTransport: a retried meeting change whose first attempt took effect unanswered', () => {
  beforeEach(() => {
    status = 'requested';
  });

  it('keeps a decline answered 409 on retry as declined', async () => {
    const journal = new Journal();
    await transport(journal).answerMeeting('exhibitor-key', 'm-1', false);
    expect(journal.meetings).toEqual([expect.objectContaining({ kind: 'decline', meetingId: 'm-1', status: 200, attempts: 2 })]);
  });

  it('keeps an accept answered 409 on retry as accepted', async () => {
    const journal = new Journal();
    await transport(journal).answerMeeting('exhibitor-key', 'm-1', true);
    expect(journal.meetings).toEqual([expect.objectContaining({ kind: 'accept', status: 200, attempts: 2 })]);
  });

  it('keeps an outcome answered 409 on retry as recorded', async () => {
    status = 'scheduled';
    await expect(transport(new Journal()).outcome('exhibitor-key', 'm-1', { held: false })).resolves.toBeUndefined();
    expect(status).toBe('no_show');
  });

  it('still fails a 409 whose meeting went elsewhere (another outcome was recorded first)', async () => {
    status = 'held';
    await expect(transport(new Journal()).outcome('exhibitor-key', 'm-1', { held: false })).rejects.toThrow(/answered 409/);
  });
});
