import { describe, expect, it } from 'vitest';
import { DeviceSyncResponse } from '../../../src/http/badge-scanning/devices.ts';

describe('device sync bundle', () => {
  it('carries what an offline device decides with', () => {
    const bundle = {
      eventId: 'ciie-2024',
      serverTime: '2024-11-05T08:00:00+08:00',
      keys: [{ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', kid: 'key-1', x: 'A'.repeat(43) }],
      revocations: [{ badgeId: 'bdg-9', revokedAt: '2024-11-05T07:00:00+08:00' }],
      gate: { gateId: 'g-1', zoneId: 'hall-7-1' },
      zone: { zoneId: 'hall-7-1', name: 'Hall 7.1', kind: 'hall', parentId: 'venue-necc', capacity: 5000, antiPassback: 'soft' },
      cursor: 'c-42',
    };
    expect(DeviceSyncResponse.parse(bundle).revocations).toHaveLength(1);
  });
});
