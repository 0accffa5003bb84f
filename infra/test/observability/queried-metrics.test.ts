import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { devSecrets, devServiceEnv } from '../../src/dev-secrets.ts';
import { freePort } from '../../src/ports.ts';
import { logTail } from '../../src/process.ts';
import { discoverServices, startServices, stopServices, waitForReady, type RunningService } from '../../src/services.ts';
import { provisionTopics } from '../../src/stack.ts';
import { alertQueries, dashboardQueries, queriedMetrics, withGrafanaVariables, type Query } from './queries.ts';

// The run's Kafka and Redis, from the test kit's global setup (infra does not depend on the test kit).
declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
    redisUrl: string;
  }
}

// Four services starting at once on a shared machine.
const START_TIMEOUT_MS = 180_000;
// Series Prometheus makes itself for each target, never on a /metrics page.
const PROMETHEUS_GENERATED = new Set(['up']);
// What a histogram (or summary) named `x` puts on the page as series: x_bucket, x_sum, x_count.
const SERIES_SUFFIX = /^(.+)_(bucket|sum|count)$/;

interface Exposition {
  /** Metric name → type, from the `# TYPE` lines (prom-client writes them for metrics without series yet too). */
  readonly types: ReadonlyMap<string, string>;
  /** The `service` label of its samples. */
  readonly services: ReadonlySet<string>;
}

function exposition(text: string): Exposition {
  const types = new Map([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
  const services = new Set([...text.matchAll(/^[^#\s][^{\s]*\{[^}]*\bservice="([^"]*)"/gm)].map((m) => m[1]!));
  return { types, services };
}

/** Why `name` cannot be read from this page, or null when it can. */
function unreadable(page: Exposition, name: string): string | null {
  const type = page.types.get(name);
  if (type === 'histogram' || type === 'summary') return `${name} is a ${type}: its series are ${name}_bucket, _sum and _count`;
  if (type !== undefined) return null;
  const [, base, suffix] = SERIES_SUFFIX.exec(name) ?? [];
  const baseType = base === undefined ? undefined : page.types.get(base);
  if (baseType === 'histogram' || (baseType === 'summary' && suffix !== 'bucket')) return null;
  return `no ${name}`;
}

describe('the metrics the alerts and the dashboard read', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'observability-'));
  const running: RunningService[] = [];
  const ports: Record<string, number> = {};
  const pages = new Map<string, Exposition>();

  beforeAll(async () => {
    const suffix = randomBytes(5).toString('hex');
    const topicPrefix = `t.observability.${suffix}.`;
    const kafkaBrokers = inject('kafkaBrokers');
    await provisionTopics(kafkaBrokers, { topicPrefix });
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? tmpdir(),
      ...devServiceEnv(dataDir, devSecrets(dataDir)),
      KAFKA_BROKERS: kafkaBrokers,
      REDIS_URL: inject('redisUrl'),
      TOPIC_PREFIX: topicPrefix,
      EXPO_ID: `expo-observability-${suffix}`,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    };
    const services = discoverServices();
    for (const { name } of services) ports[name] = await freePort(Object.values(ports));
    // As `pnpm dev` starts them: from source, each with its Node flags, on a port of this test's.
    running.push(...startServices(services, env, dataDir, ports));
    await Promise.all(
      running.map(async (service) => {
        const port = ports[service.name]!;
        if (!(await waitForReady(port, START_TIMEOUT_MS))) {
          throw new Error(`${service.name} was not ready within ${START_TIMEOUT_MS} ms:\n${logTail(service.logFile)}`);
        }
        const response = await fetch(`http://127.0.0.1:${port}/metrics`);
        expect(response.status).toBe(200);
        pages.set(service.name, exposition(await response.text()));
      }),
    );
  }, START_TIMEOUT_MS + 60_000);

  afterAll(async () => {
    await stopServices(running);
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('come from services that label every series with the name prometheus.yml gives their target', () => {
    expect([...pages.keys()].sort()).toEqual(discoverServices().map((s) => s.name));
    for (const [name, page] of pages) expect([...page.services], name).toEqual([name]);
  });

  it.each([
    ['alert', alertQueries],
    ['dashboard panel', dashboardQueries],
  ])('are on the live /metrics of the services that expose them: every %s', (_kind, queries: () => Query[]) => {
    const all = queries();
    expect(all.length).toBeGreaterThan(0);
    const missing = all.flatMap(({ where, expr }) =>
      queriedMetrics(withGrafanaVariables(expr)).flatMap(({ name, service }) => {
        if (PROMETHEUS_GENERATED.has(name)) return [];
        const owners = service === undefined ? [...pages.values()] : [pages.get(service)].filter((p) => p !== undefined);
        const reasons = owners.map((page) => unreadable(page, name));
        if (reasons.includes(null)) return [];
        return [`${where}: ${reasons.find((r) => r !== `no ${name}`) ?? `no ${name}`} on ${service ?? 'any service'}`];
      }),
    );
    expect([...new Set(missing)]).toEqual([]);
  });
});
