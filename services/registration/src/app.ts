import rateLimit from '@fastify/rate-limit';
import { createBadgeVerifier, type BadgeKeyRing, type BadgeVerifier } from '@expo/badges';
import { attendeeFromBadgeToken } from './domain/attendee-credential.ts';
import { kafkaAccessRefusal } from '@expo/bus';
import { pickTopics } from '@expo/schemas';
import {
  createService,
  dependencyUnavailable,
  registerFencedRoutes,
  registerPeriodicTask,
  registerServiceResources,
  rateLimited,
  serviceOptionsFrom,
  withTopicPrefix,
  type ServiceApp,
} from '@expo/service-kit';
import type { Config } from './config.ts';
import { loadKeyRingFile } from './domain/key-ring-file.ts';
import { registrationMetrics } from './metrics.ts';
import { Idempotency } from './store/idempotency.ts';
import { registrationKeys } from './store/keys.ts';
import { RegistrationStore } from './store/registration-store.ts';
import type { RegistrationDeps, RegistrationTopics } from './usecases/deps.ts';
import { publishAllUnconfirmed } from './usecases/outbox.ts';
import { UnconfirmedRegistrationError } from './usecases/publish-registrations.ts';
import { rebuildState } from './usecases/rebuild.ts';
import { attendeeRoutes } from './routes/v1/attendees.ts';
import { importRoutes } from './routes/v1/attendees-import.ts';
import { badgeKeyRoutes } from './routes/v1/badge-keys.ts';
import { badgeRoutes } from './routes/v1/badges.ts';
import { organisationRoutes } from './routes/v1/organisations.ts';
import { taxonomyRoutes } from './routes/v1/taxonomy.ts';

declare module 'fastify' {
  interface FastifyInstance {
    registration: RegistrationDeps;
    idempotency: Idempotency;
    keyRing: BadgeKeyRing;
    /** Verifies attendees' badge tokens against the key ring's public keys (bearer auth). */
    badgeVerifier: BadgeVerifier;
    registrationRateLimit: { max: number; timeWindow: number };
  }
}

export interface AppDeps {
  /** Topic contracts (tests pass prefixed copies); the platform's topics by default. */
  readonly topics?: RegistrationTopics;
  /** Signing keys; by default read from (or created in) BADGE_SIGNING_KEYS_FILE. */
  readonly keyRing?: BadgeKeyRing;
  readonly now?: () => Date;
}

const DEFAULT_TOPICS: RegistrationTopics = pickTopics(['attendees', 'exhibitors', 'delegations', 'badges', 'badgeKeys']);

