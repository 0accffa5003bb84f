import { ATTENDEE_CATEGORY_CODES, type AttendeeCategory } from '@expo/schemas';
import { Counter, type MetricsRegistry } from '@expo/service-kit';

/** Registration's domain metrics. */
export interface RegistrationMetrics {
  /** Registrations that became state (Kafka acknowledged their records), by attendee category. */
  readonly registrations: Counter<'category'>;
}

export function registrationMetrics(registry: MetricsRegistry): RegistrationMetrics {
  const registrations = new Counter({
    name: 'registrations_total',
    help: 'Attendees registered (their records acknowledged by Kafka and made state), by attendee category',
    labelNames: ['category'] as const,
    registers: [registry],
  });
  // Every category from the start at 0, so a rate over a category that had none yet is 0, not absent.
  for (const category of ATTENDEE_CATEGORY_CODES) registrations.inc({ category }, 0);
  return { registrations };
}

export function countRegistrations(metrics: RegistrationMetrics, registrations: ReadonlyArray<{ attendee: { category: AttendeeCategory } }>): void {
  for (const { attendee } of registrations) metrics.registrations.inc({ category: attendee.category });
}
