import type { CheckResult } from './checkers/check-result.ts';
import type { FaultKind } from './faults/fault.ts';
import type { Journal } from './journal.ts';

/** When one fault began, ended and the platform was whole again (every instance ready). */
export interface FaultWindow {
  readonly kind: FaultKind;
  readonly detail: string;
  readonly injectedAtMs: number;
  readonly healedAtMs: number;
  readonly recoveredAtMs: number | null;
}

/** What the workload saw from a fault's start until the platform was whole again. */
export interface FaultFigures {
  readonly kind: FaultKind;
  readonly detail: string;
  readonly seconds: number;
  /** Operations (scans, registrations, meeting requests and answers) answered in the window. */
  readonly tried: number;
  readonly answered: number;
  readonly retried: number;
  /** Operations no instance answered within the client's budget: outcome unknown to the client. */
  readonly unanswered: number;
  /** From the fault's end to every instance ready. */
  readonly recoverySeconds: number | null;
  /** From the fault's end to the first scan answered 200 that was sent after it. */
  readonly firstAnswerSeconds: number | null;
  /** The longest stretch of the window in which no scan was answered 200 (from its start to its end). */
  readonly longestSilenceSeconds: number;
}

export interface ChaosReport {
  readonly profile: string;
  readonly seed: number;
  readonly startedAt: string;
  readonly seconds: number;
  readonly ok: boolean;
  readonly faults: readonly FaultFigures[];
  readonly scans: number;
  readonly registrations: number;
  readonly meetings: number;
  readonly checks: readonly CheckResult[];
}

type Operation = { readonly status: number | null; readonly attempts: number; readonly answeredAtMs: number };

export function faultFigures(windows: readonly FaultWindow[], journal: Journal): FaultFigures[] {
  const operations: Operation[] = [...journal.scans, ...journal.registrations, ...journal.meetings];
  return windows.map((w) => {
    const end = w.recoveredAtMs ?? w.healedAtMs;
    const inside = operations.filter((o) => o.answeredAtMs >= w.injectedAtMs && o.answeredAtMs <= end);
    // A scan answered after the heal with one attempt was sent after it (attempts time out in seconds).
    const firstAfter = journal.scans.find((s) => s.answeredAtMs > w.healedAtMs && s.status === 200 && s.attempts === 1);
    const answeredAt = journal.scans.filter((s) => s.status === 200 && s.answeredAtMs >= w.injectedAtMs && s.answeredAtMs <= end).map((s) => s.answeredAtMs);
    const marks = [w.injectedAtMs, ...answeredAt.sort((x, y) => x - y), end];
    const silenceMs = marks.slice(1).reduce((longest, at, i) => Math.max(longest, at - marks[i]!), 0);
    return {
      kind: w.kind,
      detail: w.detail,
      seconds: Math.round((end - w.injectedAtMs) / 100) / 10,
      tried: inside.length,
      answered: inside.filter((o) => o.status !== null).length,
      retried: inside.filter((o) => o.attempts > 1).length,
      unanswered: inside.filter((o) => o.status === null).length,
      recoverySeconds: w.recoveredAtMs === null ? null : Math.round((w.recoveredAtMs - w.healedAtMs) / 100) / 10,
      firstAnswerSeconds: firstAfter ? Math.round((firstAfter.answeredAtMs - w.healedAtMs) / 100) / 10 : null,
      longestSilenceSeconds: Math.round(silenceMs / 100) / 10,
    };
  });
}

const cell = (v: number | null) => (v === null ? '–' : String(v));

/** Per fault kind: how often, and the worst of its windows (a long run has dozens of faults). */
function kindRows(faults: readonly FaultFigures[]): string[] {
  const kinds = [...new Set(faults.map((f) => f.kind))];
  const worst = (values: ReadonlyArray<number | null>) => {
    const known = values.filter((v): v is number => v !== null);
    return values.includes(null) ? null : known.length ? Math.max(...known) : null;
  };
  return kinds.map((kind) => {
    const of = faults.filter((f) => f.kind === kind);
    const sum = (pick: (f: FaultFigures) => number) => of.reduce((n, f) => n + pick(f), 0);
    return `| ${kind} | ${of.length} | ${sum((f) => f.tried)} | ${sum((f) => f.answered)} | ${sum((f) => f.retried)} | ${sum((f) => f.unanswered)} | ${cell(worst(of.map((f) => f.recoverySeconds)))} | ${cell(worst(of.map((f) => f.firstAnswerSeconds)))} | ${cell(worst(of.map((f) => f.longestSilenceSeconds)))} |`;
  });
}

/** The report as the README's tables: one row per fault (per fault kind for a long run), one per check. */
export function reportMarkdown(report: ChaosReport): string {
  const perFault = report.faults.length <= 20;
  const lines = [
    `chaos ${report.profile}, seed ${report.seed}, ${report.startedAt}, ${report.seconds} s: ${report.ok ? 'PASSED' : 'FAILED'}`,
    `${report.scans} scans, ${report.registrations} registrations, ${report.meetings} meeting requests and answers, ${report.faults.length} faults`,
    '',
    ...(perFault
      ? [
          '| fault | what | s | tried | answered | retried | unanswered | whole again after (s) | first answer after (s) | longest without an answer (s) |',
          '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
          ...report.faults.map(
            (f) =>
              `| ${f.kind} | ${f.detail} | ${f.seconds} | ${f.tried} | ${f.answered} | ${f.retried} | ${f.unanswered} | ${cell(f.recoverySeconds)} | ${cell(f.firstAnswerSeconds)} | ${f.longestSilenceSeconds} |`,
          ),
        ]
      : [
          '| fault | times | tried | answered | retried | unanswered | whole again after, worst (s) | first answer after, worst (s) | longest without an answer, worst (s) |',
          '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
          ...kindRows(report.faults),
        ]),
    '',
    '| check | ok | checked | counts | problems |',
    '| --- | --- | ---: | --- | --- |',
    ...report.checks.map(
      (c) =>
        `| ${c.name} | ${c.ok ? 'yes' : '**no**'} | ${c.checked} | ${Object.entries(c.counts)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')} | ${c.problems.slice(0, 3).join('; ').replaceAll('|', '/')} |`,
    ),
  ];
  return lines.join('\n');
}
