import { randomUUID } from 'node:crypto';
import { pickTopics } from '@expo/schemas';
import {
  createService,
  registerFencedRoutes,
  registerPeriodicTask,
  registerServiceResources,
  serviceOptionsFrom,
  withTopicPrefix,
  type RebuildKafka,
  type RebuildRun,
  type ServiceApp,
} from '@expo/service-kit';
import type { Config } from './config.ts';
import { cancellationHandler } from './consumers/registration-cancellations.ts';
import { profileHandlers } from './consumers/profiles.ts';
import { BadgeCredentials } from './domain/badge-credentials.ts';
import { Recommender } from './domain/recommend/recommender.ts';
import { DEFAULT_WEIGHTS } from './domain/recommend/scoring.ts';
import { changesFeedPlugin } from './plugins/changes-feed.ts';
import { matchmakingMetrics } from './metrics.ts';
import { meetingRoutes } from './routes/v1/meetings.ts';
import { participantRoutes } from './routes/v1/participants.ts';
import { preferenceRoutes } from './routes/v1/preferences.ts';
import { recommendationRoutes } from './routes/v1/recommendations.ts';
import { requirementRoutes } from './routes/v1/requirements.ts';
import { sessionRoutes } from './routes/v1/sessions.ts';
import { matchmakingKeys } from './store/keys.ts';
import { MeetingOutbox } from './store/meeting-outbox.ts';
import { MeetingStore } from './store/meeting-store.ts';
import type { MatchmakingDeps, MatchmakingTopics } from './usecases/deps.ts';
import { OUTBOX_PAGE, publishUnconfirmedMeetings } from './usecases/meeting-outbox.ts';
import { expireDue } from './usecases/meetings.ts';
import { rebuildMeetings } from './usecases/rebuild.ts';
import { rebuildWishes } from './usecases/rebuild-wishes.ts';
import { loadAllWishes } from './usecases/wishes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    matchmaking: MatchmakingDeps;
    matchmakingTimeZone: string;
  }
}

export interface AppDeps {
  /** Topic contracts (tests pass prefixed copies); the platform's topics by default. */
  readonly topics?: MatchmakingTopics;
  readonly now?: () => Date;
}

export const DEFAULT_TOPICS: MatchmakingTopics = pickTopics([
  'attendees',
  'exhibitors',
  'delegations',
  'badgeKeys',
  'leads',
  'zones',
  'scans',
  'meetings',
  'requirements',
  'preferences',
  'sessions',
]);

/** Requirements, preferences and sessions, then meetings. */
async function rebuildAll(deps: MatchmakingDeps, kafka: RebuildKafka, run: RebuildRun) {
  const wishes = await rebuildWishes(deps, kafka, run);
  const meetings = await rebuildMeetings(deps, kafka, run);
  return { ...wishes, ...meetings };
}

/** The matchmaking service, built but not listening (docs/conventions.md: build apart from start). */
export async function buildApp(config: Config, deps: AppDeps = {}): Promise<ServiceApp> {
  const topics = deps.topics ?? withTopicPrefix(DEFAULT_TOPICS, config.TOPIC_PREFIX);
  const recommender = new Recommender({
    ...DEFAULT_WEIGHTS,
    leastDevelopedCountry: config.WEIGHT_LEAST_DEVELOPED_COUNTRY,
    africanProductsZone: config.WEIGHT_AFRICAN_PRODUCTS_ZONE,
    productDebut: config.WEIGHT_PRODUCT_DEBUT,
    hallVisited: config.WEIGHT_HALL_VISITED,
  });
  const credentials = new BadgeCredentials({ expoId: config.EXPO_ID, timeZone: config.EXPO_TIME_ZONE });
  const keys = matchmakingKeys(config.EXPO_ID);
  const app = await createService(
    serviceOptionsFrom(config, {
      description: 'Buyer–exhibitor recommendations, meeting requests and the matchmaking session scheduler',
      // An exhibitor key is known by its hash from the exhibitors topic; a buyer shows its badge token.
      resolveKey: async (keyHash, request) => {
        const exhibitorId = recommender.exhibitorIdByKeyHash(keyHash);
        if (exhibitorId) return { role: 'exhibitor', id: exhibitorId };
        const attendeeId = credentials.attendeeOf(request.headers.authorization);
        return attendeeId ? { role: 'attendee', id: attendeeId } : null;
      },
    }),
  );
  // Resources first: what is registered after reads them, as decorators or as built objects. The
  // rebuild and the consumers run once the app is ready, when `app.matchmaking` is decorated.
  await registerServiceResources(app, config, {
    name: 'matchmaking',
    keySegment: 'mm',
    luaDir: new URL('./lua', import.meta.url),
    consumers: () => [
      // Every instance keeps the whole profile index: a consumer group of its own, from the beginning.
      { groupId: `${config.SERVICE_NAME}.profiles.${randomUUID()}`, handlers: profileHandlers({ recommender, credentials, topics }), fromBeginning: true },
      {
        groupId: `${config.SERVICE_NAME}.${config.EXPO_ID}.cancellations`,
        handlers: [cancellationHandler(topics.attendees, app)],
        fromBeginning: true,
        stateful: true,
      },
    ],
    // Bookings and quotas would be wrong on a lost or half-built state: the routes are fenced until
    // it is whole; the recommender takes the wishes again from whatever state it then serves.
    // The rebuild writes through its own connection (RebuildRun.redis), with the stores over it.
    rebuild: (run, kafka) =>
      rebuildAll(
        {
          ...app.matchmaking,
          redis: run.redis,
          meetings: new MeetingStore(run.redis, run.scripts, keys),
          outbox: new MeetingOutbox(run.redis, run.scripts, keys),
        },
        kafka,
        run,
      ),
    beforeServing: () => loadAllWishes(app.matchmaking),
  });
  const matchmaking: MatchmakingDeps = {
    expoId: config.EXPO_ID,
    topics,
    recommender,
    redis: app.redis,
    keys,
    meetings: new MeetingStore(app.redis, app.redisScripts, keys),
    outbox: new MeetingOutbox(app.redis, app.redisScripts, keys),
    producer: app.producer,
    limits: { maxSent: config.MAX_REQUESTS_SENT, maxActive: config.MAX_ACTIVE_MEETINGS, requestTtlSeconds: config.REQUEST_TTL_SECONDS },
    schedulerBudgetMs: config.SCHEDULER_BUDGET_MS,
    now: deps.now ?? (() => new Date()),
    metrics: matchmakingMetrics(app.metrics),
    log: app.log,
  };
  app.decorate('matchmaking', matchmaking);
  app.decorate('matchmakingTimeZone', config.EXPO_TIME_ZONE);
  await app.register(changesFeedPlugin, { deps: matchmaking });
  // Not on a lost or half-built state: a request it lacks would never expire, one it lost twice;
  // and the rebuild settles the outbox against the log first.
  const whole = () => app.stateLifecycle.whole;
  registerPeriodicTask(app, { name: 'expiry sweep', everyMs: config.EXPIRY_SWEEP_MS, when: whole, run: () => expireDue(matchmaking) });
  registerPeriodicTask(app, {
    name: 'meeting outbox',
    everyMs: config.OUTBOX_INTERVAL_MS,
    when: whole,
    run: async () => {
      while (whole() && (await publishUnconfirmedMeetings(matchmaking, config.OUTBOX_GRACE_MS)) === OUTBOX_PAGE);
    },
  });

  await registerFencedRoutes(app, [recommendationRoutes, requirementRoutes, preferenceRoutes, meetingRoutes, sessionRoutes, participantRoutes]);
  return app;
}
