import { z } from 'zod';
import { baseConfigShape, loadConfig as load, portVar } from '@expo/service-kit';
import { IsoDate } from '@expo/schemas';

export const ConfigSchema = z
  .object({
    ...baseConfigShape,
    SERVICE_NAME: z.string().min(1).default('registration'),
    PORT: portVar(3001),
    /** The expo edition this instance registers for (envelope `eventId`, Redis hash tag). */
    EXPO_ID: z.string().min(1).max(64).default('ciie-2024'),
    /** Badges are valid on local days of the venue; a scan at 00:30 in Shanghai is that day. */
    EXPO_TIME_ZONE: z.string().min(1).default('Asia/Shanghai'),
    EXPO_FIRST_DAY: IsoDate.default('2024-11-05'),
    EXPO_LAST_DAY: IsoDate.default('2024-11-10'),
    /**
     * Where the Ed25519 signing keys live (private keys: a secret, never in the repository). Created
     * with one new key when missing; add a key and mark it current to rotate.
     */
    BADGE_SIGNING_KEYS_FILE: z.string().min(1).default('.data/badge-signing-keys.json'),
    /** Public registrations per client address and minute. */
    REGISTRATION_RATE_LIMIT: z.coerce.number().int().positive().default(30),
    /** How long an Idempotency-Key is remembered. */
    IDEMPOTENCY_TTL_SECONDS: z.coerce
      .number()
      .int()
      .positive()
      .default(24 * 3600),
    /**
     * How long a key stays `pending` (its request running) unless that request records its end: a
     * process that dies, or a Redis that fails, between the two must not block the key's retries for
     * the whole TTL. Longer than any request takes: each Redis command fails within 1 s and each
     * send within 1.5 s, some ten in a row bound a request near 10 s, and 30 s leaves room for a
     * stalled event loop. A request that outlives it is harmless: its retry runs again, and the
     * email reservation answers it with the same attendee (201 or 409 naming it).
     */
    IDEMPOTENCY_PENDING_TTL_SECONDS: z.coerce.number().int().positive().default(30),
    /**
     * How often the outbox writes the records of registrations Kafka has not acknowledged (their
     * request timed out or died), and how long it first leaves them to their own request (more than
     * the producer's 1.5 s send bound, so it rarely writes a record twice).
     */
    OUTBOX_INTERVAL_MS: z.coerce.number().int().min(50).default(1000),
    OUTBOX_GRACE_MS: z.coerce.number().int().min(0).default(3000),
  })
  .refine((c) => c.EXPO_FIRST_DAY <= c.EXPO_LAST_DAY, { message: 'EXPO_FIRST_DAY is after EXPO_LAST_DAY', path: ['EXPO_LAST_DAY'] });

export type Config = z.infer<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return load(ConfigSchema, env);
}
