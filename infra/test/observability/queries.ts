import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { parse } from 'yaml';
import { REPO_DIR } from '../../src/paths.ts';

type SyntaxNode = ReturnType<typeof parser.parse>['topNode'];

export const OBSERVABILITY_DIR = join(REPO_DIR, 'infra', 'observability');
export const DASHBOARD_FILE = join(OBSERVABILITY_DIR, 'grafana', 'dashboards', 'expo-platform.json');

/** A PromQL expression and where it is written (an alert, a dashboard panel). */
export interface Query {
  readonly where: string;
  readonly expr: string;
}

/** A metric an expression reads, and the `service` it names, if it names exactly one. */
export interface QueriedMetric {
  readonly name: string;
  readonly service?: string;
}

export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export function alertRules(): AlertRule[] {
  const file = parse(readFileSync(join(OBSERVABILITY_DIR, 'alerts.yml'), 'utf8')) as { groups: { rules: AlertRule[] }[] };
  return file.groups.flatMap((g) => g.rules);
}

export function alertQueries(): Query[] {
  return alertRules().map((rule) => ({ where: `alert ${rule.alert}`, expr: rule.expr }));
}

interface Panel {
  title?: string;
  targets?: { expr?: string }[];
  panels?: Panel[];
}

export function dashboard(): { uid: string; panels: Panel[] } & Record<string, unknown> {
  return JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as { uid: string; panels: Panel[] };
}

/** Every panel of the dashboard, those inside rows included. */
export function dashboardPanels(): Panel[] {
  const walk = (panels: Panel[]): Panel[] => panels.flatMap((p) => [p, ...walk(p.panels ?? [])]);
  return walk(dashboard().panels);
}

export function dashboardQueries(): Query[] {
  return dashboardPanels().flatMap((panel) =>
    (panel.targets ?? []).flatMap((t) => (t.expr === undefined ? [] : [{ where: `panel "${panel.title ?? '?'}"`, expr: t.expr }])),
  );
}

// Grafana's interval variables stand where PromQL has a duration.
const GRAFANA_DURATIONS = /\$__(rate_interval|interval|range)\b/g;

/** The PromQL Prometheus receives for a dashboard expression: Grafana's variables replaced. */
export function withGrafanaVariables(expr: string): string {
  return expr.replace(GRAFANA_DURATIONS, '5m');
}

function stringValue(literal: string): string {
  // PromQL strings are "…", '…' or `…` (raw); the dashboard and the rules use the first two.
  return literal.startsWith('`') ? literal.slice(1, -1) : (JSON.parse(`"${literal.slice(1, -1).replaceAll('"', '\\"')}"`) as string);
}

function matchers(selector: SyntaxNode, text: (n: SyntaxNode) => string): { label: string; op: string; value: string }[] {
  const list = selector.getChild('LabelMatchers');
  if (!list) return [];
  return [...list.getChildren('UnquotedLabelMatcher'), ...list.getChildren('QuotedLabelMatcher')].map((m) => {
    const label = m.getChild('LabelName') ?? m.getChild('QuotedLabelName');
    const value = m.getChild('StringLiteral');
    return {
      label: label ? (label.name === 'QuotedLabelName' ? stringValue(text(label)) : text(label)) : '',
      op: m.getChild('MatchOp') ? text(m.getChild('MatchOp')!) : '',
      value: value ? stringValue(text(value)) : '',
    };
  });
}

/**
 * The metrics an expression reads, by Prometheus's own PromQL grammar (@prometheus-io/lezer-promql):
 * the name of every vector selector (`name{…}` or `{__name__="name"}`), never a function, keyword,
 * label or duration. Throws on an expression the grammar does not accept.
 */
export function queriedMetrics(expr: string): QueriedMetric[] {
  const tree = parser.parse(expr);
  const text = (n: SyntaxNode) => expr.slice(n.from, n.to);
  const found: QueriedMetric[] = [];
  const errors: string[] = [];
  tree.iterate({
    enter: (ref) => {
      if (ref.type.isError) errors.push(`at ${ref.from}: "${expr.slice(ref.from, ref.to + 10)}"`);
      if (ref.name !== 'VectorSelector') return;
      const all = matchers(ref.node, text);
      const identifier = ref.node.getChild('Identifier');
      const name = identifier ? text(identifier) : all.find((m) => m.label === '__name__' && m.op === '=')?.value;
      if (name === undefined) throw new Error(`a selector without a metric name in: ${expr}`);
      const service = all.find((m) => m.label === 'service' && m.op === '=')?.value;
      found.push(service === undefined ? { name } : { name, service });
    },
  });
  if (errors.length > 0) throw new Error(`not PromQL (${errors.join('; ')}): ${expr}`);
  return found;
}
