import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkSchedule } from '../src/domain/scheduler/check.ts';
import { scheduleSessionExact } from '../src/domain/scheduler/schedule.ts';
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
  /** Proven: no schedule of these meetings has fewer breaks. */
  readonly lowerBound: number;
  readonly gap: number;
  readonly provenOptimal: boolean;
  readonly timeMs: number;
  readonly checker: string;
}

/**
 * The 20 public instances: every one scheduled (local search, and the exact stage when the budget
 * allows), then verified from its raw input by the independent checker, which recounts the breaks.
 */
export async function benchPublicInstances(dir: string, budgetMs: number): Promise<InstanceRow[]> {
  const rows: InstanceRow[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.dzn'))
    .sort()) {
    const dzn = parseDzn(readFileSync(join(dir, file), 'utf8'));
    const input = dznToScheduleInput(dzn);
    const started = performance.now();
    const result = await scheduleSessionExact(input, { timeBudgetMs: budgetMs });
    const timeMs = Math.round(performance.now() - started);
    const report = checkSchedule(input, result);
    const allPlaced = report.placed === dzn.nMeetings;
    const recounted = report.breaks === result.breaks;
    rows.push({
      instance: file.replace('.original.dzn', ''),
      participants: dzn.nBusiness,
      meetings: dzn.nMeetings,
      tables: dzn.nTables,
      slots: dzn.nTotalSlots,
      placed: report.placed,
      breaks: report.breaks,
      lowerBound: result.lowerBound,
      gap: report.breaks - result.lowerBound,
      provenOptimal: report.breaks === result.lowerBound,
      timeMs,
      checker:
        report.ok && allPlaced && recounted
          ? 'ok'
          : `FAIL: ${allPlaced ? '' : 'not all placed; '}${recounted ? '' : 'breaks differ; '}${report.violations.slice(0, 3).join('; ')}`,
    });
  }
  return rows;
}

/** Sums over the instances: what the README's table ends with. */
export function totals(rows: readonly InstanceRow[]) {
  return {
    breaks: rows.reduce((sum, r) => sum + r.breaks, 0),
    lowerBound: rows.reduce((sum, r) => sum + r.lowerBound, 0),
    provenOptimal: rows.filter((r) => r.provenOptimal).length,
    checkerOk: rows.filter((r) => r.checker === 'ok').length,
  };
}

/** A generated CIIE-size session (1,500 participants, 5,000 accepted meetings, 300 tables, 30 slots over 2 days). */
export async function benchCiieSession(budgetMs: number) {
  const shape = { participants: 1500, meetings: 5000, tables: 300, slots: 30, days: 2 };
  const input = generateSession(shape);
  const started = performance.now();
  const result = await scheduleSessionExact(input, { timeBudgetMs: budgetMs });
  const timeMs = Math.round(performance.now() - started);
  const report = checkSchedule(input, result);
  return {
    ...shape,
    budgetMs,
    timeMs,
    placed: report.placed,
    placedShare: Math.round((report.placed / shape.meetings) * 10000) / 10000,
    breaks: report.breaks,
    lowerBound: result.lowerBound,
    gap: result.gap,
    totalScore: Math.round(report.totalScore),
    checker: report.ok ? 'ok' : `FAIL: ${report.violations.slice(0, 3).join('; ')}`,
    unplacedReasons: [...new Set(result.unplaced.map((u) => u.reason))].map((reason) => ({
      reason,
      count: result.unplaced.filter((u) => u.reason === reason).length,
    })),
  };
}
