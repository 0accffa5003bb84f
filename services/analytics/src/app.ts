import { fileURLToPath } from 'node:url';
import { TOPICS } from '@expo/schemas';
import { createService, isRedisUnavailableError, kafkaPlugin, redisPlugin, serviceOptionsFrom, withTopicPrefix, type ServiceApp } from '@expo/service-kit';
import type { Config } from './config.ts';
import { attendeesConsumer } from './consumers/attendees.ts';
import { badgesConsumer } from './consumers/badges.ts';
import type { AnalyticsTopics, ConsumerDeps } from './consumers/deps.ts';
import { exhibitorsConsumer } from './consumers/exhibitors.ts';
import { meetingsConsumer } from './consumers/meetings.ts';
import { scansConsumer } from './consumers/scans.ts';
import { zonesConsumer } from './consumers/zones.ts';
import { ExpoCalendar } from './domain/time.ts';
import { analyticsStorePlugin } from './plugins/analytics-store.ts';
import { footfallPublisherPlugin } from './plugins/footfall-publisher.ts';
import { liveHubPlugin } from './plugins/live-hub.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
import { dwellRoutes } from './routes/v1/dwell.ts';
import { exportRoutes } from './routes/v1/export.ts';
import { footfallRoutes } from './routes/v1/footfall.ts';
import { liveRoutes } from './routes/v1/live.ts';
import { summaryRoutes } from './routes/v1/summary.ts';
import { analyticsKeys } from './store/keys.ts';

export interface AppDeps {
  /** Topic contracts (tests pass prefixed copies); the platform's topics by default. */
  readonly topics?: AnalyticsTopics;
  /** The clock deciding which buckets are closed (tests); Date.now by default. */
  readonly now?: () => number;
}

export const DEFAULT_TOPICS: AnalyticsTopics = {
  scans: TOPICS.scans,
  zones: TOPICS.zones,
  attendees: TOPICS.attendees,
  badges: TOPICS.badges,
  exhibitors: TOPICS.exhibitors,
  meetings: TOPICS.meetings,
  footfall: TOPICS.footfall,
};

/** The analytics service, built but not listening (CONVENTIONS.md: build apart from start). */
export async function buildApp(config: Config, deps: AppDeps = {}): Promise<ServiceApp> {
  const topics = deps.topics ?? withTopicPrefix(DEFAULT_TOPICS, config.TOPIC_PREFIX);
  const keys = analyticsKeys(config.EXPO_ID);
  const calendar = new ExpoCalendar(config.EXPO_TIME_ZONE);
  const app = await createService({
    ...serviceOptionsFrom(config),
    description: 'Event-time footfall, dwell, visitor mix and funnels; the ops dashboard',
  });
  await app.register(redisPlugin, { url: config.REDIS_URL, scripts: fileURLToPath(new URL('./lua', import.meta.url)) });
  await app.register(analyticsStorePlugin, { keys, calendar });
  await app.register(liveHubPlugin, { pollMs: config.LIVE_POLL_MS });

  const consumerDeps: ConsumerDeps = {
    scripts: app.redisScripts,
    keys,
    calendar,
    policy: { graceMs: config.LATE_GRACE_MS, closeDelayMs: config.BUCKET_CLOSE_DELAY_MS },
    dedupeTtlSeconds: config.DEDUPE_TTL_SECONDS,
    onScansApplied: () => app.liveHub.nudge(),
  };
  const common = { isTransient: isRedisUnavailableError, retryDelayMs: 100 };
  await app.register(kafkaPlugin, {
    brokers: config.KAFKA_BROKERS,
    source: config.SERVICE_NAME,
    consumers: [
      { ...common, groupId: `${config.CONSUMER_GROUP}.scans`, concurrency: config.CONSUMER_CONCURRENCY, partitionsConcurrently: config.CONSUMER_PARTITIONS, handlers: [scansConsumer(topics.scans, consumerDeps)] },
      {
        ...common,
        groupId: `${config.CONSUMER_GROUP}.reference`,
        handlers: [
          zonesConsumer(topics.zones, consumerDeps),
          attendeesConsumer(topics.attendees, consumerDeps),
          badgesConsumer(topics.badges, consumerDeps),
          exhibitorsConsumer(topics.exhibitors, consumerDeps),
          meetingsConsumer(topics.meetings, consumerDeps),
        ],
      },
    ],
  });
  await app.register(footfallPublisherPlugin, {
    topic: topics.footfall,
    expoId: config.EXPO_ID,
    closeDelayMs: config.BUCKET_CLOSE_DELAY_MS,
    intervalMs: config.FOOTFALL_PUBLISH_INTERVAL_MS,
    ...(deps.now ? { now: deps.now } : {}),
  });

  await app.register(summaryRoutes);
  await app.register(footfallRoutes);
  await app.register(dwellRoutes);
  await app.register(exportRoutes);
  await app.register(liveRoutes);
  await app.register(dashboardRoutes);
  return app;
}
