import { describe, expect, it } from 'vitest';
import { isUnverifiedBadgeId, ScanAccepted, ScanAnnulled, ScanRejected, unverifiedBadgeId } from '../../src/events/scans.ts';
import { acceptedScan, exampleRecord, rejectedScan } from '../examples.ts';

describe('scan events', () => {
  it('accept device scans, accepted and rejected, and their annulment', () => {
    expect(ScanAccepted.envelope.parse(exampleRecord(ScanAccepted)).data.reason).toBeNull();
    expect(ScanRejected.envelope.parse(exampleRecord(ScanRejected)).data.reason).toBe('capacity_full');
    expect(ScanAnnulled.envelope.safeParse(exampleRecord(ScanAnnulled)).success).toBe(true);
  });

  it('accept an inferred exit and a closing sweep, which have no device or gate', () => {
    const platformMove = { deviceId: null, gateId: null, direction: 'out' as const, fromZoneId: 'hall-7-1', toZoneId: 'venue-necc' };
    const inferred = acceptedScan({ ...platformMove, origin: 'inferred', flags: { inferred: true, offline: false } });
    const sweep = acceptedScan({ ...platformMove, origin: 'sweep' });
    expect(ScanAccepted.data.safeParse(inferred).success).toBe(true);
    expect(ScanAccepted.data.safeParse(sweep).success).toBe(true);
  });

  it('accept an offline scan flagged with the conflict the platform saw', () => {
    const offline = acceptedScan({ flags: { inferred: false, offline: true, conflict: 'capacity_full' }, occupancyAfter: 5001 });
    expect(ScanAccepted.data.safeParse(offline).success).toBe(true);
  });

  it('keep origin, flags and device consistent', () => {
    expect(ScanAccepted.data.safeParse(acceptedScan({ origin: 'inferred' })).success).toBe(false);
    expect(ScanAccepted.data.safeParse(acceptedScan({ flags: { inferred: true, offline: false } })).success).toBe(false);
    expect(ScanAccepted.data.safeParse(acceptedScan({ deviceId: null })).success).toBe(false);
    expect(ScanAccepted.data.safeParse(acceptedScan({ origin: 'sweep' })).success).toBe(false);
  });

  it('tie decision and reason to the event type', () => {
    expect(ScanAccepted.data.safeParse(acceptedScan({ reason: 'revoked' } as never)).success).toBe(false);
    expect(ScanRejected.data.safeParse(rejectedScan({ reason: null } as never)).success).toBe(false);
    expect(ScanRejected.data.safeParse(rejectedScan({ reason: 'too_early' } as never)).success).toBe(false);
    expect(ScanRejected.data.safeParse(rejectedScan({ origin: 'inferred' } as never)).success).toBe(false);
  });

  it('file an unreadable token under an unverified badge id, so the key is still a string', () => {
    const scanId = '1f0e2d3c-4b5a-4697-8877-665544332211';
    const unread = rejectedScan({ scanId, badgeId: unverifiedBadgeId(scanId), attendeeId: null, reason: 'invalid_token' });
    const parsed = ScanRejected.data.parse(unread);
    expect(parsed.badgeId).toBe(`unverified:${scanId}`);
    expect(isUnverifiedBadgeId(parsed.badgeId)).toBe(true);
    expect(isUnverifiedBadgeId('bdg-1')).toBe(false);
    expect(ScanRejected.data.safeParse({ ...unread, badgeId: null }).success).toBe(false);
  });

  it('keep personal data off the topic even if a producer adds it', () => {
    const parsed = ScanAccepted.data.parse({ ...acceptedScan(), name: 'Li Wei', email: 'li@example.com' });
    expect(Object.keys(parsed)).not.toContain('name');
    expect(Object.keys(parsed)).not.toContain('email');
  });

  it('reject a negative occupancy', () => {
    expect(ScanAccepted.data.safeParse(acceptedScan({ occupancyAfter: -1 })).success).toBe(false);
  });
});
