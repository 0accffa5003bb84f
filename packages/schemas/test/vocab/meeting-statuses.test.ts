import { describe, expect, it } from 'vitest';
import { MeetingStatus } from '../../src/vocab/meeting-statuses.ts';

describe('meeting statuses', () => {
  it('cover the life of a meeting', () => {
    expect(MeetingStatus.options).toEqual(['requested', 'accepted', 'declined', 'expired', 'scheduled', 'held', 'no_show', 'cancelled']);
  });
});
