import { HttpError, ownReplay, ServiceUnreachable, type SimTransport } from '@expo/simulator';
import type { BuyerRecommendationsResponse, Meeting, MeetingStatus, RequestMeetingResponse, ScanBatchResponse, ScanResult } from '@expo/schemas';
import { ACCEPTED_OR_LATER } from '../checkers/meetings.ts';
import type { Journal } from '../journal.ts';
import { FailoverClient, type FailoverAnswer, type FailoverOptions } from './failover-client.ts';

/** The two (or more) addresses of each service the workload talks to. */
export interface ServiceAddresses {
  readonly registration: readonly string[];
  readonly scanning: readonly string[];
  readonly matchmaking: readonly string[];
  readonly analytics: readonly string[];
}

interface ErrorBody {
  readonly error?: { readonly code?: string; readonly message?: string; readonly details?: ReadonlyArray<Record<string, unknown>> };
}

/** What the simulator sees of an answer that is not a success: the error its own client would throw. */
function failure(what: string, answer: FailoverAnswer<unknown>, url: string): Error {
  if (answer.status === null) return new ServiceUnreachable(url, new Error(`${what}: no instance answered in ${answer.attempts} attempt(s)`));
  const error = (answer.body as ErrorBody | null)?.error;
  return new HttpError(answer.status, error?.code, `${what} answered ${answer.status}: ${error?.message ?? ''}`, answer.body);
}

/** A 2xx or 4xx is an answer the client acts on; anything else leaves the outcome unknown. */
const known = (status: number | null) => (status !== null && status >= 200 && status < 500 ? status : null);

/**
 * The simulator's voice over HTTP to a platform with several instances of each service: every
 * request fails over to the other instance with the same ids (see FailoverClient), and every scan
 * and meeting answer is journaled for the checkers.
 */
