#!/usr/bin/env -S node --import tsx
// The operator's entry point behind `pnpm dev`, `pnpm infra:up` and `pnpm infra:down`.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { InfraError } from './errors.ts';
import { devDataDir, REPO_DIR } from './paths.ts';
import { devExpo, devExpoEnv } from './dev-expo.ts';
import { devSecrets, devServiceEnv } from './dev-secrets.ts';
import { adminKafkaEnv, devSecurity, serviceCredentialsEnv } from './dev-security.ts';
import { spawnGuarded, stopProcess } from './process.ts';
import { discoverServices, SERVICE_PORTS, waitForReady } from './services.ts';
import { stopSupervised, superviseServices } from './supervisor.ts';
import { instancesReady, startReplicated } from './replicas.ts';
import { CLUSTER_REPLICATION } from './kafka/cluster.ts';
import { REDIS_PASSWORDS_FILE } from './redis/acl.ts';
import { adminConnection, provisionTopics, startInfra, type Infra, type InfraOptions } from './stack.ts';
import { clearRunState, readRunState, writeRunState } from './state.ts';

const DEV_PORTS = { kafka: 9092, redis: 6380 };
const log = (line: string): void => console.log(`[infra] ${line}`);

/** The exports that reach the platform's Kafka and Redis: on a secured one, as the admin (its password file, its Redis URL). */
function printConnection(kafkaBrokers: string, redisUrl: string, kafkaAuth: Record<string, string> = {}): void {
  const auth = Object.entries(kafkaAuth).map(([name, value]) => `export ${name}=${value}\n`);
  console.log(`\nexport KAFKA_BROKERS=${kafkaBrokers}\n${auth.join('')}export REDIS_URL=${redisUrl}\n`);
}

/**
 * `--cluster`: three KRaft nodes and a Redis Cluster; without it, EXPO_KAFKA_NODES and
 * EXPO_REDIS_CLUSTER decide each on its own.
 */
function clusterOptions(cluster: boolean): Pick<InfraOptions, 'kafkaNodes' | 'redisCluster'> {
  return cluster ? { kafkaNodes: 3, redisCluster: true } : {};
}

/** The topic table on the Kafka just started: three copies of each partition on a cluster. */
function provisionStarted(infra: Infra) {
  const replication = infra.kafkaCluster ? { replicationFactor: CLUSTER_REPLICATION.factor } : {};
  return provisionTopics(infra.kafkaBrokers, { ...replication, connection: adminConnection(infra) });
}

/** What `pnpm dev` says about the platform's security, once it is up. */
function securityLine(infra: Infra, insecure: boolean): string {
  const kafka = infra.kafka?.credentials;
  const redis = infra.redis !== null && Object.keys(infra.redis.userUrls).length > 0;
  if (kafka && redis) {
    const files = `${kafka.file} and ${join(devDataDir(), 'redis', REDIS_PASSWORDS_FILE)}`;
    return `secured: Kafka with SASL/SCRAM and the topic table's ACLs, Redis with ACL users; each service connects as its own user, the exports below are the admin's (passwords in ${files})`;
  }
  const why = insecure ? '--insecure' : 'not started by `pnpm dev` (infra:up, KAFKA_BROKERS/REDIS_URL) or a cluster (not secured yet)';
  const what = kafka ? 'Redis without ACL users' : redis ? 'Kafka without authentication' : 'Kafka and Redis without authentication';
  return `${what}: ${why}`;
}

async function up(cluster: boolean): Promise<void> {
  const running = readRunState();
  if (running) {
    log('already running (pnpm infra:down stops it)');
    printConnection(running.kafkaBrokers, running.redisUrl);
    return;
  }
  const options = { dataDir: devDataDir(), ownerPid: 0, preferredPorts: DEV_PORTS, ...clusterOptions(cluster), log };
  const infra = await startInfra(options);
  const changes = await provisionStarted(infra);
  log(`topics provisioned (${changes.length} changed)`);
  writeRunState({ kafkaBrokers: infra.kafkaBrokers, redisUrl: infra.redisUrl, pids: infra.pids });
  printConnection(infra.kafkaBrokers, infra.redisUrl);
}

/**
 * The topic table on the Kafka at KAFKA_BROKERS (docker-compose.yml's provisioning jobs).
 * TOPIC_REPLICATION_FACTOR sets the copies of each topic created now; unset, the cluster's default.
 * TOPIC_PREFIX provisions the prefixed set the services of one expo use (their TOPIC_PREFIX).
 */
