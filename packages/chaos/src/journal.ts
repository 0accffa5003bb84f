/**
 * What the workload was told, request by request: the checkers hold the log to it afterwards.
 * A status of null means no instance answered (every attempt failed to connect or timed out), so
 * the client does not know the outcome: the log may hold the operation or not, but never twice.
 */

/** One scan, online (`POST /v1/scans`) or in an offline batch (`POST /v1/scans/batch`). */
export interface ScanAnswer {
  readonly scanId: string;
  readonly via: 'online' | 'batch';
  /** The HTTP status of the last answer (200 for a decided scan, 4xx refused), null if none came. */
  readonly status: number | null;
  readonly decision: 'accepted' | 'rejected' | null;
  readonly reason: string | null;
  /** Requests sent for this scan (the same scanId each time); more than 1 means retried. */
  readonly attempts: number;
  /** When the final answer came (ms since epoch, wall clock of the workload). */
  readonly answeredAtMs: number;
}

/** One registration (`POST /v1/attendees` with an `Idempotency-Key`). */
export interface RegistrationAnswer {
  readonly idempotencyKey: string;
  readonly email: string;
  /** 201 registered, 409 the e-mail was registered before, null no answer. */
  readonly status: number | null;
  readonly attendeeId: string | null;
  readonly attempts: number;
  readonly answeredAtMs: number;
}

/** A meeting request (`POST /v1/meetings`) or answer (`/accept`, `/decline`). */
export interface MeetingAnswer {
  readonly kind: 'request' | 'accept' | 'decline';
  readonly meetingId: string | null;
  readonly status: number | null;
  readonly attempts: number;
  readonly answeredAtMs: number;
}

/** A record the workload wrote on purpose that no consumer can read: it must end in a DLQ. */
export interface PoisonRecord {
  /** The topic's full name (prefix included). */
  readonly topic: string;
  readonly key: string;
  /** The raw value written (not a valid envelope). */
  readonly value: string;
}

export class Journal {
  readonly scans: ScanAnswer[] = [];
  readonly registrations: RegistrationAnswer[] = [];
  readonly meetings: MeetingAnswer[] = [];
  readonly poison: PoisonRecord[] = [];
}
