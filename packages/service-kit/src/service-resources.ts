import { fileURLToPath } from 'node:url';
import { createKafka } from '@expo/bus';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { kafkaConnectionFrom, redisConnectionFrom, type BaseConfig } from './config.ts';
import { stateTimingFrom, type ServiceApp } from './create-service.ts';
import { kafkaPlugin, type KafkaPluginOptions, type PluginConsumerOptions } from './kafka.ts';
import { redisPlugin, type RedisPluginOptions } from './redis.ts';
import { stateKeys } from './redis-keys.ts';
import type { StateKeys } from './redis-scripts.ts';
import { stateLifecyclePlugin, type RebuildRun, type StateLifecycleOptions } from './state-lifecycle.ts';

/** The Kafka client a rebuild reads the log with, apart from the service's producer and consumers. */
export type RebuildKafka = ReturnType<typeof createKafka>;

export interface ServiceResourcesOptions {
  /** The state's name: readiness check `<name>-state`, messages and logs. */
  readonly name: string;
  /** The service's segment of its Redis keys: the state lifecycle's keys are `stateKeys(EXPO_ID, keySegment)`. */
  readonly keySegment: string;
  /** The service's directory of `<name>.lua` scripts: `new URL('./lua', import.meta.url)`. */
  readonly luaDir: URL;
  /** Redis options beyond what the config gives (auto-pipelining). */
  readonly redis?: Omit<RedisPluginOptions, 'url' | 'tlsCa' | 'scripts' | 'stateGuard'>;
  /** Kafka options beyond what the config gives (linger). */
  readonly kafka?: Omit<KafkaPluginOptions, 'brokers' | 'sasl' | 'ssl' | 'source' | 'expoId' | 'consumers'>;
  /** The service's consumers, built once Redis is registered: their handlers may take `app.redisScripts`. */
  consumers?(app: ServiceApp): ReadonlyArray<PluginConsumerOptions>;
  /** The rebuild's Kafka client id after the service name and a dash; default `rebuild`. */
  readonly rebuildClientId?: string;
  /** Clears the service's keys and folds them from the log, read with `kafka`. */
  rebuild(run: RebuildRun, kafka: RebuildKafka): Promise<object>;
  readonly beforeServing?: StateLifecycleOptions['beforeServing'];
}

/**
 * The resources every service's state rests on, registered first and in the order they close in
 * reverse: Redis (its scripts guarded by the state's keys), Kafka (producer and consumers), then
 * the state lifecycle. What reads them is registered after (docs/conventions.md: plugins own resources).
 */
export async function registerServiceResources(
  app: ServiceApp,
  config: BaseConfig & { readonly EXPO_ID: string },
  options: ServiceResourcesOptions,
): Promise<StateKeys> {
  const keys = stateKeys(config.EXPO_ID, options.keySegment);
  await app.register(redisPlugin, { ...options.redis, ...redisConnectionFrom(config), scripts: fileURLToPath(options.luaDir), stateGuard: keys });
  await app.register(kafkaPlugin, {
    ...options.kafka,
    ...kafkaConnectionFrom(config),
    source: config.SERVICE_NAME,
    expoId: config.EXPO_ID,
    consumers: options.consumers?.(app) ?? [],
  });
  const kafka = createKafka({ ...kafkaConnectionFrom(config), clientId: `${config.SERVICE_NAME}-${options.rebuildClientId ?? 'rebuild'}` });
  await app.register(stateLifecyclePlugin, {
    ...stateTimingFrom(config),
    name: options.name,
    keys,
    rebuild: (run) => options.rebuild(run, kafka),
    ...(options.beforeServing ? { beforeServing: options.beforeServing } : {}),
  });
  return keys;
}

/** The routes that need the state, in one scope fenced by the state lifecycle: 503 until it is whole. */
export async function registerFencedRoutes(app: ServiceApp, routes: readonly FastifyPluginAsyncZod[]): Promise<void> {
  await app.register(async (stateful) => {
    stateful.addHook('onRequest', app.stateLifecycle.fence);
    for (const plugin of routes) await stateful.register(plugin);
  });
}
