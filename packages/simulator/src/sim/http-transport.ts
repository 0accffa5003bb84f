import type {
  BuyerRecommendationsResponse,
  CaptureLeadBody,
  Meeting,
  MeetingOutcomeBody,
  RequestMeetingBody,
  RequestMeetingResponse,
  ScanBatchResponse,
  ScanResult,
} from '@expo/schemas';
import type { Endpoints } from '../http/endpoints.ts';
import { HttpClient, HttpError } from '../http/http-client.ts';
import { ownReplay } from './own-replay.ts';
import type { SimTransport } from './transport.ts';

/** The simulator's voice over HTTP: each call carries the credential its real sender would. */
export function httpTransport(endpoints: Endpoints): SimTransport {
  const scanning = new HttpClient(endpoints.scanning, endpoints.adminToken, undefined, endpoints.wait);
  const matchmaking = new HttpClient(endpoints.matchmaking, endpoints.adminToken, undefined, endpoints.wait);
  return {
    async scan(deviceKey, scan) {
      const answer = await scanning.post<ScanResult>('/v1/scans', scan, { token: deviceKey, repeatable: true });
      return ownReplay(answer.body, answer.attempts);
    },
    async scanBatch(deviceKey, scans) {
      const answer = await scanning.post<ScanBatchResponse>('/v1/scans/batch', { scans }, { token: deviceKey, repeatable: true });
      return answer.body.results.map((result) => ownReplay(result, answer.attempts));
    },
    async lead(exhibitorKey, lead: CaptureLeadBody) {
      await scanning.post('/v1/leads', lead, { token: exhibitorKey, repeatable: true });
    },
    async recommendations(buyerToken, buyerId) {
      const { body } = await matchmaking.get<BuyerRecommendationsResponse>(`/v1/buyers/${buyerId}/recommendations?limit=10`, { token: buyerToken });
      return body.items.map((i) => i.exhibitorId);
    },
    async requestMeeting(buyerToken, body: RequestMeetingBody) {
      return (await matchmaking.post<RequestMeetingResponse>('/v1/meetings', body, { token: buyerToken })).body.meetingId;
    },
    async answerMeeting(exhibitorKey, meetingId, accept) {
      await matchmaking.post(`/v1/meetings/${meetingId}/${accept ? 'accept' : 'decline'}`, undefined, { token: exhibitorKey });
    },
    async scheduleSession(sessionId) {
      await matchmaking.post(`/v1/sessions/${sessionId}/schedule`);
      try {
        await matchmaking.post(`/v1/sessions/${sessionId}/schedule/publish`);
      } catch (error) {
        // A matchmaking service that schedules without a separate publish step.
        if (!(error instanceof HttpError && error.status === 404)) throw error;
      }
    },
    async meeting(meetingId) {
      return (await matchmaking.get<Meeting>(`/v1/meetings/${meetingId}`)).body;
    },
    async outcome(exhibitorKey, meetingId, body: MeetingOutcomeBody) {
      await matchmaking.post(`/v1/meetings/${meetingId}/outcome`, body, { token: exhibitorKey });
    },
    async sweep() {
      return (await scanning.post<{ swept: number }>('/v1/sweep')).body.swept;
    },
  };
}
