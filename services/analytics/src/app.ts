import { pickTopics } from '@expo/schemas';
import {
  createService,
  kafkaConnectionFrom,
  registerFencedRoutes,
  registerServiceResources,
  serviceOptionsFrom,
  withTopicPrefix,
  type ServiceApp,
} from '@expo/service-kit';
import type { Config } from './config.ts';
import { attendeesConsumer } from './consumers/attendees.ts';
import { badgesConsumer } from './consumers/badges.ts';
import type { AnalyticsTopics, ConsumerDeps } from './consumers/deps.ts';
import { exhibitorsConsumer } from './consumers/exhibitors.ts';
import { meetingsConsumer } from './consumers/meetings.ts';
import { scansConsumer } from './consumers/scans.ts';
import { zonesConsumer } from './consumers/zones.ts';
import { ExpoCalendar } from './domain/time.ts';
import { analyticsMetrics } from './metrics.ts';
import { analyticsStorePlugin } from './plugins/analytics-store.ts';
import { footfallPublisherPlugin } from './plugins/footfall-publisher.ts';
import { liveHubPlugin } from './plugins/live-hub.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
import { dlqRoutes } from './routes/v1/dlq.ts';
import { dwellRoutes } from './routes/v1/dwell.ts';
import { exportRoutes } from './routes/v1/export.ts';
import { footfallRoutes } from './routes/v1/footfall.ts';
import { liveRoutes } from './routes/v1/live.ts';
import { summaryRoutes } from './routes/v1/summary.ts';
import { analyticsKeys } from './store/keys.ts';
import { refoldFromLog } from './usecases/refold.ts';

export interface AppDeps {
  /** Topic contracts (tests pass prefixed copies); the platform's topics by default. */
  readonly topics?: AnalyticsTopics;
  /** The clock deciding which buckets are closed (tests); Date.now by default. */
  readonly now?: () => number;
}

export const DEFAULT_TOPICS: AnalyticsTopics = pickTopics(['scans', 'zones', 'attendees', 'badges', 'exhibitors', 'meetings', 'footfall']);

/** The analytics service, built but not listening (docs/conventions.md: build apart from start). */
export async function buildApp(config: Config, deps: AppDeps = {}): Promise<ServiceApp> {
  const topics = deps.topics ?? withTopicPrefix(DEFAULT_TOPICS, config.TOPIC_PREFIX);
  const keys = analyticsKeys(config.EXPO_ID);
  const calendar = new ExpoCalendar(config.EXPO_TIME_ZONE);
  const app = await createService(serviceOptionsFrom(config, { description: 'Event-time footfall, dwell, visitor mix and funnels; the ops dashboard' }));
  const scansGroup = `${config.CONSUMER_GROUP}.scans`;
  const referenceGroup = `${config.CONSUMER_GROUP}.reference`;
  const groups = {
    [scansGroup]: [topics.scans.name],
    [referenceGroup]: [topics.zones, topics.attendees, topics.badges, topics.exhibitors, topics.meetings].map((t) => t.name),
  };
  // Resources first: what is registered after reads them, as decorators or as built objects.
  // Every figure is the fold of the topics: lost or stale, it is folded again from their start,
  // and served (routes, dashboard stream, footfall records) only once whole.
  await registerServiceResources(app, config, {
    name: 'analytics',
    keySegment: 'analytics',
    luaDir: new URL('./lua', import.meta.url),
    consumers: () => {
      const consumerDeps: ConsumerDeps = {
        scripts: app.redisScripts,
        keys,
        calendar,
        policy: { graceMs: config.LATE_GRACE_MS, closeDelayMs: config.BUCKET_CLOSE_DELAY_MS },
        dedupeTtlSeconds: config.DEDUPE_TTL_SECONDS,
        // Read when a batch is applied, once the app is ready and the hub registered below.
        onScansApplied: () => app.liveHub.nudge(),
        metrics: analyticsMetrics(app.metrics),
      };
      const common = { retryDelayMs: 100, stateful: true };
      return [
        {
          ...common,
          groupId: scansGroup,
          concurrency: config.CONSUMER_CONCURRENCY,
          partitionsConcurrently: config.CONSUMER_PARTITIONS,
          handlers: [scansConsumer(topics.scans, consumerDeps)],
        },
        {
          ...common,
          groupId: referenceGroup,
          handlers: [
            zonesConsumer(topics.zones, consumerDeps),
            attendeesConsumer(topics.attendees, consumerDeps),
            badgesConsumer(topics.badges, consumerDeps),
            exhibitorsConsumer(topics.exhibitors, consumerDeps),
            meetingsConsumer(topics.meetings, consumerDeps),
          ],
        },
      ];
    },
    rebuildClientId: 'refold',
    rebuild: (run, kafka) => refoldFromLog({ redis: run.redis, kafka, expoId: config.EXPO_ID, groups, stages: [[referenceGroup], [scansGroup]] }, run),
  });
  await app.register(analyticsStorePlugin, { keys, calendar });
  const whole = () => app.stateLifecycle.whole;
  await app.register(liveHubPlugin, { pollMs: config.LIVE_POLL_MS, whole });
  await app.register(footfallPublisherPlugin, {
    topic: topics.footfall,
    expoId: config.EXPO_ID,
    closeDelayMs: config.BUCKET_CLOSE_DELAY_MS,
    intervalMs: config.FOOTFALL_PUBLISH_INTERVAL_MS,
    whole,
    ...(deps.now ? { now: deps.now } : {}),
  });

  await app.register(dashboardRoutes);
  // Dead-letter counts come from Kafka, not from the folded state: served while it is rebuilt too.
  await app.register(dlqRoutes, { connection: kafkaConnectionFrom(config), clientId: `${config.SERVICE_NAME}-dlq`, topicPrefix: config.TOPIC_PREFIX });
  await registerFencedRoutes(app, [summaryRoutes, footfallRoutes, dwellRoutes, exportRoutes, liveRoutes]);
  return app;
}
