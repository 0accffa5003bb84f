import { describe, expect, it } from 'vitest';
import { PutGateBody } from '../../../src/http/badge-scanning/gates.ts';

describe('PUT /v1/gates/:gateId', () => {
  it('needs the zone the gate leads into', () => {
    expect(PutGateBody.safeParse({ zoneId: 'hall-7-1', name: 'North door' }).success).toBe(true);
    expect(PutGateBody.safeParse({ name: 'North door' }).success).toBe(false);
  });
});
