import { MEETING_STATUSES, type MeetingStatus } from '@expo/schemas';
import { Counter, Histogram, type MetricsRegistry } from '@expo/service-kit';

/** Matchmaking's domain metrics. */
export interface MatchmakingMetrics {
  /** Meeting changes Kafka acknowledged, by the status each entered. */
  readonly meetings: Counter<'status'>;
  readonly recommendations: Histogram;
}

// A recommendation list is computed in memory: microseconds to tens of milliseconds.
const COMPUTE_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

export function matchmakingMetrics(registry: MetricsRegistry): MatchmakingMetrics {
  const registers = [registry];
  const meetings = new Counter({
    name: 'meetings_total',
    help: 'Meeting transitions, by the status entered (requested, accepted, declined, expired, scheduled, held, no_show, cancelled), counted when Kafka acknowledges their record',
    labelNames: ['status'] as const,
    registers,
  });
  // Every status from the start at 0, so a rate over a status none entered yet is 0, not absent.
  for (const status of MEETING_STATUSES) meetings.inc({ status }, 0);
  const recommendations = new Histogram({
    name: 'recommendations_duration_seconds',
    help: "Time to compute one recommendations answer (a buyer's or an exhibitor's list), without the HTTP around it",
    buckets: COMPUTE_BUCKETS,
    registers,
  });
  return { meetings, recommendations };
}

export function countMeetings(metrics: MatchmakingMetrics, meetings: ReadonlyArray<{ meeting: { status: MeetingStatus } }>): void {
  for (const { meeting } of meetings) metrics.meetings.inc({ status: meeting.status });
}

/** Runs `compute` and observes how long it took. */
export function timeRecommendations<T>(metrics: MatchmakingMetrics, compute: () => T): T {
  const end = metrics.recommendations.startTimer();
  try {
    return compute();
  } finally {
    end();
  }
}
