import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dznToScheduleInput, parseDzn } from '../../bench/dzn.ts';
import { checkSchedule } from '../../src/domain/scheduler/check.ts';
import { scheduleSession } from '../../src/domain/scheduler/schedule.ts';

// A copy of one public instance (Bofill et al., JAIR 74 (2022); the benchmark reads all twenty from
// the shared data folder), so the test needs nothing outside the repository.
const file = new URL('../fixtures/forum-13.original.dzn', import.meta.url);

describe('the public .dzn instances', () => {
  it('reads forum-13 and places every meeting with the checker’s approval', () => {
    const dzn = parseDzn(readFileSync(file, 'utf8'));
    expect(dzn).toMatchObject({ nBusiness: 70, nMeetings: 154, nTables: 14, nTotalSlots: 21, nMorningSlots: 13 });
    expect(dzn.requested[0]).toEqual([1, 2, 1]);
    expect(dzn.forbidden[2]).toEqual([17]);
    const input = dznToScheduleInput(dzn);
    const result = scheduleSession(input, { timeBudgetMs: 500 });
    const report = checkSchedule(input, result);
    expect(report.violations).toEqual([]);
    expect(report.placed).toBe(154);
  });
});
