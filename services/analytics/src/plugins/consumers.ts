import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { BusConsumer, createKafka, type ConsumerOptions } from '@expo/bus';

export interface ConsumersPluginOptions {
  readonly brokers: string;
  readonly clientId: string;
  readonly consumers: ReadonlyArray<Omit<ConsumerOptions, 'producer' | 'metrics' | 'logger'>>;
}

declare module 'fastify' {
  interface FastifyInstance {
    analyticsConsumers: readonly BusConsumer[];
  }
}

/**
 * The service's consumers, started beside start-up rather than inside it: joining a group waits
 * for a crashed member's session to expire (tens of seconds), longer than a start-up hook may
 * take. Until every group has caught up once, /readyz says not ready. Registered after the Kafka
 * plugin, so the consumers stop before the producer they write dead letters with.
 */
async function consumersPlugin(app: FastifyInstance, options: ConsumersPluginOptions): Promise<void> {
  const kafka = createKafka({ brokers: options.brokers, clientId: options.clientId });
  const consumers = options.consumers.map((c) => new BusConsumer(kafka, { ...c, producer: app.producer, metrics: app.metrics, logger: app.log }));
  app.decorate('analyticsConsumers', consumers);
  consumers.forEach((consumer, i) => {
    app.readiness.add(`kafka-consumer:${options.consumers[i]?.groupId ?? i}`, () => Promise.resolve(consumer.caughtUp));
  });
  // Not awaited: a consumer keeps trying to start until the broker answers (BusConsumer.start).
  app.addHook('onReady', async () => {
    for (const consumer of consumers) void consumer.start();
  });
  app.addHook('onClose', async () => {
    await Promise.all(consumers.map((c) => c.stop().catch((error: unknown) => app.log.warn({ err: error }, 'consumer stop failed'))));
  });
}

export const analyticsConsumersPlugin = fp(consumersPlugin, { name: 'analytics-consumers', dependencies: ['kafka'] });
