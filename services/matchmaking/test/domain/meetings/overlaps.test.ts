import { describe, expect, it } from 'vitest';
import type { Meeting } from '@expo/schemas';
import { firstComeKeeps, withoutTime, type Claim } from '../../../src/domain/meetings/overlaps.ts';

const at = (hhmm: string) => Date.parse(`2024-11-06T${hhmm}:00+08:00`);
const claim = (meetingId: string, resources: string[], from: string, to: string, since: string, past = false): Claim => ({
  meetingId,
  resources,
  start: at(from),
  end: at(to),
  past,
  since: `2024-11-01T00:00:0${since}.000Z`,
});

describe('firstComeKeeps: who keeps a contested time when the log holds overlapping meetings', () => {
  const a = claim('a', ['buyer-1', 'ex-1'], '10:00', '10:30', '1');
  const b = claim('b', ['buyer-1', 'ex-2'], '10:15', '10:45', '2');
  const c = claim('c', ['buyer-1', 'ex-3'], '10:30', '11:00', '3');

  it('keeps whoever took its time first, whatever order the claims come in, and lets back-to-back times be', () => {
    for (const order of [
      [a, b, c],
      [c, b, a],
      [b, c, a],
    ])
      expect(firstComeKeeps(order)).toEqual([{ meetingId: 'b', heldBy: 'a', past: false }]);
  });

  it('breaks a tie of times taken at the same instant by the lower meeting id', () => {
    const x = claim('x', ['table-1'], '14:00', '14:30', '5');
    const w = claim('w', ['table-1'], '14:10', '14:20', '5');
    expect(firstComeKeeps([x, w])).toEqual([{ meetingId: 'x', heldBy: 'w', past: false }]);
  });

  it('never displaces history: a held meeting keeps its time over an earlier plan', () => {
    const held = claim('h', ['buyer-2', 'ex-9'], '09:00', '09:30', '9', true);
    const plan = claim('p', ['buyer-2', 'ex-8'], '09:15', '09:45', '1');
    expect(firstComeKeeps([plan, held])).toEqual([{ meetingId: 'p', heldBy: 'h', past: false }]);
  });

  it('only claims on a shared resource compete', () => {
    expect(firstComeKeeps([claim('m', ['buyer-3'], '10:00', '11:00', '1'), claim('n', ['buyer-4'], '10:00', '11:00', '2')])).toEqual([]);
  });
});

describe('withoutTime', () => {
  it('takes slot and table from a displaced meeting; a scheduled one is accepted again', () => {
    const meeting: Meeting = {
      meetingId: 'm',
      buyerId: 'b',
      exhibitorId: 'e',
      requestedBy: 'organiser',
      sessionId: 's',
      tableId: 'T1',
      status: 'scheduled',
      slot: { start: '2024-11-06T10:00:00+08:00', end: '2024-11-06T10:30:00+08:00' },
      requestedAt: '2024-11-01T00:00:00.000Z',
      updatedAt: '2024-11-01T00:00:00.000Z',
    };
    const { meeting: next, changed } = withoutTime(meeting, new Date('2024-11-02T00:00:00.000Z'));
    expect(next).toEqual({
      meetingId: 'm',
      buyerId: 'b',
      exhibitorId: 'e',
      requestedBy: 'organiser',
      sessionId: 's',
      status: 'accepted',
      requestedAt: '2024-11-01T00:00:00.000Z',
      updatedAt: '2024-11-02T00:00:00.000Z',
    });
    expect(changed).toEqual(['slot', 'tableId', 'status', 'updatedAt']);
  });
});
