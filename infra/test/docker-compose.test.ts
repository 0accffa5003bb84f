import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_DIR } from '../src/paths.ts';
import { discoverServices, SERVICE_PORTS } from '../src/services.ts';
import { KAFKA_VERSION } from '../src/kafka/version.ts';

// No Docker engine runs here, so the compose file is held correct by reading it.
interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; target?: string; args?: Record<string, string> };
  environment?: Record<string, string | number>;
  ports?: string[];
  healthcheck?: { test: string[] };
  command?: string[];
  depends_on?: Record<string, { condition: string }>;
}
const compose = parse(readFileSync(join(REPO_DIR, 'docker-compose.yml'), 'utf8')) as { services: Record<string, ComposeService> };
const dockerfileTargets = (file: string) =>
  [...readFileSync(join(REPO_DIR, file), 'utf8').matchAll(/^FROM \S+ AS (\S+)$/gm)].map((m) => m[1]);


describe('docker-compose.yml', () => {
  it('runs the official Apache Kafka image of the pinned version in KRaft mode, with a health check', () => {
    const kafka = compose.services.kafka!;
    expect(kafka.image).toBe(`apache/kafka:${KAFKA_VERSION}`);
    expect(kafka.environment?.KAFKA_PROCESS_ROLES).toBe('broker,controller');
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
    expect((compose.services['redis-replica']!.command ?? []).join(' ')).toContain('--replicaof redis 6379');
  });

  it('provisions topics once Kafka is healthy', () => {
    const topics = compose.services.topics!;
    expect(topics.depends_on).toEqual({ kafka: { condition: 'service_healthy' } });
    expect(topics.environment?.KAFKA_BROKERS).toBe('kafka:19092');
  });

  it('builds every image from a Dockerfile target that exists', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (!service.build) continue;
      expect(existsSync(join(REPO_DIR, service.build.dockerfile)), name).toBe(true);
      expect(dockerfileTargets(service.build.dockerfile), name).toContain(service.build.target);
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
