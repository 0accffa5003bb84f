import { z } from 'zod';
import { baseConfigShape, loadConfig as load, portVar } from '@expo/service-kit';

export const ConfigSchema = z.object({
  ...baseConfigShape,
  SERVICE_NAME: z.string().min(1).default('analytics'),
  PORT: portVar(3004),
  /** The expo edition (envelope `eventId`, Redis hash tag). */
  EXPO_ID: z.string().min(1).max(64).default('ciie-2024'),
  /** Days (`?date=`) are local days of the venue. */
  EXPO_TIME_ZONE: z.string().min(1).default('Asia/Shanghai'),
  /** A scan recorded later than this after its event time is counted as `late` only, outside its bucket. */
  LATE_GRACE_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(24 * 3600 * 1000),
  /** A 1-minute bucket is closed (published) this long after its end. */
  BUCKET_CLOSE_DELAY_MS: z.coerce.number().int().nonnegative().default(5000),
  /** How often closed buckets are looked for. */
  FOOTFALL_PUBLISH_INTERVAL_MS: z.coerce.number().int().positive().default(2000),
  /** How often the dashboard stream looks for changes. */
  LIVE_POLL_MS: z.coerce.number().int().positive().default(200),
  /** Keys of one partition applied at once; their events share one Lua call. */
  CONSUMER_CONCURRENCY: z.coerce.number().int().positive().max(2048).default(512),
  /** Scan partitions applied at once: one partition's records are decoded while another's script runs. */
  CONSUMER_PARTITIONS: z.coerce.number().int().positive().max(64).default(4),
  /**
   * Prefix of the consumer groups (`<group>.scans`, `<group>.reference`). Unset, it is
   * `<SERVICE_NAME>.<EXPO_ID>`: expos sharing the topics never share a group (see `loadConfig`).
   */
  CONSUMER_GROUP: z.string().min(1).optional(),
  /**
   * How long envelope-id marks are kept: the second guard, against one record written to the log
   * twice (a producer's resend). Replays are skipped by log position, whatever this is.
   */
  DEDUPE_TTL_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(8 * 24 * 3600),
});

/** The parsed variables, the consumer group resolved. */
export type Config = Omit<z.infer<typeof ConfigSchema>, 'CONSUMER_GROUP'> & { CONSUMER_GROUP: string };

/**
 * Parses the environment. The default consumer group names the expo, as badge-scanning's and
 * matchmaking's do: two expos' analytics on one Kafka would otherwise split the partitions between
 * them, and one's refold would wait for (and delete) the other's groups.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const config = load(ConfigSchema, env);
  return { ...config, CONSUMER_GROUP: config.CONSUMER_GROUP ?? `${config.SERVICE_NAME}.${config.EXPO_ID}` };
}
