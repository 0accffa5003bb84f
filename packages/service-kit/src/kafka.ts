import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { BusConsumer, BusProducer, createKafka, isSendError, kafkaAccessRefusal, type ConsumerOptions, type KafkaOptions, type PartitionStop } from '@expo/bus';
import { dependencyUnavailable } from './app-error.ts';
import { SERVICE_FAILURE_CLASSIFIERS } from './failure-policy.ts';
import type { ReadinessVerdict } from './readiness.ts';
import { untrustedCertificate } from './tls-errors.ts';

export interface KafkaPluginOptions {
  readonly brokers: string;
  /** A secured broker's user and password (kafkaConnectionFrom(config) gives brokers, sasl and ssl). */
  readonly sasl?: KafkaOptions['sasl'];
  readonly ssl?: KafkaOptions['ssl'];
  /** The service's name: envelope `source` and Kafka client id. */
  readonly source: string;
  /**
   * The expo the service runs for: every consumer hands only this expo's events to its handlers
   * (others sharing the topics are read past), the one expo filter of the platform.
   */
  readonly expoId: string;
  readonly sendTimeoutMs?: number;
  /** The producer's linger (see ProducerOptions.lingerMs); default 0. */
  readonly lingerMs?: number;
  /** Seconds a client should wait after a 503 caused by Kafka. */
  readonly retryAfterSeconds?: number;
  /** Started when the app is ready, stopped first on close (they write dead letters with the producer). */
  readonly consumers?: ReadonlyArray<PluginConsumerOptions>;
}

export type PluginConsumerOptions = Omit<ConsumerOptions, 'producer' | 'metrics' | 'logger'> & {
  /**
   * Every consumer gets the platform's failure policy (failure-policy.ts); these classifiers go
   * in front of it, for errors only this consumer knows. None of today's consumers needs any.
   */
  readonly classifiers?: ConsumerOptions['classifiers'];
  /**
   * Folds records into the service's Redis state: started and stopped by the state lifecycle
   * (state-lifecycle.ts), which runs it only while that state is whole, instead of on ready.
   */
  readonly stateful?: boolean;
};

declare module 'fastify' {
  interface FastifyInstance {
    producer: BusProducer;
    consumers: readonly BusConsumer[];
    /** The consumers the state lifecycle starts and stops (see PluginConsumerOptions.stateful). */
    statefulConsumers: readonly BusConsumer[];
  }
}

const ACCESS_REFUSED = {
  authentication: 'Kafka refused to authenticate the service: check KAFKA_SASL_USERNAME, its password and KAFKA_SASL_MECHANISM',
  authorization: 'Kafka denied the service a request: its ACLs do not allow it',
} as const;
const untrustedBroker = (reason: string) =>
  `Kafka's TLS certificate is not trusted (${reason}): set KAFKA_SSL_CA_FILE to the certificate authority that signed it`;

function describeStop(stop: PartitionStop): string {
  return `${stop.topic}/${stop.partition} stopped at offset ${stop.offset}: ${stop.detail}`;
}

/**
 * Ready once caught up (up to any stopped partition). A partition stopped at a record of a newer
 * schema version only warns: every instance would stop at the same record, so failing readiness
 * would take the whole service out of rotation for one partition it cannot fold yet; the alert
 * is `bus_consumer_paused`, and this detail says where and why.
 */
function consumerVerdict(consumer: BusConsumer): ReadinessVerdict {
  const stops = consumer.stoppedPartitions;
  if (stops.length === 0) return { ok: consumer.caughtUp };
  return { ok: consumer.caughtUp, warn: true, detail: stops.map(describeStop).join('; ') };
}

/**
 * The service's Kafka: one producer (`app.producer`) and its consumers, on the app's metrics
 * registry; readiness checks for the broker and for each consumer having caught up once; a send
 * that fails or times out answers 503 with Retry-After. Register it after the Redis plugin so it
 * closes first (consumers, then the producer).
 */
function kafkaPluginImpl(app: FastifyInstance, options: KafkaPluginOptions, done: (error?: Error) => void): void {
  const kafka = createKafka({ brokers: options.brokers, sasl: options.sasl, ssl: options.ssl, clientId: options.source });
  const producer = new BusProducer(kafka, { source: options.source, sendTimeoutMs: options.sendTimeoutMs, lingerMs: options.lingerMs, metrics: app.metrics });
  const consumerOptions = options.consumers ?? [];
  // A stateful consumer holds its records while the state lifecycle says the state may not be folded into.
  const hold = () => app.hasDecorator('stateLifecycle') && !app.stateLifecycle.consuming;
  const consumers = consumerOptions.map(
    (c) =>
      new BusConsumer(kafka, {
        eventId: options.expoId,
        ...c,
        ...(c.stateful ? { hold } : {}),
        classifiers: [...(c.classifiers ?? []), ...SERVICE_FAILURE_CLASSIFIERS],
        producer,
        metrics: app.metrics,
        logger: app.log,
      }),
  );
  app.decorate('producer', producer);
  app.decorate('consumers', consumers);
  app.decorate(
    'statefulConsumers',
    consumers.filter((_c, i) => consumerOptions[i]?.stateful === true),
  );

  const retryAfter = options.retryAfterSeconds ?? 2;
  app.errorMappers.add((error) => (isSendError(error) ? dependencyUnavailable('Kafka', retryAfter, error) : undefined));

  // A client of its own that does not retry connecting: an unreachable broker or a refused TLS
  // handshake fails the check at once, with its reason, instead of outlasting the check's time
  // bound in kafkajs's retries (about 10 s) and answering only "timeout".
  const probe = createKafka({ brokers: options.brokers, sasl: options.sasl, ssl: options.ssl, clientId: options.source }, { retry: { retries: 0 } });
  const admin = probe.admin({ retry: { retries: 0 } });
  app.readiness.add('kafka', async () => {
    try {
      await admin.connect();
      await admin.describeCluster();
      return true;
    } catch (error) {
      // Not a crash: the service stays up and says why, until an operator fixes its configuration.
      const refusal = kafkaAccessRefusal(error);
      if (refusal !== undefined) return { ok: false, detail: ACCESS_REFUSED[refusal] };
      const untrusted = untrustedCertificate(error);
      if (untrusted !== undefined) return { ok: false, detail: untrustedBroker(untrusted) };
      throw error;
    }
  });
  consumers.forEach((consumer, i) => {
    app.readiness.add(`kafka-consumer:${consumerOptions[i]?.groupId ?? i}`, () => Promise.resolve(consumerVerdict(consumer)));
  });

  // Started beside start-up, not awaited: joining a group can wait out a crashed member's session
  // (tens of seconds), longer than a start-up hook may take, and a consumer keeps trying until the
  // broker answers. Readiness stays false until each has caught up once.
  app.addHook('onReady', async () => {
    for (const consumer of consumers) if (!app.statefulConsumers.includes(consumer)) void consumer.start();
  });
  app.addHook('onClose', async () => {
    await Promise.all(consumers.map((c) => c.stop()));
    await producer.disconnect();
    await admin.disconnect();
  });
  done();
}

export const kafkaPlugin = fp(kafkaPluginImpl, { name: 'kafka', fastify: '5.x' });