/** The registration service, built but not listening (docs/conventions.md: build apart from start). */
export async function buildApp(config: Config, deps: AppDeps = {}): Promise<ServiceApp> {
  const topics = deps.topics ?? withTopicPrefix(DEFAULT_TOPICS, config.TOPIC_PREFIX);
  const keys = registrationKeys(config.EXPO_ID);
  const expo = { expoId: config.EXPO_ID, firstDay: config.EXPO_FIRST_DAY, lastDay: config.EXPO_LAST_DAY, timeZone: config.EXPO_TIME_ZONE };
  const app = await createService(
    serviceOptionsFrom(config, {
      description: 'Attendees, exhibitors, procurement delegations and Ed25519-signed badges',
      // An attendee's own badge token opens their printable badge: a valid signature is proof enough.
      resolveKey: (_keyHash, request) => Promise.resolve(attendeeFromBadgeToken(request.headers.authorization, request.server.badgeVerifier)),
    }),
  );
  const keyRing = deps.keyRing ?? loadKeyRingFile(config.BADGE_SIGNING_KEYS_FILE, (m) => app.log.warn(m));
  // Resources first: what is registered after reads them, as decorators or as built objects.
  await registerServiceResources(app, config, {
    name: 'registration',
    keySegment: 'reg',
    luaDir: new URL('./lua', import.meta.url),
    rebuild: (run, kafka) => rebuildState({ store: new RegistrationStore(run.redis, run.scripts, keys), kafka, topics, expo }, run),
  });
  await app.register(rateLimit, {
    global: false,
    redis: app.redis,
    nameSpace: `{${config.EXPO_ID}}:reg:rate:`,
    skipOnError: false,
    errorResponseBuilder: (_request, context) =>
      rateLimited(Math.max(1, Math.ceil(context.ttl / 1000)), 'Too many registrations from this address; retry later'),
  });

  const store = new RegistrationStore(app.redis, app.redisScripts, keys);
  const metrics = registrationMetrics(app.metrics);
  app.decorate('registration', { store, producer: app.producer, topics, signingKey: () => keyRing.current, expo, metrics, now: deps.now });
  const idempotencyTtls = { ttlSeconds: config.IDEMPOTENCY_TTL_SECONDS, pendingTtlSeconds: config.IDEMPOTENCY_PENDING_TTL_SECONDS };
  app.decorate('idempotency', new Idempotency(store, idempotencyTtls));
  app.decorate('keyRing', keyRing);
  app.decorate('badgeVerifier', createBadgeVerifier({ keys: keyRing.publicKeys(), expoId: config.EXPO_ID, timeZone: config.EXPO_TIME_ZONE }));
  app.decorate('registrationRateLimit', { max: config.REGISTRATION_RATE_LIMIT, timeWindow: 60_000 });

  // A registration kept unconfirmed answers 503 like its cause (Kafka's timeout, Redis's refusal).
  app.errorMappers.add((error) =>
    error instanceof UnconfirmedRegistrationError ? (app.errorMappers.map(error.cause) ?? dependencyUnavailable('Kafka', 2, error)) : undefined,
  );
  // Registrations Kafka has not acknowledged are written again until it has, while the state is whole.
  registerPeriodicTask(app, {
    name: 'registration outbox',
    everyMs: config.OUTBOX_INTERVAL_MS,
    when: () => app.stateLifecycle.whole,
    run: () => publishAllUnconfirmed(app.registration, config.OUTBOX_GRACE_MS),
  });
  app.addHook('onReady', async () => {
    // A broker just started may still be electing leaders: retry rather than fail start-up.
    for (let attempt = 1; ; attempt++) {
      try {
        await publishPublicKeys(app, topics, config.EXPO_ID);
        break;
      } catch (error) {
        // Refused credentials or ACLs: stay up, not ready (/readyz names the reason), rather than crash-loop.
        if (kafkaAccessRefusal(error)) {
          app.log.error({ err: error }, 'publishing the badge keys was refused by Kafka; not publishing them');
          break;
        }
        if (attempt >= 3) throw error;
        app.log.warn({ err: error, attempt }, 'publishing the badge keys failed; retrying');
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  });

  await app.register(taxonomyRoutes);
  await app.register(badgeKeyRoutes);
  // Uniqueness and lookups would be wrong on a lost or half-built state: the routes that read or
  // write attendees, badges and organisations are fenced until it is whole (the taxonomy is not).
  await registerFencedRoutes(app, [attendeeRoutes, importRoutes, badgeRoutes, organisationRoutes]);
  return app;
}
/** Every signing key's public half on `registration.badge-keys.v1`, so scanners verify from the log. */
async function publishPublicKeys(app: ServiceApp, topics: RegistrationTopics, eventId: string): Promise<void> {
  const jwks = app.keyRing.publicJwks().keys;
  await app.producer.send(
    topics.badgeKeys,
    jwks.map((jwk) => ({
      type: 'badge_key.published' as const,
      eventId,
      data: { kid: jwk.kid, jwk, status: 'active' as const, publishedAt: new Date().toISOString() },
    })),
  );
  app.log.info({ kids: jwks.map((k) => k.kid) }, 'badge signing keys published');
}
