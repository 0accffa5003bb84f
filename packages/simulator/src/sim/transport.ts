import type { CaptureLeadBody, Meeting, MeetingOutcomeBody, RequestMeetingBody, ScanRequest, ScanResult } from '@expo/schemas';

/**
 * Everything the simulator says to the platform, as the devices, exhibitors, buyers and organiser
 * staff would say it. `httpTransport` speaks HTTP to the services; tests may record calls.
 */
export interface SimTransport {
  scan(deviceKey: string, scan: ScanRequest): Promise<ScanResult>;
  scanBatch(deviceKey: string, scans: readonly ScanRequest[]): Promise<ScanResult[]>;
  lead(exhibitorKey: string, lead: CaptureLeadBody): Promise<void>;
  /** Exhibitor ids recommended to a buyer, best first. */
  recommendations(buyerToken: string, buyerId: string): Promise<string[]>;
  requestMeeting(buyerToken: string, body: RequestMeetingBody): Promise<string>;
  answerMeeting(exhibitorKey: string, meetingId: string, accept: boolean): Promise<void>;
  /** Places the session's accepted meetings and publishes the schedule. */
  scheduleSession(sessionId: string): Promise<void>;
  meeting(meetingId: string): Promise<Meeting>;
  outcome(exhibitorKey: string, meetingId: string, body: MeetingOutcomeBody): Promise<void>;
  sweep(): Promise<number>;
}
