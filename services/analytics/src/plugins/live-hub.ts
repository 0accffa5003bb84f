import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { ServerResponse } from 'node:http';

export interface LiveHubOptions {
  readonly pollMs: number;
  readonly throughputMinutes?: number;
  /** While false the dashboards keep what they last showed: a lost state's zeros are never pushed. */
  readonly whole?: () => boolean;
}

export interface LiveHub {
  /** Adds a server-sent-events client; it gets the current state at once, then every change. */
  attach(response: ServerResponse): void;
  /** Something changed here (a scan batch applied): look now rather than at the next poll. */
  nudge(): void;
  readonly clients: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    liveHub: LiveHub;
  }
}

const SUMMARY_EVERY_MS = 5000;
const NUDGE_DELAY_MS = 20;
/** At most ten looks a second however busy the gates: a browser cannot show more anyway. */
const MIN_SPACING_MS = 100;

/**
 * One poll of Redis per instance (not per browser), pushed to every connected dashboard. Polling
 * Redis rather than listening to this instance's consumer keeps the figures right when several
 * instances share the partitions; a local scan batch only makes the next look come sooner.
 */
async function liveHub(app: FastifyInstance, options: LiveHubOptions): Promise<void> {
  const clients = new Set<ServerResponse>();
  let lastLive = '';
  let lastSummaryAt = 0;
  let lastSummary = '';
  let timer: NodeJS.Timeout | null = null;
  let dueAt = 0;
  let lastPollAt = 0;
  let running = false;
  let closed = false;

  const send = (event: string, data: string, to: Iterable<ServerResponse> = clients) => {
    for (const client of to) client.write(`event: ${event}\ndata: ${data}\n\n`);
  };

  async function snapshot(): Promise<{ live: string; summary: string | null }> {
    const { store } = app.analytics;
    const now = Date.now();
    const [zones, throughput] = await Promise.all([store.live(), store.throughput(now, options.throughputMinutes ?? 30)]);
    const live = JSON.stringify({ zones, throughput });
    if (now - lastSummaryAt < SUMMARY_EVERY_MS && lastSummary !== '') return { live, summary: null };
    lastSummaryAt = now;
    const summary = await store.summary(app.analytics.calendar.dayOf(now));
    return { live, summary: JSON.stringify({ ...summary, serverTime: new Date(now).toISOString() }) };
  }

  async function poll(): Promise<void> {
    if (running || clients.size === 0 || options.whole?.() === false) return;
    running = true;
    lastPollAt = Date.now();
    try {
      const { live, summary } = await snapshot();
      if (live !== lastLive) send('live', live);
      lastLive = live;
      if (summary !== null && summary !== lastSummary) send('summary', summary);
      if (summary !== null) lastSummary = summary;
    } catch (error) {
      app.log.warn({ err: error }, 'dashboard update failed (Redis unavailable?)');
    } finally {
      running = false;
    }
  }

  const schedule = (delay: number) => {
    if (closed || timer) return;
    dueAt = Date.now() + delay;
    timer = setTimeout(() => {
      timer = null;
      void poll().finally(() => schedule(options.pollMs));
    }, delay);
  };

  const hub: LiveHub = {
    attach(response) {
      clients.add(response);
      response.on('close', () => clients.delete(response));
      if (lastLive !== '') send('live', lastLive, [response]);
      if (lastSummary !== '') send('summary', lastSummary, [response]);
      lastSummaryAt = 0;
      hub.nudge();
    },
    nudge() {
      if (clients.size === 0 || closed) return;
      const delay = Math.max(NUDGE_DELAY_MS, lastPollAt + MIN_SPACING_MS - Date.now());
      if (timer && dueAt <= Date.now() + delay) return;
      if (timer) clearTimeout(timer);
      timer = null;
      schedule(delay);
    },
    get clients() {
      return clients.size;
    },
  };
  app.decorate('liveHub', hub);
  const keepAlive = setInterval(() => {
    for (const client of clients) client.write(': keep-alive\n\n');
  }, 15_000);
  keepAlive.unref();
  app.addHook('onClose', async () => {
    closed = true;
    clearInterval(keepAlive);
    if (timer) clearTimeout(timer);
    for (const client of clients) client.end();
    clients.clear();
  });
}

export const liveHubPlugin = fp(liveHub, { name: 'live-hub', dependencies: ['analytics-store'] });
