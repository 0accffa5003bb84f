import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_DIR } from '../src/paths.ts';
import { discoverServices, SERVICE_PORTS } from '../src/services.ts';
import { CLUSTER_REPLICATION } from '../src/kafka/cluster.ts';
import { KAFKA_VERSION } from '../src/kafka/version.ts';

// No Docker engine runs here, so the compose file is held correct by reading it.
interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; target?: string; args?: Record<string, string> };
  profiles?: string[];
  deploy?: { replicas?: number };
  environment?: Record<string, string | number>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] };
  command?: string[];
  depends_on?: Record<string, { condition: string }>;
  restart?: string;
}
interface Compose {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}
// Merge keys (`<<: *anchor`) resolved, as Compose reads the file.
const compose = parse(readFileSync(join(REPO_DIR, 'docker-compose.yml'), 'utf8'), { merge: true }) as Compose;
const dockerfileTargets = (file: string) => [...readFileSync(join(REPO_DIR, file), 'utf8').matchAll(/^FROM \S+ AS (\S+)$/gm)].map((m) => m[1]);

/** The services `docker compose [--profile p ...] up` starts: those of no profile and those of an active one. */
const enabledServices = (profiles: string[]) => Object.entries(compose.services).filter(([, s]) => !s.profiles || s.profiles.some((p) => profiles.includes(p)));
const hostPort = (mapping: string) => mapping.slice(0, mapping.lastIndexOf(':'));
const named = (service: ComposeService) => (service.volumes ?? []).map((v) => v.split(':')[0]!).filter((v) => !/^[./~]/.test(v));
const env = (name: string) => compose.services[name]?.environment ?? {};
const healthy = { condition: 'service_healthy' };
const completed = { condition: 'service_completed_successfully' };

