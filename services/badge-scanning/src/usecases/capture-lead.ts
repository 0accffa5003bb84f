import type { CaptureLeadBody, CaptureLeadResponse, CountryCode, SectorCode } from '@expo/schemas';
import { conflict, invalidRequest } from '@expo/service-kit';
import type { ScanningDeps } from './deps.ts';

interface StoredLead {
  readonly exhibitorId: string;
  readonly badgeId: string;
  readonly attendeeId: string;
  readonly rating?: number;
  readonly note?: string;
  readonly capturedAt: string;
}

/**
 * An exhibitor scans a visitor at its booth. The badge is verified like at a gate; the lead goes
 * on `scanning.leads.v1` with ids and coarse attributes only, while the note and rating stay with
 * the exhibitor here. The same leadId answers the same lead (the app's retry); a leadId reused for
 * another badge is 409.
 */
export async function captureLead(deps: ScanningDeps, exhibitorId: string, body: CaptureLeadBody): Promise<CaptureLeadResponse> {
  const token = await deps.tokens.check(body.leadId, body.badgeToken, new Date(deps.now()).toISOString());
  if (!token.payload || token.reason) {
    throw invalidRequest('The badge cannot be accepted', [{ path: 'badgeToken', message: token.reason ?? 'invalid_token' }]);
  }
  if (await deps.registry.isRevoked(token.badgeId)) throw invalidRequest('The badge cannot be accepted', [{ path: 'badgeToken', message: 'revoked' }]);
  const person = await deps.registry.person(token.payload.aid);
  if (!person?.c) throw conflict('The visitor is not known to scanning yet; retry in a moment');
  const lead: StoredLead = {
    exhibitorId,
    badgeId: token.badgeId,
    attendeeId: token.payload.aid,
    ...(body.rating ? { rating: body.rating } : {}),
    ...(body.note ? { note: body.note } : {}),
    capturedAt: new Date(deps.now()).toISOString(),
  };
  const claimed = await deps.scans.claimLead(body.leadId, JSON.stringify(lead));
  const stored = claimed ?? lead;
  if (stored.exhibitorId !== exhibitorId || stored.badgeId !== token.badgeId) throw conflict(`leadId ${body.leadId} was already used for another lead`);
  if (claimed === null) {
    try {
      await deps.producer.send(deps.topics.leads, [
        {
          type: 'lead.captured',
          eventId: deps.expoId,
          data: {
            leadId: body.leadId,
            exhibitorId,
            badgeId: token.badgeId,
            attendeeId: token.payload.aid,
            category: token.payload.cat,
            country: person.c as CountryCode,
            interests: person.interests as SectorCode[],
            ...(body.rating ? { rating: body.rating } : {}),
            capturedAt: lead.capturedAt,
          },
        },
      ]);
    } catch (error) {
      await deps.scans.releaseLead(body.leadId).catch(() => undefined);
      throw error;
    }
    await deps.scans.keepLead(exhibitorId, body.leadId, JSON.stringify(lead));
  }
  return {
    leadId: body.leadId,
    exhibitorId,
    badgeId: token.badgeId,
    attendeeId: token.payload.aid,
    category: token.payload.cat,
    displayName: person.n ?? token.badgeId,
    country: person.c as CountryCode,
    replayed: claimed !== null,
  };
}

export function parseLead(json: string): StoredLead {
  return JSON.parse(json) as StoredLead;
}