async function topics(): Promise<void> {
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers) throw new InfraError('`topics` provisions an existing cluster: set KAFKA_BROKERS.');
  const factor = process.env.TOPIC_REPLICATION_FACTOR;
  const replicationFactor = factor ? Number(factor) : undefined;
  if (replicationFactor !== undefined && !(Number.isInteger(replicationFactor) && replicationFactor >= 1)) {
    throw new InfraError(`TOPIC_REPLICATION_FACTOR takes a whole number from 1 up, not ${factor}`);
  }
  const topicPrefix = process.env.TOPIC_PREFIX ?? '';
  const changes = await provisionTopics(brokers, { topicPrefix, ...(replicationFactor === undefined ? {} : { replicationFactor }) });
  log(
    `topics${topicPrefix ? ` (prefix ${topicPrefix})` : ''} provisioned on ${brokers}: ${changes.length === 0 ? 'already up to date' : changes.map((c) => `${c.topic} ${c.action}`).join(', ')}`,
  );
}

async function down(): Promise<void> {
  const running = readRunState();
  if (running) await Promise.all(running.pids.map((pid) => stopProcess(pid)));
  clearRunState();
  log(running ? 'stopped' : 'nothing was running');
}

async function dev(reset: boolean, demo: boolean, cluster: boolean, replicas: number, insecure: boolean): Promise<void> {
  const shared = readRunState();
  if (reset) {
    if (shared) throw new InfraError('`--reset` would wipe data under a running `pnpm infra:up`; run `pnpm infra:down` first.');
    rmSync(devDataDir(), { recursive: true, force: true });
    log(`reset: removed ${devDataDir()}`);
  }
  const stopping = new AbortController();
  process.once('SIGINT', () => stopping.abort());
  process.once('SIGTERM', () => stopping.abort());
  const env = shared ? { ...process.env, KAFKA_BROKERS: shared.kafkaBrokers, REDIS_URL: shared.redisUrl } : process.env;
  if (shared && cluster && !shared.redisUrl.includes(',')) {
    log('--cluster ignored: reusing the running `infra:up` (one broker, one Redis)');
  }
  const options = { dataDir: devDataDir(), ownerPid: process.pid, env, preferredPorts: DEV_PORTS, ...clusterOptions(cluster), log };
  // Secured unless asked not to: each service gets its own Kafka user and Redis user (issue 21).
  const infra = await startInfra({ ...options, ...(insecure ? {} : devSecurity(options)) });
  await provisionStarted(infra);
  const services = discoverServices();
  const secrets = devSecrets(devDataDir());
  const expo = devExpo(devDataDir());
  const sharedEnv = {
    ...process.env,
    ...devServiceEnv(devDataDir(), secrets),
    ...devExpoEnv(expo),
    KAFKA_BROKERS: infra.kafkaBrokers,
    REDIS_URL: infra.redisUrl,
  };
  const serviceEnv = (service: string): NodeJS.ProcessEnv => ({ ...sharedEnv, ...serviceCredentialsEnv(infra, service) });
  const logs = join(devDataDir(), 'logs');
  // Every service process is kept running until Ctrl-C; a restart is told on this terminal.
  const supervision = { log: (line: string): void => console.log(`[dev] ${line}`), signal: stopping.signal };
  const running = replicas > 1 ? null : superviseServices(services, serviceEnv, logs, supervision);
  const replicated = replicas > 1 ? await startReplicated(services, replicas, serviceEnv, devDataDir(), log, supervision) : null;
  const started = replicated ? `${replicas} instances each of ${services.map((s) => s.name).join(', ')}` : services.map((s) => s.name).join(', ');
  log(services.length === 0 ? 'no services yet: infrastructure only' : `started ${started} (logs in ${logs})`);
  log(securityLine(infra, insecure));
  printConnection(infra.kafkaBrokers, infra.redisUrl, adminKafkaEnv(infra));
  const instancesUp = replicated ? await instancesReady(replicated, 180_000, stopping.signal) : [];
  const ready = await Promise.all(
    services.map(async (service) => {
      const port = SERVICE_PORTS[service.name];
      const up = port !== undefined && (await waitForReady(port, 180_000, stopping.signal));
      const instances = replicated?.instances.map((i, n) => ({ ...i, up: instancesUp[n] })).filter((i) => i.name === service.name) ?? [];
      const down = instances.filter((i) => !i.up);
      if (up && down.length === 0)
        log(
          `${service.name}: http://127.0.0.1:${port} (API docs: http://127.0.0.1:${port}/docs)${replicated ? `, HAProxy over ${instances.length} instances on :${instances.map((i) => i.port).join(', :')}` : ''}`,
        );
      else if (!stopping.signal.aborted)
        log(`${service.name} is not ready after 180 s: see ${down.length > 0 ? down.map((i) => i.logFile).join(', ') : join(logs, `${service.name}.log`)}`);
      return up && down.length === 0;
    }),
  );
  const allReady = services.length === Object.keys(SERVICE_PORTS).length && ready.every(Boolean);
  if (services.length > 0) {
    console.log(`\ndevelopment tokens:\n  admin: ${secrets.adminToken}\n  ops:   ${secrets.opsToken}`);
    console.log(`dashboard: http://127.0.0.1:${SERVICE_PORTS.analytics}/dashboard#token=${secrets.opsToken}\n`);
  }
  log('Ctrl-C stops everything');
  if (demo && !allReady) log('not every service is ready: no demo expo, no simulator');
  const simulator = demo && allReady && !stopping.signal.aborted ? startDemo(secrets.adminToken, expo.firstDay) : null;
  await new Promise<void>((resolve) => (stopping.signal.aborted ? resolve() : stopping.signal.addEventListener('abort', () => resolve())));
  log('stopping ...');
  if (simulator) await stopProcess(simulator.pid, 60_000);
  if (running) await stopSupervised(running);
  await replicated?.stop();
  await infra.stop();
  log('stopped');
}