describe('docker-compose.yml', () => {
  it('runs the official Apache Kafka image of the pinned version in KRaft mode, its log in the volume, with a health check', () => {
    const kafka = compose.services.kafka!;
    expect(kafka.image).toBe(`apache/kafka:${KAFKA_VERSION}`);
    expect((kafka as { volumes?: string[] }).volumes).toContain(`kafka-data:${kafka.environment?.KAFKA_LOG_DIRS}`);
    expect(kafka.environment?.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(kafka.environment?.KAFKA_CONTROLLER_QUORUM_VOTERS).toBe(`${kafka.environment?.KAFKA_NODE_ID}@kafka:9093`);
    expect(Object.keys(compose.volumes ?? {})).toContain('kafka-data');
    expect(String(kafka.environment?.KAFKA_ADVERTISED_LISTENERS)).toContain('HOST://localhost:9092');
    expect(kafka.ports).toContain('9092:9092');
    expect(kafka.healthcheck?.test.join(' ')).toContain('kafka-broker-api-versions.sh');
  });

  it('runs Redis as a deployment does: AOF synced every second, no eviction, a replica, a health check', () => {
    const redis = compose.services.redis!;
    expect(redis.image).toMatch(/^redis:7/);
    expect(redis.healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
    expect(redis.ports).toEqual(['6380:6379']);
    const flags = (redis.command ?? []).join(' ');
    expect(flags).toContain('--appendonly yes');
    expect(flags).toContain('--appendfsync everysec');
    expect(flags).toContain('--maxmemory-policy noeviction');
    const replica = compose.services['redis-replica']!;
    expect(replica.image).toBe(redis.image);
    expect((replica.command ?? []).join(' ')).toContain('--replicaof redis 6379');
    expect(replica.depends_on).toEqual({ redis: healthy });
  });

  it('provisions topics once Kafka is healthy', () => {
    const topics = compose.services.topics!;
    expect(topics.depends_on).toEqual({ kafka: { condition: 'service_healthy' } });
    expect(topics.environment?.KAFKA_BROKERS).toBe('kafka:19092');
    // The provisioning command of the dev CLI (`pnpm topics`), run once.
    expect(topics.command?.slice(-2)).toEqual(['infra/src/cli.ts', 'topics']);
    expect(existsSync(join(REPO_DIR, 'infra', 'src', 'cli.ts'))).toBe(true);
    expect(topics.restart).toBe('no');
  });

  it('builds every image from a Dockerfile target that exists', () => {
    const built = Object.entries(compose.services).filter(([, service]) => service.build);
    expect(built.length).toBeGreaterThan(0);
    for (const [name, { build }] of built) {
      expect(existsSync(join(REPO_DIR, build!.dockerfile)), name).toBe(true);
      expect(dockerfileTargets(build!.dockerfile), name).toContain(build!.target);
    }
  });

  it('starts every service of services/ after its dependencies are healthy and topics exist', () => {
    for (const { name } of discoverServices()) {
      const service = compose.services[name];
      expect(service, `compose service for services/${name}`).toBeDefined();
      expect(service!.build).toMatchObject({ dockerfile: 'infra/Dockerfile', target: 'service', args: { SERVICE: name } });
      expect(service!.depends_on).toMatchObject({
        kafka: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
        topics: { condition: 'service_completed_successfully' },
      });
      expect(service!.environment).toMatchObject({ KAFKA_BROKERS: 'kafka:19092', REDIS_URL: 'redis://redis:6379' });
      expect(service!.ports).toContain(`${SERVICE_PORTS[name]}:${SERVICE_PORTS[name]}`);
      expect(service!.healthcheck?.test.join(' ')).toContain('/readyz');
    }
  });
});

describe('infra/Dockerfile', () => {
  const dockerfile = readFileSync(join(REPO_DIR, 'infra', 'Dockerfile'), 'utf8');
  const stage = (name: string) => dockerfile.slice(dockerfile.indexOf(` AS ${name}\n`)).split(/\nFROM /)[0]!;

  it('runs a service compiled from the folder `pnpm deploy --prod` made, as its start script does', () => {
    const build = stage('service-build');
    expect(build).toContain('turbo run build --filter "@expo/$SERVICE"');
    expect(build).toContain('pnpm --filter "@expo/$SERVICE" deploy --prod --offline /out');
    const service = stage('service');
    expect(dockerfile).toContain('FROM node:20-bookworm-slim AS service\n');
    expect(service).toContain('COPY --from=service-build /out ./');
    expect(service).toContain('USER node');
    expect(service).toContain('NODE_ENV=production');
    const command = /^CMD \["sh", "-c", "exec (.*)"\]$/m.exec(service)?.[1];
    for (const { name, dir } of discoverServices()) {
      const { scripts } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts: { start: string } };
      expect(command, name).toBe(scripts.start);
    }
  });
});

describe('docker-compose.yml against the Compose Specification', () => {
  it('is valid by the JSON Schema of the Compose Specification', () => {
    // dclint (a compose linter) ships the specification's schema file; it is read from there.
    const dclint = dirname(createRequire(import.meta.url).resolve('dclint/package.json'));
    // The file names draft-07 by an https address Ajv does not know under that name: it is Ajv's default draft.
    const { $schema: _draft, ...schema } = JSON.parse(readFileSync(join(dclint, 'schemas', 'compose.schema.json'), 'utf8')) as Record<string, unknown>;
    // Union types (`type: [string, number]`) are how the specification writes its fields, and it
    // leaves out `type: object` where `properties` implies it.
    const validate = new Ajv({ allErrors: true, allowUnionTypes: true, strictTypes: false }).compile(schema);
    validate(compose);
    expect(validate.errors ?? []).toEqual([]);
  });

  it.each([[[]], [['cluster']], [['observability']], [['cluster', 'observability']]])(
    'with profiles %j: every dependency starts too, every volume is declared, no host port twice',
    (profiles: string[]) => {
      const enabled = enabledServices(profiles);
      const names = new Set(enabled.map(([name]) => name));
      for (const [name, service] of enabled) {
        for (const dependency of Object.keys(service.depends_on ?? {})) expect(names, `${name} depends on ${dependency}`).toContain(dependency);
        for (const volume of named(service)) expect(Object.keys(compose.volumes ?? {}), `${name}'s volume`).toContain(volume);
      }
      const published = enabled.flatMap(([, s]) => (s.ports ?? []).map(hostPort));
      expect(published).toEqual([...new Set(published)]);
    },
  );

  it('leaves `docker compose up` as it was: the cluster and observability profiles add services, they change none', () => {
    const platform = ['kafka', 'redis', 'redis-replica', 'topics', ...discoverServices().map((s) => s.name)];
    expect(
      enabledServices([])
        .map(([name]) => name)
        .sort(),
    ).toEqual(platform.sort());
    for (const [name, service] of Object.entries(compose.services)) {
      if (!platform.includes(name)) expect([['cluster'], ['observability']], name).toContainEqual(service.profiles);
    }
    expect(
      enabledServices(['observability'])
        .map(([name]) => name)
        .sort(),
    ).toEqual([...platform, 'grafana', 'prometheus'].sort());
  });

  it('restarts every long-running service unless it was stopped, and no one-shot job', () => {
    // A one-shot job is one that others wait to have completed (topics, the Redis Cluster's set-up, keys).
    const oneShot = new Set(
      Object.values(compose.services).flatMap((s) =>
        Object.entries(s.depends_on ?? {})
          .filter(([, d]) => d.condition === completed.condition)
          .map(([name]) => name),
      ),
    );
    expect(oneShot.size).toBeGreaterThan(0);
    for (const [name, service] of Object.entries(compose.services)) {
      expect(service.restart, name).toBe(oneShot.has(name) ? 'no' : 'unless-stopped');
    }
  });
});

describe('docker-compose.yml, cluster profile', () => {
  const kafkaNodes = ['kafka-1', 'kafka-2', 'kafka-3'];
  const redisNodes = ['redis-1', 'redis-2', 'redis-3', 'redis-4', 'redis-5', 'redis-6'];
  const internalBrokers = kafkaNodes.map((n) => `${n}:19092`).join(',');

  it('runs three KRaft nodes of the pinned Kafka, each broker and controller of a quorum naming all three', () => {
    const voters = kafkaNodes.map((node, i) => `${i + 1}@${node}:9093`).join(',');
    const advertised = kafkaNodes.map((node, i) => {
      const service = compose.services[node]!;
      expect(service.image, node).toBe(`apache/kafka:${KAFKA_VERSION}`);
      expect(service.environment).toMatchObject({ KAFKA_NODE_ID: i + 1, KAFKA_PROCESS_ROLES: 'broker,controller', KAFKA_CONTROLLER_QUORUM_VOTERS: voters });
      expect(String(service.environment?.KAFKA_LISTENERS)).toContain('CONTROLLER://:9093');
      expect(named(service), node).toEqual([`cluster-${node}`]);
      expect(service.healthcheck?.test.join(' ')).toContain('kafka-broker-api-versions.sh');
      const host = /HOST:\/\/localhost:(\d+)/.exec(String(service.environment?.KAFKA_ADVERTISED_LISTENERS))?.[1];
      expect(String(service.environment?.KAFKA_ADVERTISED_LISTENERS)).toContain(`INTERNAL://${node}:19092`);
      expect(service.ports).toEqual([`${host}:9092`]);
      return host;
    });
    expect(new Set(advertised).size).toBe(3);
    expect(new Set(kafkaNodes.map((n) => env(n).CLUSTER_ID)).size).toBe(1);
  });

  it('keeps three copies of every partition, internal topics too, two in sync for an acknowledged write', () => {
    const { factor, minInsyncReplicas } = CLUSTER_REPLICATION;
    // Three copies, one on each node; two of them in sync before a write is acknowledged.
    expect(factor).toBe(kafkaNodes.length);
    expect(minInsyncReplicas).toBe(2);
    for (const node of kafkaNodes) {
      expect(env(node), node).toMatchObject({
        KAFKA_DEFAULT_REPLICATION_FACTOR: factor,
        KAFKA_MIN_INSYNC_REPLICAS: minInsyncReplicas,
        KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE: 'false',
        KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: factor,
        KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: factor,
        KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: minInsyncReplicas,
        KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
      });
    }
    const topics = compose.services['cluster-topics']!;
    expect(topics.command).toEqual(compose.services.topics!.command);
    expect(topics.environment).toEqual({ KAFKA_BROKERS: internalBrokers, TOPIC_REPLICATION_FACTOR: factor });
    expect(topics.depends_on).toEqual(Object.fromEntries(kafkaNodes.map((n) => [n, healthy])));
  });

  it('runs a Redis Cluster of six nodes as the single Redis runs, joined once every node is healthy', () => {
    for (const node of redisNodes) {
      const service = compose.services[node]!;
      expect(service.image, node).toBe(compose.services.redis!.image);
      const flags = (service.command ?? []).join(' ');
      for (const flag of ['--cluster-enabled yes', '--appendonly yes', '--appendfsync everysec', '--maxmemory-policy noeviction'])
        expect(flags, node).toContain(flag);
      expect(service.healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
      expect(named(service), node).toEqual([`cluster-${node}`]);
    }
    const create = compose.services['redis-cluster']!;
    const script = (create.command ?? []).join(' ');
    expect(script).toContain(`redis-cli --cluster create ${redisNodes.map((n) => `${n}:6379`).join(' ')}`);
    expect(script).toMatch(/--cluster-replicas 1 --cluster-yes/);
    expect(create.depends_on).toEqual(Object.fromEntries(redisNodes.map((n) => [n, healthy])));
  });

  it('runs several replicas of each service on all three brokers and the Redis Cluster, once the infrastructure is ready', () => {
    for (const { name } of discoverServices()) {
      const service = compose.services[`cluster-${name}`];
      expect(service, `cluster-${name}`).toBeDefined();
      expect(service!.build).toMatchObject({ dockerfile: 'infra/Dockerfile', target: 'service', args: { SERVICE: name } });
      expect(service!.deploy?.replicas).toBeGreaterThanOrEqual(2);
      // Replicas cannot share a host port: HAProxy publishes the service.
      expect(service!.ports).toBeUndefined();
      expect(service!.depends_on).toMatchObject({
        ...Object.fromEntries(kafkaNodes.map((n) => [n, healthy])),
        'redis-cluster': completed,
        'cluster-topics': completed,
      });
      expect(service!.environment?.KAFKA_BROKERS).toBe(internalBrokers);
      expect(service!.healthcheck?.test.join(' ')).toContain(`127.0.0.1:${SERVICE_PORTS[name]}/readyz`);
    }
  });

  it('gives the services REDIS_URL in the cluster form the service-kit reads: redis://host:port,host:port,…', () => {
    // packages/service-kit's clusterSeeds: one authority of two or more comma-separated host:port
    // seeds, no database number (infra cannot import it: the service-kit's tests depend on infra).
    for (const { name } of discoverServices()) {
      const url = String(env(`cluster-${name}`).REDIS_URL);
      const hosts = /^redis:\/\/([^/?#@]+)$/.exec(url)?.[1];
      expect(hosts, url).toBeDefined();
      const seeds = hosts!.split(',');
      expect(seeds.length).toBeGreaterThanOrEqual(2);
      for (const seed of seeds) {
        expect(seed).toMatch(/^[a-z0-9-]+:\d{1,5}$/);
        expect(redisNodes).toContain(seed.split(':')[0]);
      }
    }
  });

  it("creates registration's signing keys once, before its replicas start, where they read them", () => {
    const registration = compose.services['cluster-registration']!;
    const keys = compose.services['cluster-badge-keys']!;
    expect(registration.depends_on?.['cluster-badge-keys']).toEqual(completed);
    expect(keys.restart).toBe('no');
    expect(keys.deploy?.replicas ?? 1).toBe(1);
    expect(named(keys)).toEqual(named(registration));
    // The file lies in the volume both mount, at the same place.
    const mount = (service: ComposeService) => service.volumes?.find((v) => v.startsWith('cluster-badge-keys:'))?.split(':')[1];
    expect(mount(keys)).toBeDefined();
    expect(mount(registration)).toBe(mount(keys));
    const file = String(registration.environment?.BADGE_SIGNING_KEYS_FILE);
    expect(file.startsWith(`${mount(keys)}/`), file).toBe(true);
    expect((keys.command ?? []).join(' ')).toContain(`loadKeyRingFile('${file}'`);
    expect(keys.build).toEqual(registration.build);
  });
});

describe('docker-compose.yml, cluster profile: HAProxy', () => {
  const configPath = 'infra/haproxy/compose.cfg';
  const config = readFileSync(join(REPO_DIR, configPath), 'utf8');
  /** The lines of each section (`frontend registration`, `backend registration` ...), comments left out. */
  const sections = new Map<string, string[]>();
  let current = '';
  for (const line of config.split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('#'))) {
    if (/^\S/.test(line)) sections.set((current = line.trim()), []);
    else sections.get(current)?.push(line.trim());
  }
  const haproxy = compose.services.haproxy!;

  it('runs HAProxy 2.6 on the checked-in configuration', () => {
    expect(haproxy.image).toBe('haproxy:2.6');
    expect(haproxy.volumes).toContain(`./${configPath}:/usr/local/etc/haproxy/haproxy.cfg:ro`);
  });

  it('serves each service on its port, round robin over the replicas Docker DNS names, each checked on /readyz', () => {
    expect(sections.get('resolvers docker')).toContain('nameserver dns 127.0.0.11:53');
    expect(sections.get('defaults')?.find((l) => l.startsWith('default-server'))).toMatch(/init-addr none resolvers docker .*\bcheck\b/);
    for (const { name } of discoverServices()) {
      const port = SERVICE_PORTS[name]!;
      expect(sections.get(`frontend ${name}`)).toEqual([`bind :${port}`, `default_backend ${name}`]);
      const backend = sections.get(`backend ${name}`) ?? [];
      expect(backend).toContain('balance roundrobin');
      expect(backend).toContain('option httpchk GET /readyz');
      const slots = backend.map((l) => new RegExp(`^server-template \\S+ (\\d+) cluster-${name}:${port}$`).exec(l)?.[1]).find(Boolean);
      expect(Number(slots)).toBeGreaterThanOrEqual(compose.services[`cluster-${name}`]!.deploy!.replicas!);
      expect(haproxy.depends_on?.[`cluster-${name}`]).toBeDefined();
      expect(haproxy.ports?.some((p) => p.endsWith(`:${port}`))).toBe(true);
    }
  });

  it('has a configuration HAProxy accepts as it is, with no warning, though no compose name resolves here', () => {
    const checked = spawnSync('haproxy', ['-c', '-f', join(REPO_DIR, configPath)], { encoding: 'utf8' });
    expect(checked.error).toBeUndefined();
    expect(`${checked.stdout}${checked.stderr}`).not.toMatch(/WARNING|ALERT/);
    expect(checked.status).toBe(0);
  });
});
