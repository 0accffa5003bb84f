import { describe, expect, it } from 'vitest';
import { PreferenceBody } from '../../../src/http/matchmaking/preferences.ts';

describe('PUT /v1/preferences', () => {
  it('takes must, nice or no', () => {
    expect(PreferenceBody.safeParse({ fromId: 'sg-1', toId: 'exh-1', level: 'no' }).success).toBe(true);
    expect(PreferenceBody.safeParse({ fromId: 'sg-1', toId: 'exh-1', level: 'maybe' }).success).toBe(false);
  });
});
