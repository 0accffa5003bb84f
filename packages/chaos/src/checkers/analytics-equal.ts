import { FOOTFALL_BUCKETS } from '@expo/schemas';
import type { CheckResult } from './check-result.ts';
import { Tally } from './tally.ts';

export interface AnalyticsCompareOptions {
  /** Base URL of the analytics instance that lived through the run. */
  readonly live: string;
  /** Base URL of a second instance that folded the same topics from their start into an empty Redis. */
  readonly fresh: string;
  /** An ops or admin bearer token both accept. */
  readonly token: string;
  /** Venue days (YYYY-MM-DD) whose summary and dwell figures are compared. */
  readonly days: readonly string[];
  readonly zoneIds: readonly string[];
  /** ISO bounds of the footfall compared (at most 31 days apart, as the route allows). */
  readonly from: string;
  readonly to: string;
  /** Patience per request; a slower answer counts as none. */
  readonly requestTimeoutMs?: number;
}

export interface AnalyticsWaitOptions extends AnalyticsCompareOptions {
  readonly timeoutMs: number;
  /** Pause between two comparisons. */
  readonly intervalMs?: number;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/**
 * Fields that say which instance answered or when, not what it folded. None of today's routes
 * carries one; they are dropped at any depth so a route that adds one does not fail the check.
 */
const INSTANCE_FIELDS = new Set(['generatedAt', 'checkedAt', 'lag', 'instanceId']);

/** Array elements are matched by these ids, so a difference names the zone, bucket or bin, not a position. */
const ROW_IDS = ['zoneId', 'start', 'fromMinutes'] as const;

const COUNTS = ['routes', 'differences', 'unanswered'];
const CONCURRENCY = 6;

interface Route {
  readonly path: string;
  readonly csv?: boolean;
  /** Puts two answers side by side, after each was made comparable on its own. */
  readonly align?: (live: JsonObject, fresh: JsonObject) => [JsonObject, JsonObject];
}

const isObject = (value: Json | undefined): value is JsonObject => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Objects without instance fields; arrays of rows keyed by their id. */
function comparable(value: Json): Json {
  if (Array.isArray(value)) {
    const id = ROW_IDS.find((key) => value.length > 0 && value.every((row) => isObject(row) && (typeof row[key] === 'string' || typeof row[key] === 'number')));
    const rows = value.map(comparable);
    if (id === undefined) return rows;
    const keyed = Object.fromEntries(value.map((row, i) => [String((row as JsonObject)[id] as string | number), rows[i]!]));
    return Object.keys(keyed).length === rows.length ? keyed : rows;
  }
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !INSTANCE_FIELDS.has(key))
      .map(([key, v]) => [key, comparable(v)]),
  );
}

/** CSV rows by their bucket start, each as an object of its columns. */
function csvRows(text: string): Json {
  const [header, ...lines] = text.split(/\r?\n/).filter((line) => line.length > 0);
  const columns = header?.split(',') ?? [];
  const rows: JsonObject = {};
  for (const line of lines) {
    const cells = line.split(',');
    rows[cells[columns.indexOf('start')] ?? line] = Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? null]));
  }
  return { header: header ?? null, rows };
}

/** `/v1/live`'s throughput, per minute start, over the minutes both answers' windows cover (it slides with the clock). */
function throughputByMinute(value: Json | undefined): Record<string, JsonObject> {
  if (!isObject(value) || !Array.isArray(value.minutes)) return {};
  const byGate = isObject(value.byGate) ? value.byGate : {};
  const total = Array.isArray(value.total) ? value.total : [];
  return Object.fromEntries(
    value.minutes.map((minute, i) => {
      const gates = Object.entries(byGate).flatMap(([gate, counts]) => (Array.isArray(counts) && counts[i] ? [[gate, counts[i]]] : []));
      return [new Date(Number(minute)).toISOString(), { total: total[i] ?? 0, ...Object.fromEntries(gates) }];
    }),
  );
}

function alignThroughput(live: JsonObject, fresh: JsonObject): [JsonObject, JsonObject] {
  const [l, f] = [throughputByMinute(live.throughput), throughputByMinute(fresh.throughput)];
  const common = (side: Record<string, JsonObject>, other: Record<string, JsonObject>) =>
    Object.fromEntries(Object.entries(side).filter(([minute]) => minute in other));
  return [
    { ...live, throughput: common(l, f) },
    { ...fresh, throughput: common(f, l) },
  ];
}

