import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkSchedule } from '../src/domain/scheduler/check.ts';
import { scheduleSession } from '../src/domain/scheduler/schedule.ts';
import { dznToScheduleInput, parseDzn } from './dzn.ts';
import { generateSession } from './generate-session.ts';

export interface InstanceRow {
  readonly instance: string;
  readonly participants: number;
  readonly meetings: number;
  readonly tables: number;
  readonly slots: number;
  readonly placed: number;
  readonly breaks: number;
  readonly timeMs: number;
  readonly checker: string;
}

/** The 20 public instances: every one scheduled, then verified from its raw input by the independent checker. */
export function benchPublicInstances(dir: string, budgetMs: number): InstanceRow[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.dzn'))
    .sort()
    .map((file) => {
      const dzn = parseDzn(readFileSync(join(dir, file), 'utf8'));
      const input = dznToScheduleInput(dzn);
      const started = performance.now();
      const result = scheduleSession(input, { timeBudgetMs: budgetMs });
      const timeMs = Math.round(performance.now() - started);
      const report = checkSchedule(input, result);
      const allPlaced = report.placed === dzn.nMeetings;
      return {
        instance: file.replace('.original.dzn', ''),
        participants: dzn.nBusiness,
        meetings: dzn.nMeetings,
        tables: dzn.nTables,
        slots: dzn.nTotalSlots,
        placed: report.placed,
        breaks: report.breaks,
        timeMs,
        checker: report.ok && allPlaced ? 'ok' : `FAIL: ${allPlaced ? '' : 'not all placed; '}${report.violations.slice(0, 3).join('; ')}`,
      };
    });
}

/** A generated CIIE-size session (1,500 participants, 5,000 accepted meetings, 300 tables, 30 slots over 2 days). */
export function benchCiieSession(budgetMs: number) {
  const shape = { participants: 1500, meetings: 5000, tables: 300, slots: 30, days: 2 };
  const input = generateSession(shape);
  const started = performance.now();
  const result = scheduleSession(input, { timeBudgetMs: budgetMs });
  const timeMs = Math.round(performance.now() - started);
  const report = checkSchedule(input, result);
  return {
    ...shape,
    localSearchBudgetMs: budgetMs,
    timeMs,
    placed: report.placed,
    placedShare: Math.round((report.placed / shape.meetings) * 10000) / 10000,
    breaks: report.breaks,
    totalScore: Math.round(report.totalScore),
    checker: report.ok ? 'ok' : `FAIL: ${report.violations.slice(0, 3).join('; ')}`,
    unplacedReasons: [...new Set(result.unplaced.map((u) => u.reason))].map((reason) => ({ reason, count: result.unplaced.filter((u) => u.reason === reason).length })),
  };
}
