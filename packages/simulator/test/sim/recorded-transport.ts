import type { Meeting, MeetingOutcomeBody, RequestMeetingBody, ScanRequest, ScanResult } from '@expo/schemas';
import { ServiceUnreachable } from '../../src/http/http-client.ts';
import type { SimTransport } from '../../src/sim/transport.ts';

export interface RecordedScan {
  readonly deviceKey: string;
  readonly scan: ScanRequest;
  readonly batch: boolean;
}

export interface RecordedMeetings {
  readonly requests: RequestMeetingBody[];
  readonly answers: Array<{ meetingId: string; accept: boolean }>;
  readonly outcomes: Array<{ meetingId: string } & MeetingOutcomeBody>;
  readonly status: Map<string, Meeting['status']>;
}

/**
 * Records what the simulator says. Gates let everyone through (no platform decides here). Without
 * `meetings`, matchmaking is absent; with it, every meeting call is recorded and the session
 * round places every accepted meeting, so the buyers' and exhibitors' side can be followed.
 */
export function recordedTransport(meetings?: RecordedMeetings): SimTransport & { scans: RecordedScan[]; leads: number } {
  const scans: RecordedScan[] = [];
  const answer = (scan: ScanRequest): ScanResult => ({
    scanId: scan.scanId,
    decision: 'accepted',
    reason: null,
    zoneId: 'z',
    occupancy: 0,
    capacity: null,
    replayed: false,
    badge: null,
  });
  const absent = () => Promise.reject(new ServiceUnreachable('http://matchmaking.invalid', new Error('not started')));
  const transport = {
    scans,
    leads: 0,
    scan: (deviceKey: string, scan: ScanRequest) => {
      scans.push({ deviceKey, scan, batch: false });
      return Promise.resolve(answer(scan));
    },
    scanBatch: (deviceKey: string, batch: readonly ScanRequest[]) => {
      for (const scan of batch) scans.push({ deviceKey, scan, batch: true });
      return Promise.resolve(batch.map(answer));
    },
    lead: () => {
      transport.leads++;
      return Promise.resolve();
    },
    recommendations: meetings ? () => Promise.resolve([]) : absent,
    requestMeeting: meetings
      ? (_token: string, body: RequestMeetingBody) => {
          meetings.requests.push(body);
          const meetingId = `m-${meetings.requests.length}`;
          meetings.status.set(meetingId, 'requested');
          return Promise.resolve(meetingId);
        }
      : absent,
    answerMeeting: meetings
      ? (_key: string, meetingId: string, accept: boolean) => {
          meetings.answers.push({ meetingId, accept });
          meetings.status.set(meetingId, accept ? 'accepted' : 'declined');
          return Promise.resolve();
        }
      : absent,
    scheduleSession: meetings
      ? () => {
          for (const [id, status] of meetings.status) if (status === 'accepted') meetings.status.set(id, 'scheduled');
          return Promise.resolve();
        }
      : absent,
    meeting: meetings ? (meetingId: string) => Promise.resolve({ meetingId, status: meetings.status.get(meetingId) } as Meeting) : absent,
    outcome: meetings
      ? (_key: string, meetingId: string, body: MeetingOutcomeBody) => {
          meetings.outcomes.push({ meetingId, ...body });
          return Promise.resolve();
        }
      : absent,
    sweep: () => Promise.resolve(0),
  };
  return transport;
}