/** Every read route of analytics for the days, zones and range asked about. */
export function analyticsRoutes(options: Pick<AnalyticsCompareOptions, 'days' | 'zoneIds' | 'from' | 'to'>): Route[] {
  const q = encodeURIComponent;
  const range = `from=${q(options.from)}&to=${q(options.to)}`;
  const routes: Route[] = [{ path: '/v1/summary' }, { path: '/v1/live', align: alignThroughput }];
  for (const day of options.days) routes.push({ path: `/v1/summary?date=${q(day)}` });
  for (const zone of options.zoneIds) {
    for (const bucket of FOOTFALL_BUCKETS) {
      routes.push({ path: `/v1/footfall?zoneId=${q(zone)}&bucket=${bucket}&${range}` });
      routes.push({ path: `/v1/export/footfall.csv?zoneId=${q(zone)}&bucket=${bucket}&${range}`, csv: true });
    }
    for (const day of options.days) routes.push({ path: `/v1/dwell?zoneId=${q(zone)}&date=${q(day)}` });
  }
  return routes;
}

type Answer = { ok: true; value: Json } | { ok: false; why: string };

async function read(base: string, route: Route, options: AnalyticsCompareOptions): Promise<Answer> {
  try {
    const response = await fetch(new URL(route.path, base), {
      headers: { authorization: `Bearer ${options.token}` },
      signal: AbortSignal.timeout(options.requestTimeoutMs ?? 10_000),
    });
    const body = await response.text();
    if (response.status !== 200) return { ok: false, why: `${response.status} ${body.slice(0, 160)}` };
    return { ok: true, value: route.csv ? csvRows(body) : comparable(JSON.parse(body) as Json) };
  } catch (error) {
    return { ok: false, why: error instanceof Error ? error.message : String(error) };
  }
}

/** A value as a problem shows it: a whole differing answer is cut short (the counts say how many differ). */
function show(value: Json | undefined): string {
  if (value === undefined) return 'absent';
  const text = JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** Compares leaf by leaf; answers how many leaves were compared. */
function compare(live: Json | undefined, fresh: Json | undefined, field: string, differ: (field: string, live: string, fresh: string) => void): number {
  const bothObjects = live !== null && fresh !== null && typeof live === 'object' && typeof fresh === 'object' && Array.isArray(live) === Array.isArray(fresh);
  if (!bothObjects) {
    if (JSON.stringify(live) !== JSON.stringify(fresh)) differ(field || '(whole answer)', show(live), show(fresh));
    return 1;
  }
  let leaves = 0;
  const keys = new Set([...Object.keys(live), ...Object.keys(fresh)]);
  for (const key of keys) {
    const at = field ? `${field}.${key}` : key;
    leaves += compare((live as Record<string, Json>)[key], (fresh as Record<string, Json>)[key], at, differ);
  }
  return leaves;
}

async function inPool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
}

/**
 * Analytics' figures are the fold of its topics: an instance that lived through faults must answer
 * every read route exactly as one that folded the same topics from their start into an empty
 * Redis. Each differing leaf is a problem naming the route, the field and both values.
 */
export async function compareAnalytics(options: AnalyticsCompareOptions): Promise<CheckResult> {
  const tally = new Tally(COUNTS);
  const routes = analyticsRoutes(options);
  // Per route, in the order listed: each route's problems, however many finish first.
  const found: Array<Array<[name: string, sample: string]>> = routes.map(() => []);
  let leaves = 0;
  await inPool(
    routes.map((route, i) => ({ route, out: found[i]! })),
    CONCURRENCY,
    async ({ route, out }) => {
      tally.add('routes');
      const [live, fresh] = await Promise.all([read(options.live, route, options), read(options.fresh, route, options)]);
      if (!live.ok || !fresh.ok) {
        out.push(['unanswered', `GET ${route.path}: live ${live.ok ? '200' : live.why}; fresh ${fresh.ok ? '200' : fresh.why}`]);
        return;
      }
      const [l, f] = route.align && isObject(live.value) && isObject(fresh.value) ? route.align(live.value, fresh.value) : [live.value, fresh.value];
      leaves += compare(l, f, '', (field, a, b) => out.push(['differences', `GET ${route.path} ${field}: live ${a}, fresh ${b}`]));
    },
  );
  // Round robin over the routes: the few samples kept name as many routes as they can.
  for (let rank = 0; found.some((problems) => rank < problems.length); rank++) {
    for (const problems of found) {
      const problem = problems[rank];
      if (problem) tally.problem(...problem);
    }
  }
  return tally.result('analytics-equal', leaves);
}

/** Compares until both instances agree or `timeoutMs` has passed (the fresh one needs time to fold); the last result. */
export async function waitForAnalyticsEqual(options: AnalyticsWaitOptions): Promise<CheckResult> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const result = await compareAnalytics(options);
    if (result.ok || Date.now() >= deadline) return result;
    await new Promise((resolve) => setTimeout(resolve, Math.min(options.intervalMs ?? 1000, Math.max(0, deadline - Date.now()))));
  }
}
