import { describe, expect, it } from 'vitest';
import { generateSession } from '../../../bench/generate-session.ts';
import { checkSchedule } from '../../../src/domain/scheduler/check.ts';
import { scheduleSession } from '../../../src/domain/scheduler/schedule.ts';
import { UNPLACED_REASONS, type ScheduleInput } from '../../../src/domain/scheduler/types.ts';

const slots = (n: number, day = 'd1') =>
  Array.from({ length: n }, (_, i) => ({ id: `${day}-s${i}`, day, order: i, session: i < n / 2 ? 'morning' : 'afternoon' }));
const person = (id: string, languages: string[] = [], unavailable: string[] = []) => ({ id, languages, unavailable });

describe('scheduleSession', () => {
  it('places a generated session with availability, languages and interpreter tables, and the checker passes it', () => {
    const input = generateSession({ participants: 160, meetings: 450, tables: 45, slots: 16, days: 2, seed: 11 });
    const result = scheduleSession(input, { timeBudgetMs: 300 });
    const report = checkSchedule(input, result);
    expect(report.violations).toEqual([]);
    expect(report.ok).toBe(true);
    expect(result.placements).toHaveLength(450);
    expect(result.unplaced).toEqual([]);
    expect(report.breaks).toBe(result.breaks);
    expect(result.totalScore).toBeCloseTo(
      input.meetings.reduce((sum, m) => sum + m.score, 0),
      6,
    );
  });

  it('keeps a participant’s meetings back to back when the slots allow it', () => {
    const input: ScheduleInput = {
      slots: slots(8),
      tables: [
        { id: 't1', languages: [] },
        { id: 't2', languages: [] },
      ],
      participants: [person('buyer'), person('e1'), person('e2'), person('e3')],
      meetings: ['e1', 'e2', 'e3'].map((e) => ({ id: `m-${e}`, participants: ['buyer', e] as const, score: 1 })),
    };
    const result = scheduleSession(input, { timeBudgetMs: 100 });
    expect(checkSchedule(input, result).ok).toBe(true);
    expect(result.breaks).toBe(0);
    const orders = result.placements.map((p) => Number(p.slotId.split('-s')[1])).sort((a, b) => a - b);
    expect(orders[2]! - orders[0]!).toBe(2);
  });

  it('uses an interpreter table for a pair without a common language and says why a pair cannot meet', () => {
    const input: ScheduleInput = {
      slots: slots(2),
      tables: [
        { id: 'plain', languages: [] },
        { id: 'zh-fr', languages: ['zh', 'fr'] },
      ],
      participants: [person('zh-buyer', ['zh']), person('fr-seller', ['fr']), person('ru-seller', ['ru']), person('away', ['zh'], ['d1-s0', 'd1-s1'])],
      meetings: [
        { id: 'interpreted', participants: ['zh-buyer', 'fr-seller'], score: 5 },
        { id: 'no-language', participants: ['zh-buyer', 'ru-seller'], score: 5 },
        { id: 'never-free', participants: ['away', 'fr-seller'], score: 5 },
      ],
    };
    const result = scheduleSession(input, { timeBudgetMs: 50 });
    expect(checkSchedule(input, result).ok).toBe(true);
    expect(result.placements).toEqual([expect.objectContaining({ meetingId: 'interpreted', tableId: 'zh-fr' })]);
    expect(result.unplaced).toEqual([
      { meetingId: 'no-language', reason: UNPLACED_REASONS.noTable },
      { meetingId: 'never-free', reason: UNPLACED_REASONS.noCommonSlot },
    ]);
  });

  it('leaves out the lowest-scoring meeting when a participant has more meetings than slots', () => {
    const input: ScheduleInput = {
      slots: slots(2),
      tables: [
        { id: 't1', languages: [] },
        { id: 't2', languages: [] },
      ],
      participants: [person('buyer'), person('a'), person('b'), person('c')],
      meetings: [
        { id: 'high', participants: ['buyer', 'a'], score: 90 },
        { id: 'low', participants: ['buyer', 'b'], score: 10 },
        { id: 'mid', participants: ['buyer', 'c'], score: 50 },
      ],
    };
    const result = scheduleSession(input, { timeBudgetMs: 100 });
    expect(checkSchedule(input, result).ok).toBe(true);
    expect(result.totalScore).toBe(140);
    expect(result.unplaced).toEqual([{ meetingId: 'low', reason: UNPLACED_REASONS.noRoom }]);
  });

  it('honours sessions and fixed slots', () => {
    const input: ScheduleInput = {
      slots: slots(4),
      tables: [{ id: 't1', languages: [] }],
      participants: [person('x'), person('y'), person('z')],
      meetings: [
        { id: 'fixed', participants: ['x', 'y'], score: 1, fixedSlot: 'd1-s3' },
        { id: 'afternoon', participants: ['x', 'z'], score: 1, sessions: ['afternoon'] },
      ],
    };
    const result = scheduleSession(input, { timeBudgetMs: 50 });
    expect(checkSchedule(input, result).ok).toBe(true);
    expect(Object.fromEntries(result.placements.map((p) => [p.meetingId, p.slotId]))).toEqual({ fixed: 'd1-s3', afternoon: 'd1-s2' });
  });
});
