import {
  createService,
  dependencyUnavailable,
  registerPeriodicTask,
  registerServiceResources,
  serviceOptionsFrom,
  withTopicPrefix,
  type Principal,
  type ServiceApp,
} from '@expo/service-kit';
import type { Config } from './config.ts';
import { registrationHandlers } from './usecases/registration-records.ts';
import { devicePrincipal } from './domain/device-principal.ts';
import { KeyCache } from './domain/key-cache.ts';
import { scanningMetrics } from './metrics.ts';
import { OccupancyFeed } from './domain/occupancy-feed.ts';
import { TokenChecker } from './domain/token-checker.ts';
import { scanningKeys } from './store/keys.ts';
import { RegistryStore } from './store/registry-store.ts';
import { ScanStore } from './store/scan-store.ts';
import { SweepStore } from './store/sweep-store.ts';
import { ZoneStore } from './store/zone-store.ts';
import { DEFAULT_TOPICS, type ScanningDeps, type ScanningTopics } from './usecases/deps.ts';
import { scanRateLimitPlugin } from './plugins/scan-rate-limit.ts';
import { currentOccupancy } from './usecases/occupancy.ts';
import { rebuildState } from './usecases/rebuild.ts';
import { closingSweepPass } from './usecases/closing-sweep.ts';
import { publishAllUnconfirmed } from './usecases/unconfirmed.ts';
import { v1Routes } from './routes/v1/index.ts';

declare module 'fastify' {
  interface FastifyInstance {
    scanning: ScanningDeps;
    occupancyFeed: OccupancyFeed;
    keyCache: KeyCache;
  }
}

export interface AppDeps {
  /** Topic contracts (tests pass prefixed copies); the platform's topics by default. */
  readonly topics?: ScanningTopics;
  /** The consumer group of registration's topics (tests pass their own). */
  readonly groupId?: string;
  readonly now?: () => number;
}