/** Simulation steps per second of the demo: a living expo at a fraction of one core. */
const DEMO_RATE = 10;

/**
 * The simulator's `demo` command in a process of its own, on this terminal: it seeds the demo expo
 * through the services' routes when the platform is empty, then walks visitors at DEMO_RATE.
 */
function startDemo(adminToken: string, openingDay: string) {
  const url = (name: string) => `http://127.0.0.1:${SERVICE_PORTS[name]}`;
  const simulatorDir = join(REPO_DIR, 'packages', 'simulator');
  const args = ['--import', 'tsx', 'src/cli.ts', 'demo', '--state', join(devDataDir(), 'simulator'), '--opening-day', openingDay, '--rate', String(DEMO_RATE)];
  const env = {
    ...process.env,
    ADMIN_TOKEN: adminToken,
    REGISTRATION_URL: url('registration'),
    BADGE_SCANNING_URL: url('badge-scanning'),
    MATCHMAKING_URL: url('matchmaking'),
    ANALYTICS_URL: url('analytics'),
  };
  return spawnGuarded(process.execPath, args, { ownerPid: process.pid, env, cwd: simulatorDir });
}

async function main(): Promise<void> {
  const flags = {
    reset: { type: 'boolean', default: false },
    'no-demo': { type: 'boolean', default: false },
    // Three KRaft nodes and a Redis Cluster (EXPO_KAFKA_NODES=3 and EXPO_REDIS_CLUSTER=1 do the same).
    cluster: { type: 'boolean', default: false },
    // N instances of every service behind HAProxy on the usual ports (1: no balancer).
    replicas: { type: 'string', default: '1' },
    // Kafka and Redis without users (debugging): `pnpm dev` secures them otherwise.
    insecure: { type: 'boolean', default: false },
  } as const;
  const { positionals, values } = parseArgs({ allowPositionals: true, options: flags });
  const command = positionals[0];
  if (command === 'up') return up(values.cluster);
  if (command === 'down') return down();
  const replicas = Number(values.replicas);
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 8) throw new InfraError(`--replicas takes a whole number from 1 to 8, not ${values.replicas}`);
  if (command === 'dev') return dev(values.reset, !values['no-demo'], values.cluster, replicas, values.insecure);
  if (command === 'topics') return topics();
  throw new InfraError(
    `usage: cli.ts up [--cluster] | down | dev [--reset] [--no-demo] [--cluster] [--replicas N] [--insecure] | topics (got ${command ?? 'nothing'})`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof InfraError ? `[infra] ${error.message}` : error);
  process.exit(1);
});
