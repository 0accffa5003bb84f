import { describe, expect, it } from 'vitest';
import { generateSession } from '../../../bench/generate-session.ts';
import { checkSchedule } from '../../../src/domain/scheduler/check.ts';
import { scheduleSession } from '../../../src/domain/scheduler/schedule.ts';
import type { Placement, ScheduleResult } from '../../../src/domain/scheduler/types.ts';

const input = generateSession({ participants: 60, meetings: 120, tables: 15, slots: 12, days: 1, seed: 3 });
// Greedy placement only (no time-bounded search): the same schedule on every run and machine.
const good = scheduleSession(input, { timeBudgetMs: 0 });

function broken(change: (placements: Placement[]) => Placement[]): ScheduleResult {
  return { ...good, placements: change([...good.placements]) };
}

describe('checkSchedule', () => {
  it('passes the scheduler’s own output', () => {
    expect(checkSchedule(input, good)).toMatchObject({ ok: true, violations: [], placed: 120 });
  });

  it('catches a participant booked twice in one slot', () => {
    const [first] = good.placements;
    const meeting = input.meetings.find((m) => m.id === first!.meetingId)!;
    const other = good.placements.find(
      (p) => p.slotId !== first!.slotId && input.meetings.find((m) => m.id === p.meetingId)!.participants.includes(meeting.participants[0]),
    );
    expect(other).toBeDefined();
    const report = checkSchedule(
      input,
      broken((ps) => ps.map((p) => (p === other ? { ...p, slotId: first!.slotId, tableId: 'table-15' } : p))),
    );
    expect(report.ok).toBe(false);
    expect(report.violations.join('\n')).toContain(`${meeting.participants[0]} has two meetings in slot ${first!.slotId}`);
  });

  it('catches a table used twice, an unavailable participant, a lost meeting and a missing interpreter', () => {
    const [a, b] = good.placements;
    const awayPerson = input.participants.find((p) => p.unavailable.length > 0)!;
    const awayMeeting = input.meetings.find((m) => m.participants.includes(awayPerson.id))!;
    const noCommon = input.meetings.find((m) => {
      const [x, y] = m.participants.map((id) => input.participants.find((p) => p.id === id)!);
      return !x!.languages.some((l) => y!.languages.includes(l));
    })!;
    const report = checkSchedule(
      input,
      broken((ps) =>
        ps
          .filter((p) => p !== b)
          .map((p) => (p === a ? { ...p, tableId: good.placements.find((q) => q !== a && q.slotId === a.slotId)!.tableId } : p))
          .map((p) => (p.meetingId === awayMeeting.id ? { ...p, slotId: awayPerson.unavailable[0]! } : p))
          .map((p) => (p.meetingId === noCommon.id ? { ...p, tableId: 'table-1' } : p)),
      ),
    );
    const text = report.violations.join('\n');
    expect(text).toContain(`already used in slot ${a!.slotId}`);
    expect(text).toContain(`${awayPerson.id} is not available in slot ${awayPerson.unavailable[0]}`);
    expect(text).toContain(`meeting ${b!.meetingId} is neither placed nor reported unplaced`);
    expect(text).toContain(`meeting ${noCommon.id}: no common language and table table-1 has no interpreter`);
  });
});