/** The badge-scanning service, built but not listening (docs/conventions.md: build apart from start). */
export async function buildApp(config: Config, deps: AppDeps = {}): Promise<ServiceApp> {
  const topics = deps.topics ?? withTopicPrefix(DEFAULT_TOPICS, config.TOPIC_PREFIX);
  const keys = scanningKeys(config.EXPO_ID);
  const app = await createService(
    serviceOptionsFrom(config, {
      description: 'Gates, scanner devices, atomic live occupancy, offline scanners and booth leads',
      // Device and exhibitor keys: the key cache is decorated below, and auth asks it only on requests.
      resolveKey: (keyHash, request) => request.server.keyCache.resolve(keyHash),
    }),
  );

  // Resources first: Redis, Kafka (registration's topics feed the registry), the state lifecycle.
  // What is registered after reads them; the token checker is decorated below, before the state is served.
  const registrationGroup = deps.groupId ?? `${config.SERVICE_NAME}.${config.EXPO_ID}.registration`;
  const lifecycleKeys = await registerServiceResources(app, config, {
    name: 'scanning',
    keySegment: 'scan',
    luaDir: new URL('./lua', import.meta.url),
    redis: { autoPipelining: true },
    kafka: { lingerMs: config.KAFKA_LINGER_MS },
    consumers: () => [
      { groupId: registrationGroup, handlers: registrationHandlers(topics, new RegistryStore(app.redis, app.redisScripts, keys)), stateful: true },
    ],
    // Decisions on a lost or half-built state would be wrong: every route is fenced until it is whole.
    // Written through the rebuild's own connection: its large writes neither wait behind nor stall the requests' one.
    rebuild: (run, kafka) =>
      rebuildState(
        {
          redis: run.redis,
          keys,
          zones: new ZoneStore(run.redis, keys),
          registry: new RegistryStore(run.redis, run.scripts, keys),
          scans: new ScanStore(run.redis, run.scripts, keys, config.SCAN_MEMORY_SECONDS),
          kafka,
          topics,
          expoId: config.EXPO_ID,
          memorySeconds: config.SCAN_MEMORY_SECONDS,
          consumerGroup: registrationGroup,
        },
        run,
      ),
    // Called once the app is ready, when `scanning` is decorated.
    beforeServing: () => app.scanning.tokens.reload(),
  });
  const zones = new ZoneStore(app.redis, keys);
  const registry = new RegistryStore(app.redis, app.redisScripts, keys);
  const tokens = new TokenChecker({
    expoId: config.EXPO_ID,
    timeZone: config.EXPO_TIME_ZONE,
    cacheSize: config.TOKEN_CACHE_SIZE,
    loadKeys: () => registry.badgeKeys(),
  });
  const whole = () => app.stateLifecycle.whole;
  // Whole as this instance last saw it, and the marker still there: a flush since then is not.
  const markedWhole = async () => whole() && (await app.redis.exists(lifecycleKeys.marker)) === 1;

  // The zone gauges are read at each scrape, in one round trip (auto-pipelined), only from a whole state.
  const metrics = scanningMetrics(app.metrics, async () => {
    if (!whole()) return null;
    const [marker, all, occupancy] = await Promise.all([app.redis.exists(lifecycleKeys.marker), zones.all(), zones.occupancy()]);
    return marker === 1 ? { zones: all, occupancy } : null;
  });
  await app.register(scanRateLimitPlugin, {
    expoId: config.EXPO_ID,
    scansPerMinute: config.SCAN_RATE_LIMIT_PER_MINUTE,
    batchesPerMinute: config.SCAN_BATCH_RATE_LIMIT_PER_MINUTE,
  });
  const scanning: ScanningDeps = {
    expoId: config.EXPO_ID,
    timeZone: config.EXPO_TIME_ZONE,
    scans: new ScanStore(app.redis, app.redisScripts, keys, config.SCAN_MEMORY_SECONDS),
    zones,
    sweeps: new SweepStore(app.redis, app.redisScripts, keys),
    registry,
    tokens,
    producer: app.producer,
    topics,
    annulWindowMs: config.ANNUL_WINDOW_SECONDS * 1000,
    clockBoundMs: config.SCAN_CLOCK_BOUND_SECONDS * 1000,
    memoryMs: config.SCAN_MEMORY_SECONDS * 1000,
    now: deps.now ?? Date.now,
    metrics,
    log: app.log,
  };
  app.decorate('scanning', scanning);
  app.decorate(
    'keyCache',
    new KeyCache(async (keyHash: string): Promise<Principal | null> => {
      const device = await zones.deviceByKeyHash(keyHash);
      if (device) return devicePrincipal(device);
      const exhibitorId = await registry.exhibitorByKeyHash(keyHash);
      if (exhibitorId) return { role: 'exhibitor', id: exhibitorId };
      // An unknown key on a lost state is not an unknown key: 503, never 401 (nor a cached null).
      if (!(await markedWhole())) throw dependencyUnavailable('The scanning state (rebuilt from Kafka)', 5);
      return null;
    }, config.KEY_CACHE_MS),
  );
  // The feed never streams the zeros of a lost state: it skips its polls until the state is whole.
  const feed = new OccupancyFeed(
    () => (whole() ? currentOccupancy(scanning) : Promise.reject(new Error('scanning state is being rebuilt'))),
    config.OCCUPANCY_STREAM_INTERVAL_MS,
    (error) => app.log.warn({ err: error }, 'occupancy stream poll failed'),
  );
  app.decorate('occupancyFeed', feed);
  app.addHook('onClose', async () => feed.stop());

  registerPeriodicTask(app, { name: 'closing sweep', everyMs: 30_000, when: whole, run: closingSweepPass(scanning, config, app.log) });
  registerPeriodicTask(app, {
    name: 'scan outbox',
    everyMs: config.OUTBOX_INTERVAL_MS,
    when: whole,
    run: () => publishAllUnconfirmed(scanning, config.OUTBOX_GRACE_MS),
  });

  await app.register(async (stateful) => {
    stateful.addHook('onRequest', app.stateLifecycle.fence);
    await stateful.register(v1Routes, { prefix: '/v1' });
  });
  return app;
}