export function chaosTransport(addresses: ServiceAddresses, adminToken: string, journal: Journal, options: FailoverOptions = {}): SimTransport {
  // A gate scanner gives an instance 2 s before it asks the other (a scan takes milliseconds; a
  // person is waiting at the gate); the other clients the default 5 s (scheduling takes longer).
  const scanning = new FailoverClient(addresses.scanning, { attemptTimeoutMs: 2000, ...options });
  const matchmaking = new FailoverClient(addresses.matchmaking, options);
  const ok = (status: number | null) => status !== null && status >= 200 && status < 300;
  /**
   * A retried state change answered 409: whether its unanswered first attempt took effect after
   * all, so the meeting already shows one of `reached` (where the change leads, or later). Then
   * the 409 is the retry meeting its own first attempt, and the change is the answer the client keeps.
   */
  const tookEarlier = async (answer: { status: number | null; attempts: number }, meetingId: string, reached: readonly MeetingStatus[]) => {
    if (answer.status !== 409 || answer.attempts < 2) return false;
    const current = await matchmaking.request<Meeting>('GET', `/v1/meetings/${meetingId}`, { token: adminToken });
    return ok(current.status) && current.body !== null && reached.includes(current.body.status);
  };

  return {
    async scan(deviceKey, scan) {
      const answer = await scanning.request<ScanResult>('POST', '/v1/scans', { body: scan, token: deviceKey });
      const body = ok(answer.status) ? answer.body : null;
      journal.scans.push({
        scanId: scan.scanId,
        via: 'online',
        status: known(answer.status),
        decision: body?.decision ?? null,
        reason: body?.reason ?? null,
        attempts: answer.attempts,
        answeredAtMs: Date.now(),
      });
      if (!body) throw failure('POST /v1/scans', answer, addresses.scanning[0]!);
      return ownReplay(body, answer.attempts);
    },
    async scanBatch(deviceKey, scans) {
      const answer = await scanning.request<ScanBatchResponse>('POST', '/v1/scans/batch', { body: { scans }, token: deviceKey });
      const results = ok(answer.status) ? answer.body!.results : null;
      scans.forEach((scan, i) => {
        const result = results?.[i];
        journal.scans.push({
          scanId: scan.scanId,
          via: 'batch',
          status: known(answer.status),
          decision: result?.decision ?? null,
          reason: result?.reason ?? null,
          attempts: answer.attempts,
          answeredAtMs: Date.now(),
        });
      });
      if (!results) throw failure('POST /v1/scans/batch', answer, addresses.scanning[0]!);
      return results.map((r) => ownReplay(r, answer.attempts));
    },
    async lead(exhibitorKey, lead) {
      const answer = await scanning.request('POST', '/v1/leads', { body: lead, token: exhibitorKey });
      if (!ok(answer.status)) throw failure('POST /v1/leads', answer, addresses.scanning[0]!);
    },
    async recommendations(buyerToken, buyerId) {
      const answer = await matchmaking.request<BuyerRecommendationsResponse>('GET', `/v1/buyers/${buyerId}/recommendations?limit=10`, { token: buyerToken });
      if (!ok(answer.status)) throw failure('GET recommendations', answer, addresses.matchmaking[0]!);
      return answer.body!.items.map((i) => i.exhibitorId);
    },
    async requestMeeting(buyerToken, body) {
      const answer = await matchmaking.request<RequestMeetingResponse & ErrorBody>('POST', '/v1/meetings', { body, token: buyerToken });
      // A request with no id of its own: when an unanswered first attempt was made after all, the
      // retry finds it as the open meeting of the pair and that is the answer the client keeps.
      const duplicate = answer.status === 409 && answer.attempts > 1 ? answer.body?.error?.details?.find((d) => d.reason === 'duplicate') : undefined;
      const meetingId = ok(answer.status) ? answer.body!.meetingId : typeof duplicate?.meetingId === 'string' ? duplicate.meetingId : null;
      journal.meetings.push({
        kind: 'request',
        meetingId,
        status: meetingId ? 201 : known(answer.status),
        attempts: answer.attempts,
        answeredAtMs: Date.now(),
      });
      if (!meetingId) throw failure('POST /v1/meetings', answer, addresses.matchmaking[0]!);
      return meetingId;
    },
    async answerMeeting(exhibitorKey, meetingId, accept) {
      const kind = accept ? 'accept' : 'decline';
      const answer = await matchmaking.request('POST', `/v1/meetings/${meetingId}/${kind}`, { token: exhibitorKey });
      const earlier = await tookEarlier(answer, meetingId, accept ? ACCEPTED_OR_LATER : ['declined']);
      journal.meetings.push({ kind, meetingId, status: earlier ? 200 : known(answer.status), attempts: answer.attempts, answeredAtMs: Date.now() });
      if (!ok(answer.status) && !earlier) throw failure(`POST /v1/meetings/:id/${kind}`, answer, addresses.matchmaking[0]!);
    },
    async scheduleSession(sessionId) {
      for (const step of ['schedule', 'schedule/publish']) {
        const answer = await matchmaking.request('POST', `/v1/sessions/${sessionId}/${step}`, { token: adminToken });
        if (!ok(answer.status)) throw failure(`POST /v1/sessions/:id/${step}`, answer, addresses.matchmaking[0]!);
      }
    },
    async meeting(meetingId) {
      const answer = await matchmaking.request<Meeting>('GET', `/v1/meetings/${meetingId}`, { token: adminToken });
      if (!ok(answer.status)) throw failure('GET /v1/meetings/:id', answer, addresses.matchmaking[0]!);
      return answer.body!;
    },
    async outcome(exhibitorKey, meetingId, body) {
      const answer = await matchmaking.request('POST', `/v1/meetings/${meetingId}/outcome`, { body, token: exhibitorKey });
      if (!ok(answer.status) && !(await tookEarlier(answer, meetingId, [body.held ? 'held' : 'no_show'])))
        throw failure('POST /v1/meetings/:id/outcome', answer, addresses.matchmaking[0]!);
    },
    async sweep() {
      const answer = await scanning.request<{ swept: number }>('POST', '/v1/sweep', { token: adminToken });
      if (!ok(answer.status)) throw failure('POST /v1/sweep', answer, addresses.scanning[0]!);
      return answer.body!.swept;
    },
  };
}
