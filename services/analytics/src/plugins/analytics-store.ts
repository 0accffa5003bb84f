import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { ExpoCalendar } from '../domain/time.ts';
import { AnalyticsStore } from '../store/analytics-store.ts';
import type { AnalyticsKeys } from '../store/keys.ts';

export interface AnalyticsContext {
  readonly keys: AnalyticsKeys;
  readonly calendar: ExpoCalendar;
  readonly store: AnalyticsStore;
}

declare module 'fastify' {
  interface FastifyInstance {
    analytics: AnalyticsContext;
  }
}

async function analyticsStore(app: FastifyInstance, options: { keys: AnalyticsKeys; calendar: ExpoCalendar }): Promise<void> {
  app.decorate('analytics', { ...options, store: new AnalyticsStore(app.redis, app.redisScripts, options.keys, options.calendar) });
}

export const analyticsStorePlugin = fp(analyticsStore, { name: 'analytics-store', dependencies: ['redis'] });
