import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_DIR } from '../../src/paths.ts';
import { discoverServices, SERVICE_PORTS } from '../../src/services.ts';
import { dashboard, dashboardPanels, dashboardQueries, DASHBOARD_FILE, OBSERVABILITY_DIR, queriedMetrics, withGrafanaVariables } from './queries.ts';

// No Docker engine runs here: the profile is held together by reading its files, as
// docker-compose.test.ts does for the rest of the compose file.
interface ComposeService {
  image?: string;
  profiles?: string[];
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
}
const compose = parse(readFileSync(join(REPO_DIR, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };
const readYaml = <T>(...path: string[]) => parse(readFileSync(join(OBSERVABILITY_DIR, ...path), 'utf8')) as T;

/** Container path → host path (relative to the repository) of a service's bind mounts. */
function binds(service: ComposeService): Map<string, string> {
  return new Map(
    (service.volumes ?? [])
      .filter((v) => v.startsWith('./'))
      .map((v) => {
        const [host, container] = v.split(':');
        return [container!, host!.slice(2)];
      }),
  );
}

interface ScrapeConfig {
  job_name: string;
  honor_labels?: boolean;
  static_configs?: { targets: string[]; labels?: Record<string, string> }[];
  dns_sd_configs?: { names: string[]; type: string; port: number }[];
  relabel_configs?: { source_labels: string[]; regex: string; target_label: string }[];
}
const prometheusConfig = readYaml<{ rule_files: string[]; scrape_configs: ScrapeConfig[] }>('prometheus.yml');
const job = (name: string) => prometheusConfig.scrape_configs.find((j) => j.job_name === name)!;

describe('the observability profile: Prometheus', () => {
  const prometheus = compose.services.prometheus!;
  const configFile = /--config\.file=(\S+)/.exec((prometheus.command ?? []).join(' '))?.[1] ?? '';

  it('runs a pinned official image on localhost:9090 in the observability profile only', () => {
    expect(prometheus.image).toMatch(/^prom\/prometheus:v\d+\.\d+\.\d+$/);
    expect(prometheus.profiles).toEqual(['observability']);
    expect(prometheus.ports).toEqual(['127.0.0.1:9090:9090']);
  });

  it('reads the checked-in configuration, and the alert rules where that configuration names them', () => {
    const mounts = binds(prometheus);
    expect(mounts.get(configFile)).toBe('infra/observability/prometheus.yml');
    for (const rules of prometheusConfig.rule_files) {
      expect(mounts.get(posix.join(posix.dirname(configFile), rules))).toBe(`infra/observability/${rules}`);
    }
    for (const host of mounts.values()) expect(existsSync(join(REPO_DIR, host)), host).toBe(true);
  });

  it('scrapes every service of the default stack by its compose name and port, labelled with its name', () => {
    const expo = job('expo');
    expect(expo.honor_labels).toBe(true);
    const targets = (expo.static_configs ?? []).map((c) => ({ target: c.targets.join(), service: c.labels?.service }));
    expect(targets.sort((x, y) => String(x.service).localeCompare(String(y.service)))).toEqual(
      discoverServices().map(({ name }) => ({ target: `${name}:${SERVICE_PORTS[name]}`, service: name })),
    );
    for (const { name } of discoverServices()) expect(compose.services[name]?.ports).toContain(`${SERVICE_PORTS[name]}:${SERVICE_PORTS[name]}`);
  });

  it("finds the cluster profile's replicas through Docker's DNS, labelled with the service they run", () => {
    const cluster = job('expo-cluster');
    expect(cluster.honor_labels).toBe(true);
    const found = (cluster.dns_sd_configs ?? []).map((c) => ({ names: c.names, type: c.type, port: c.port }));
    expect(found.sort((x, y) => x.names.join().localeCompare(y.names.join()))).toEqual(
      discoverServices().map(({ name }) => ({ names: [`cluster-${name}`], type: 'A', port: SERVICE_PORTS[name] })),
    );
    for (const { name } of discoverServices()) expect(compose.services[`cluster-${name}`]).toBeDefined();
    const relabel = cluster.relabel_configs?.find((r) => r.target_label === 'service');
    expect(relabel?.source_labels).toEqual(['__meta_dns_name']);
    expect('cluster-badge-scanning'.replace(new RegExp(`^${relabel!.regex}$`), '$1')).toBe('badge-scanning');
  });
});

describe('the observability profile: Grafana', () => {
  const grafana = compose.services.grafana!;
  const mounts = binds(grafana);
  const datasources = readYaml<{ datasources: { uid: string; type: string; url: string; isDefault?: boolean }[] }>(
    'grafana',
    'provisioning',
    'datasources',
    'prometheus.yml',
  ).datasources;
  const providers = readYaml<{ providers: { type: string; options: { path: string } }[] }>('grafana', 'provisioning', 'dashboards', 'expo.yml').providers;

  it('runs a pinned official image on localhost:3000 once Prometheus is healthy', () => {
    expect(grafana.image).toMatch(/^grafana\/grafana:\d+\.\d+\.\d+$/);
    expect(grafana.profiles).toEqual(['observability']);
    expect(grafana.ports).toEqual(['127.0.0.1:3000:3000']);
    expect(grafana.depends_on).toEqual({ prometheus: { condition: 'service_healthy' } });
  });

  it('is provisioned with the compose Prometheus as its data source', () => {
    expect(mounts.get('/etc/grafana/provisioning')).toBe('infra/observability/grafana/provisioning');
    const [source] = datasources;
    expect(datasources).toHaveLength(1);
    expect(source).toMatchObject({ type: 'prometheus', url: 'http://prometheus:9090', isDefault: true });
    expect(compose.services.prometheus!.ports?.[0]).toMatch(/:9090$/);
  });

  it('loads the dashboard from the folder the provider reads, and opens on it', () => {
    expect(providers).toHaveLength(1);
    const folder = providers[0]!.options.path;
    expect(mounts.get(folder)).toBe('infra/observability/grafana/dashboards');
    expect(readdirSync(join(OBSERVABILITY_DIR, 'grafana', 'dashboards'))).toEqual([basename(DASHBOARD_FILE)]);
    expect(grafana.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH).toBe(posix.join(folder, basename(DASHBOARD_FILE)));
  });

  it('queries that data source from every panel of the dashboard', () => {
    const uid = datasources[0]!.uid;
    const panels = dashboardPanels().filter((p) => (p as { type?: string }).type !== 'row');
    expect(panels.length).toBeGreaterThan(10);
    for (const panel of panels as { title: string; datasource?: { uid: string }; targets?: { datasource?: { uid: string } }[] }[]) {
      expect(panel.datasource?.uid, panel.title).toBe(uid);
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) expect(target.datasource?.uid, panel.title).toBe(uid);
    }
    const ids = dashboardPanels().map((p) => (p as { id: number }).id);
    expect(ids).toEqual([...new Set(ids)]);
    expect(dashboard().uid).toBe('expo-platform');
  });
});

describe('the dashboard', () => {
  const read = new Set(dashboardQueries().flatMap((q) => queriedMetrics(withGrafanaVariables(q.expr)).map((m) => m.name)));

  it('shows scans by decision, scan answer times, occupancy against capacity, lags, dead letters, readiness and rebuilds', () => {
    for (const name of [
      'scans_total',
      'http_request_duration_seconds_bucket',
      'zone_occupancy',
      'zone_capacity',
      'analytics_lag_seconds',
      'kafka_consumer_lag',
      'bus_dlq_records_waiting',
      'bus_dlq_records_total',
      'service_ready',
      'up',
      'state_whole',
      'state_rebuild_running',
      'state_rebuilds_total',
      'registrations_total',
      'meetings_total',
    ])
      expect(read, name).toContain(name);
    const heatmap = dashboardPanels().find((p) => (p as { type?: string }).type === 'heatmap') as { targets: { expr: string; format: string }[] } | undefined;
    expect(heatmap?.targets[0]).toMatchObject({
      format: 'heatmap',
      expr: expect.stringContaining('http_request_duration_seconds_bucket{service="badge-scanning", route="/v1/scans"'),
    });
  });
});
