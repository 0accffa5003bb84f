import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_DIR } from '../../src/paths.ts';
import { discoverServices } from '../../src/services.ts';
import { alertRules, OBSERVABILITY_DIR, queriedMetrics } from './queries.ts';

// docs/operations.md, the metrics reference an operator reads, held to the metrics the code
// registers. Read from the source (TypeScript's own parser), not from live /metrics pages: every
// metric is registered by a `new Counter|Gauge|Histogram|Summary({ name: '…', … })` under
// packages/*/src or services/*/src, the registrations need no Kafka or Redis to be found, and
// queried-metrics.test.ts already starts the four services for what only a live page can show.

const DOC_FILE = join(REPO_DIR, 'docs', 'operations.md');
const METRIC_CLASSES = new Set(['Counter', 'Gauge', 'Histogram', 'Summary']);
// The section of the doc for metrics registered by packages (service-kit, the bus): every service has them.
const SHARED = 'Every service';
// prom-client's collectDefaultMetrics: registered by prom-client itself, documented in a section of their own.
const DEFAULTS = 'Process';
const DEFAULT_PREFIX = /^(process|nodejs)_/;
const SERVICES = discoverServices().map((s) => s.name);

interface Registration {
  readonly name: string;
  readonly type: string;
  readonly labels: readonly string[];
  /** SHARED for packages/, the service's folder name for services/<name>/. */
  readonly section: string;
  readonly where: string;
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** `new Counter(…)`, `new client.Gauge(…)`: the class constructed, if it is one of prom-client's metrics. */
function metricClass(node: ts.NewExpression): string | undefined {
  const callee = node.expression;
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  return name !== undefined && METRIC_CLASSES.has(name) ? name : undefined;
}

function stringLiterals(node: ts.Expression): string[] | undefined {
  const inner = ts.isAsExpression(node) || ts.isSatisfiesExpression(node) ? node.expression : node;
  if (!ts.isArrayLiteralExpression(inner)) return undefined;
  const values = inner.elements.map((e) => (ts.isStringLiteralLike(e) ? e.text : undefined));
  return values.every((v) => v !== undefined) ? values : undefined;
}

/**
 * Every metric registration in the workspace's sources, and those it cannot read (a name or label
 * list that is not written out as literals): the test fails on those rather than skip them.
 */
function registrations(): { found: Registration[]; unreadable: string[] } {
  const found: Registration[] = [];
  const unreadable: string[] = [];
  const roots = ['packages', 'services'].flatMap((top) => readdirSync(join(REPO_DIR, top)).map((name) => ({ top, name })));
  for (const { top, name } of roots) {
    for (const file of sourceFiles(join(REPO_DIR, top, name, 'src'))) {
      const text = readFileSync(file, 'utf8');
      if (!/\bnew\s+(\w+\.)?(Counter|Gauge|Histogram|Summary)\b/.test(text)) continue;
      const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node): void => {
        const type = ts.isNewExpression(node) ? metricClass(node) : undefined;
        if (type !== undefined && ts.isNewExpression(node)) {
          const where = `${relative(REPO_DIR, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
          const options = node.arguments?.[0];
          const property = (key: string) =>
            options !== undefined && ts.isObjectLiteralExpression(options)
              ? options.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText(source) === key)?.initializer
              : undefined;
          const metricName = property('name');
          const labelList = property('labelNames');
          const labels = labelList === undefined ? [] : stringLiterals(labelList);
          if (metricName === undefined || !ts.isStringLiteralLike(metricName) || labels === undefined) {
            unreadable.push(`${where}: new ${type}(…) without a literal name and labelNames`);
          } else {
            found.push({ name: metricName.text, type: type.toLowerCase(), labels, section: top === 'packages' ? SHARED : name, where });
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
  }
  return { found, unreadable };
}

interface DocRow {
  readonly names: readonly string[];
  readonly cells: readonly string[];
}

/** A markdown table row's cells (`\|` is a pipe inside a cell). */
function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

const backticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

/** The `## title` section of the doc, up to the next `## `. */
function docSection(doc: string, title: string): string {
  const start = doc.indexOf(`\n## ${title}\n`);
  expect(start, `docs/operations.md has a "## ${title}" section`).toBeGreaterThanOrEqual(0);
  const rest = doc.slice(start + 1);
  const end = rest.indexOf('\n## ', 1);
  return end < 0 ? rest : rest.slice(0, end);
}

/** The rows of every table under `### heading` of the Metrics section, by heading; a row may name several metrics. */
function metricTables(doc: string): Map<string, DocRow[]> {
  const tables = new Map<string, DocRow[]>();
  let heading: string | null = null;
  for (const line of docSection(doc, 'Metrics').split('\n')) {
    if (line.startsWith('### ')) {
      heading = line.slice(4).trim();
      tables.set(heading, []);
    } else if (heading !== null && line.startsWith('|')) {
      const row = cells(line);
      if (row[0] === 'metric' || /^-+$/.test(row[0] ?? '')) continue;
      tables.get(heading)!.push({ names: backticked(row[0] ?? ''), cells: row });
    }
  }
  return tables;
}

/** The heading of a section: its first word is the service's folder name, or SHARED / DEFAULTS. */
function sectionOf(heading: string): string {
  if (heading.startsWith(SHARED)) return SHARED;
  if (heading.startsWith(DEFAULTS)) return DEFAULTS;
  return heading.split(/\s/)[0]!.replaceAll('`', '');
}

describe('docs/operations.md: the metrics reference', () => {
  const doc = readFileSync(DOC_FILE, 'utf8');
  const { found, unreadable } = registrations();
  const tables = new Map([...metricTables(doc)].map(([heading, rows]) => [sectionOf(heading), rows]));
  const documented = (section: string) => new Map((tables.get(section) ?? []).flatMap((row) => row.names.map((name) => [name, row] as const)));

  it('finds every metric registration in the sources, each with a literal name and labels', () => {
    expect(unreadable).toEqual([]);
    // The shared ones (HTTP, readiness, auth, Kafka, the DLQ, the state lifecycle) and each service's own.
    expect(new Set(found.map((r) => r.section))).toEqual(new Set([SHARED, ...SERVICES]));
    for (const name of [
      'http_request_duration_seconds',
      'auth_failures_total',
      'kafka_consumer_lag',
      'bus_dlq_records_waiting',
      'state_whole',
      'scans_total',
    ]) {
      expect(found.map((r) => r.name)).toContain(name);
    }
    const names = found.map((r) => r.name);
    expect(names, 'one registration per metric name').toEqual([...new Set(names)]);
  });

  it('has a table for every service and one for what all of them share', () => {
    expect([...tables.keys()].sort()).toEqual([SHARED, DEFAULTS, ...SERVICES].sort());
  });

  it('lists every registered metric in the table of the section that registers it, with its type and labels', () => {
    const problems = found.flatMap((r) => {
      const row = documented(r.section).get(r.name);
      if (!row) return [`${r.name} (${r.where}) is not in the "${r.section}" table`];
      const [, type = '', labels = ''] = row.cells;
      const out: string[] = [];
      if (type !== r.type) out.push(`${r.name}: documented as a ${type}, registered as a ${r.type}`);
      if (backticked(labels).join(',') !== r.labels.join(','))
        out.push(`${r.name}: documented labels [${backticked(labels).join(', ')}], registered [${r.labels.join(', ')}]`);
      return out;
    });
    expect(problems).toEqual([]);
  });

  it('lists no metric that nobody registers, and only process and Node.js metrics as prom-client defaults', () => {
    const registered = new Set(found.map((r) => `${r.section}/${r.name}`));
    const stray = [...tables].flatMap(([section, rows]) =>
      rows.flatMap((row) =>
        row.names.filter((name) => (section === DEFAULTS ? !DEFAULT_PREFIX.test(name) : !registered.has(`${section}/${name}`))).map((n) => `${section}: ${n}`),
      ),
    );
    expect(stray).toEqual([]);
    for (const rows of tables.values()) for (const row of rows) expect(row.cells, row.names.join()).toHaveLength(5);
    expect(found.filter((r) => DEFAULT_PREFIX.test(r.name))).toEqual([]);
  });

  it('lists every alert with the metrics it reads and the promtool tests that cover it', () => {
    const unitTests = parse(readFileSync(join(OBSERVABILITY_DIR, 'alerts.test.yml'), 'utf8')) as {
      tests: { name: string; alert_rule_test?: { alertname: string }[] }[];
    };
    const rows = new Map(
      docSection(doc, 'Alerts')
        .split('\n')
        .filter((line) => line.startsWith('|'))
        .map(cells)
        .filter((row) => row[0] !== 'alert' && !/^-+$/.test(row[0] ?? ''))
        .map((row) => [row[0]!, row]),
    );
    const rules = alertRules();
    expect([...rows.keys()].sort()).toEqual(rules.map((r) => r.alert).sort());
    for (const rule of rules) {
      const [, severity, metrics = '', , tests = ''] = rows.get(rule.alert)!;
      expect(severity, rule.alert).toBe(rule.labels?.severity);
      expect(new Set(backticked(metrics)), `${rule.alert}: the metrics its expression reads`).toEqual(new Set(queriedMetrics(rule.expr).map((m) => m.name)));
      const covering = unitTests.tests.filter((t) => (t.alert_rule_test ?? []).some((c) => c.alertname === rule.alert)).map((t) => t.name);
      expect(covering.length, `${rule.alert} has a promtool test`).toBeGreaterThan(0);
      expect(new Set(backticked(tests)), `${rule.alert}: the alerts.test.yml tests that evaluate it`).toEqual(new Set(covering));
    }
  });
});
