import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { createKafka, dlqCounts, type KafkaOptions } from '@expo/bus';
import { dlqTopicName, NonNegativeInt, TOPICS } from '@expo/schemas';
import { dependencyUnavailable, withTopicPrefix } from '@expo/service-kit';

const DlqTopicCounts = z.object({
  /** The dead-letter topic, as `pnpm dlq show|replay` takes it. */
  topic: z.string(),
  /** The topic its records were consumed from. */
  source: z.string(),
  records: NonNegativeInt,
  replayed: NonNegativeInt,
  waiting: NonNegativeInt,
});

export const DlqResponse = z.object({
  /** When the broker was asked (answers are cached a few seconds). */
  checkedAt: z.string(),
  topics: z.array(DlqTopicCounts),
});

export type DlqReport = z.infer<typeof DlqResponse>;

export interface DlqRoutesOptions {
  /** Where and how to reach Kafka: brokers, and SASL/TLS on a secured one (kafkaConnectionFrom). */
  readonly connection: Pick<KafkaOptions, 'brokers' | 'sasl' | 'ssl'>;
  readonly clientId: string;
  /** The deployment's `TOPIC_PREFIX`, applied to every platform topic as the services do. */
  readonly topicPrefix: string;
  /** How long one look at the broker answers every dashboard's poll. */
  readonly cacheMs?: number;
  /** A look the broker has not answered by then answers 503 (it goes on, for the next poll). */
  readonly timeoutMs?: number;
}

type Admin = ReturnType<ReturnType<typeof createKafka>['admin']>;

/**
 * The dead-letter twin of every platform topic, whichever service consumes it: one look per
 * `cacheMs` for all callers, however many dashboards poll. A twin that does not exist (not
 * provisioned, or a test's platform with only some topics) holds nothing.
 */
function platformDeadLetters(options: DlqRoutesOptions) {
  const cacheMs = options.cacheMs ?? 5000;
  const platform = Object.values(withTopicPrefix(TOPICS, options.topicPrefix)).map((t) => ({ source: t.name, topic: dlqTopicName(t.name) }));
  const kafka = createKafka({ ...options.connection, clientId: options.clientId }, { retry: { retries: 1 } });
  let admin: Admin | null = null;
  let last: { at: number; report: DlqReport } | null = null;
  let inFlight: Promise<DlqReport> | null = null;

  async function look(): Promise<DlqReport> {
    try {
      if (!admin) {
        const connecting = kafka.admin({ retry: { retries: 1 } });
        await connecting.connect();
        admin = connecting;
      }
      const connected = admin;
      const existing = new Set(await connected.listTopics());
      const topics = await Promise.all(
        platform.map(async ({ source, topic }) =>
          existing.has(topic) ? { ...(await dlqCounts(connected, topic)), source } : { topic, source, records: 0, replayed: 0, waiting: 0 },
        ),
      );
      const report = { checkedAt: new Date().toISOString(), topics };
      last = { at: Date.now(), report };
      return report;
    } catch (error) {
      // A fresh connection next time: this one may be half broken.
      const broken = admin;
      admin = null;
      await broken?.disconnect().catch(() => undefined);
      throw error;
    }
  }

  return {
    read(): Promise<DlqReport> {
      if (last && Date.now() - last.at < cacheMs) return Promise.resolve(last.report);
      inFlight ??= look().finally(() => {
        inFlight = null;
      });
      return inFlight;
    },
    async close(): Promise<void> {
      await inFlight?.catch(() => undefined);
      await admin?.disconnect();
      admin = null;
    },
  };
}

/**
 * `GET /v1/dlq`: per dead-letter topic of the platform, the records it holds and how many wait for
 * a replay (`pnpm dlq`), for the dashboard's dead-letter panel. Read from Kafka, not from the
 * expo's folded state, so it answers while that state is being rebuilt.
 */
export const dlqRoutes: FastifyPluginAsyncZod<DlqRoutesOptions> = async (app, options) => {
  const deadLetters = platformDeadLetters(options);
  const timeoutMs = options.timeoutMs ?? 5000;
  app.addHook('onClose', () => deadLetters.close());

  app.get('/v1/dlq', { config: { roles: ['admin', 'ops'] }, schema: { tags: ['dlq'], response: { 200: DlqResponse } } }, async () => {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from Kafka within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([deadLetters.read(), timedOut]);
    } catch (error) {
      throw dependencyUnavailable('Kafka', 5, error);
    } finally {
      clearTimeout(timer);
    }
  });
};
