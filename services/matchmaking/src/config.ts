import { z } from 'zod';
import { baseConfigShape, loadConfig as load, portVar } from '@expo/service-kit';

const weight = (value: number) => z.coerce.number().min(0).max(1000).default(value);

export const ConfigSchema = z.object({
  ...baseConfigShape,
  SERVICE_NAME: z.string().min(1).default('matchmaking'),
  PORT: portVar(3003),
  /** The expo edition (envelope `eventId`, Redis hash tag). */
  EXPO_ID: z.string().min(1).max(64).default('ciie-2024'),
  /** Badge validity days are counted in the venue's zone. */
  EXPO_TIME_ZONE: z.string().min(1).default('Asia/Shanghai'),
  /** A pending request (and the slot it holds) expires after this long without an answer. */
  REQUEST_TTL_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(48 * 3600),
  /** How often each instance looks for expired requests. */
  EXPIRY_SWEEP_MS: z.coerce.number().int().positive().default(1000),
  /** How often each instance writes again the meeting records Kafka has not acknowledged. */
  OUTBOX_INTERVAL_MS: z.coerce.number().int().min(50).default(1000),
  /** An unacknowledged meeting waits this long before the outbox writes it (its own send had its chance). */
  OUTBOX_GRACE_MS: z.coerce.number().int().min(0).default(3000),
  /** Meeting requests a buyer or an exhibitor may send in all. */
  MAX_REQUESTS_SENT: z.coerce.number().int().positive().default(50),
  /** Meetings (requested, accepted or scheduled) a buyer or an exhibitor may have at once. */
  MAX_ACTIVE_MEETINGS: z.coerce.number().int().positive().default(30),
  /**
   * Wall-clock budget of the batch scheduler per session draft, the whole computation: greedy
   * placement, local search, and from 10 s on (sessions up to 1,000 meetings) the exact stage that
   * proves how close the plan is to the best. It runs on this instance's event loop: raise it (e.g.
   * 60000 for an overnight plan) on an instance that serves little else meanwhile.
   */
  SCHEDULER_BUDGET_MS: z.coerce.number().int().positive().default(4500),
  /** The organiser's priorities: points added to a relevant pair. */
  WEIGHT_LEAST_DEVELOPED_COUNTRY: weight(6),
  WEIGHT_AFRICAN_PRODUCTS_ZONE: weight(6),
  WEIGHT_PRODUCT_DEBUT: weight(4),
  /** Behaviour: the buyer entered the exhibitor's hall (added to a pair something else relates). */
  WEIGHT_HALL_VISITED: weight(8),
});

export type Config = z.infer<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return load(ConfigSchema, env);
}
