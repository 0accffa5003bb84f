import { z } from 'zod';
import { baseConfigShape, loadConfig as load, portVar } from '@expo/service-kit';

export const ConfigSchema = z.object({
  ...baseConfigShape,
  SERVICE_NAME: z.string().min(1).default('badge-scanning'),
  PORT: portVar(3002),
  /** The expo edition this instance scans for (envelope `eventId`, Redis hash tag, badge `eid`). */
  EXPO_ID: z.string().min(1).max(64).default('ciie-2024'),
  /** Badges are valid on local days of the venue. */
  EXPO_TIME_ZONE: z.string().min(1).default('Asia/Shanghai'),
  /** How long a scan's decision is remembered for replays (promise 2, docs/promises.md); the expo plus a margin. */
  SCAN_MEMORY_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 24 * 3600),
  /**
   * How far a device's `scannedAt` may be from the service's clock for a scan decided afresh: an
   * online scan outside ± this, or an offline one ahead of it, is refused with 400 (the device's
   * clock is wrong; `GET /v1/devices/sync` gives `serverTime`). Replays are answered whatever
   * their time. Offline scans older than SCAN_MEMORY_SECONDS are refused too.
   */
  SCAN_CLOCK_BOUND_SECONDS: z.coerce.number().int().positive().default(300),
  /** A device may annul its own scan this long after it (the turnstile did not turn). */
  ANNUL_WINDOW_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(15 * 60),
  /**
   * Local time of the closing sweep, `HH:MM` in EXPO_TIME_ZONE; `off` for none. (Not empty: an
   * empty variable counts as unset, so it would mean the default.)
   */
  CLOSING_SWEEP_AT: z.union([z.literal('off'), z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/)]).default('22:00'),
  /** Verified tokens remembered, so a badge seen again skips its Ed25519 verification. */
  TOKEN_CACHE_SIZE: z.coerce.number().int().nonnegative().default(200_000),
  /**
   * How long a scan's record may wait for others before they go to Kafka in one produce request
   * (Kafka 4's producer default is 5 ms too). Each produce request costs the broker and kafkajs a
   * fixed amount of CPU: without it, at half of the maximum rate, requests of ~5 records kept
   * the 2-core benchmark machine as busy as the full load.
   */
  KAFKA_LINGER_MS: z.coerce.number().int().min(0).max(100).default(5),
  /**
   * How often the outbox writes the records of decisions Kafka has not acknowledged (their request
   * died or timed out), and how long it first leaves them to their own request (more than the
   * producer's 1.5 s send bound, so it rarely writes a record twice).
   */
  OUTBOX_INTERVAL_MS: z.coerce.number().int().min(50).default(1000),
  OUTBOX_GRACE_MS: z.coerce.number().int().min(0).default(3000),
  /** How long a device or exhibitor key lookup is remembered by an instance (others learn of a revoked key this late). */
  KEY_CACHE_MS: z.coerce.number().int().nonnegative().default(1000),
  /**
   * Requests a device may make per minute to `POST /v1/scans`, counted in Redis per device across
   * every instance, so a stolen device key cannot flood. A gate lane scans about once a second.
   */
  SCAN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
  /**
   * Requests (not scans: the limiter counts requests) a device may make per minute to
   * `POST /v1/scans/batch`; a batch holds up to 1,000 scans, so a day offline uploads in seconds.
   */
  SCAN_BATCH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(60),
  /** How often live occupancy is pushed to `/v1/occupancy/stream` clients (changes coalesce). */
  OCCUPANCY_STREAM_INTERVAL_MS: z.coerce.number().int().min(20).max(5000).default(200),
});

export type Config = z.infer<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return load(ConfigSchema, env);
}
