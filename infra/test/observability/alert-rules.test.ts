import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { alertRules, OBSERVABILITY_DIR } from './queries.ts';

// Debian's `prometheus` package (infra/platform.sh installs it for the tests), as packages/testkit's.
const PROMTOOL = process.env.PROMTOOL_PATH ?? '/usr/bin/promtool';

function promtool(...args: string[]): { status: number | null; output: string } {
  if (!existsSync(PROMTOOL)) throw new Error(`No promtool at ${PROMTOOL}: apt-get install prometheus, or set PROMTOOL_PATH`);
  const run = spawnSync(PROMTOOL, args, { cwd: OBSERVABILITY_DIR, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

interface RuleTest {
  alertname: string;
  exp_alerts?: unknown[];
}
const unitTests = parse(readFileSync(join(OBSERVABILITY_DIR, 'alerts.test.yml'), 'utf8')) as {
  rule_files: string[];
  tests: { alert_rule_test?: RuleTest[] }[];
};

describe('alerts.yml', () => {
  it('is accepted by promtool check rules', () => {
    const checked = promtool('check', 'rules', 'alerts.yml');
    expect(checked.output).toContain(`SUCCESS: ${alertRules().length} rules found`);
    expect(checked.status, checked.output).toBe(0);
  });

  it('passes its unit tests (promtool test rules alerts.test.yml)', () => {
    expect(unitTests.rule_files).toEqual(['alerts.yml']);
    const tested = promtool('test', 'rules', 'alerts.test.yml');
    expect(tested.output).toContain('SUCCESS');
    expect(tested.status, tested.output).toBe(0);
  });

  it('has unit tests where each alert fires and where it stays quiet', () => {
    const cases = unitTests.tests.flatMap((t) => t.alert_rule_test ?? []);
    for (const { alert } of alertRules()) {
      const own = cases.filter((c) => c.alertname === alert);
      expect(
        own.some((c) => (c.exp_alerts ?? []).length > 0),
        `${alert} fires in some test`,
      ).toBe(true);
      expect(
        own.some((c) => (c.exp_alerts ?? []).length === 0),
        `${alert} stays quiet in some test`,
      ).toBe(true);
    }
  });

  it('gives every alert a severity and a summary and description for the people on duty', () => {
    const names = alertRules().map((r) => r.alert);
    expect(names).toEqual([...new Set(names)]);
    expect(names).toEqual(
      expect.arrayContaining([
        'ZoneNearlyFull',
        'ZoneFull',
        'ScanAnswersSlow',
        'High5xxRate',
        'ConsumerLagGrowing',
        'DeadLetterRecords',
        'ServiceNotReady',
        'KafkaProduceErrors',
        'RebuildRunning',
      ]),
    );
    for (const rule of alertRules()) {
      expect(['critical', 'warning'], rule.alert).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary, rule.alert).toMatch(/\S/);
      expect(rule.annotations?.description?.length ?? 0, rule.alert).toBeGreaterThan(80);
    }
  });
});

describe('prometheus.yml', () => {
  it('is a configuration promtool accepts, with alerts.yml as its rules', () => {
    const checked = promtool('check', 'config', 'prometheus.yml');
    expect(checked.output).toContain('SUCCESS: 1 rule files found');
    expect(checked.status, checked.output).toBe(0);
    const config = parse(readFileSync(join(OBSERVABILITY_DIR, 'prometheus.yml'), 'utf8')) as { rule_files: string[] };
    expect(config.rule_files).toEqual(['alerts.yml']);
  });
});
