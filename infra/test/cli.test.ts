import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Cluster } from 'ioredis';
import kafkajs from 'kafkajs';
import { describe, expect, inject, it } from 'vitest';
import { waitForBroker } from '../src/kafka/admin.ts';
import { createKafka } from '../src/kafka/client.ts';
import { isPortFree } from '../src/ports.ts';
import { guardedChildPid, isAlive } from '../src/process.ts';
import { REPO_DIR } from '../src/paths.ts';
import { clusterNodes } from '../src/redis/cluster-state.ts';
import type { RunState } from '../src/state.ts';
import { discoverServices, SERVICE_PORTS } from '../src/services.ts';
import { pidsMatching } from './helpers.ts';

const CLI = join(import.meta.dirname, '..', 'src', 'cli.ts');

// The run's Kafka, from the test kit's global setup (infra does not depend on the test kit).
declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
  }
}

/** The node process of one service under a `dev` command: a child of one of dev's guards, running in the service's folder. */
function serviceNodePid(devPid: number, service: string): number | null {
  const guards = spawnSync('pgrep', ['-P', String(devPid)], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter(Boolean)
    .map(Number);
  const dir = join(REPO_DIR, 'services', service);
  for (const guard of guards) {
    const pid = guardedChildPid(guard, 'node');
    if (pid !== null && readlinkSync(`/proc/${pid}/cwd`) === dir) return pid;
  }
  return null;
}

/** The environment of an operator with no Kafka or Redis configured, and a data folder of the test's own. */
function operatorEnv(): NodeJS.ProcessEnv {
  const { KAFKA_BROKERS: _k, REDIS_URL: _r, ...env } = process.env;
  return { ...env, EXPO_DATA_DIR: mkdtempSync(join(tmpdir(), 'expo-cli-test-')) };
}

function exported(output: string): { kafkaBrokers: string; redisUrl: string } {
  const kafkaBrokers = /export KAFKA_BROKERS=(\S+)/.exec(output)?.[1];
  const redisUrl = /export REDIS_URL=(\S+)/.exec(output)?.[1];
  if (!kafkaBrokers || !redisUrl) throw new Error(`no connection printed in:\n${output}`);
  return { kafkaBrokers, redisUrl };
}

const portOf = (address: string) => Number(address.split(':').at(-1));

// kafkajs is CommonJS: Node's ESM loader only exposes its default export.
const { ConfigResourceTypes } = kafkajs;

/** The seed nodes of a `redis://h1:p1,h2:p2,h3:p3` URL. */
const redisSeeds = (url: string) => url.slice('redis://'.length).split(',');

/** The brokers registered, and each topic's replica counts (one per partition) and `min.insync.replicas`. */
async function kafkaShape(brokers: string) {
  const admin = createKafka({ brokers, clientId: 'cli-test' }).admin();
  await admin.connect();
  try {
    const registered = (await admin.describeCluster()).brokers.length;
    const { topics } = await admin.fetchTopicMetadata({ topics: await admin.listTopics() });
    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: topics.map((t) => ({
        type: ConfigResourceTypes.TOPIC,
        name: t.name,
        configNames: ['min.insync.replicas'],
      })),
    });
    const minInsync = new Map(configs.resources.map((r) => [r.resourceName, r.configEntries[0]?.configValue]));
    const replication = topics.map((t) => ({
      topic: t.name,
      replicas: t.partitions.map((p) => p.replicas.length),
      minInsync: minInsync.get(t.name),
    }));
    return { registered, topics: replication };
  } finally {
    await admin.disconnect();
  }
}

/** Writes a key through ioredis's Cluster client from the seeds alone, and reads it back. */
async function clusterRoundTrip(url: string): Promise<string | null> {
  const seeds = redisSeeds(url).map((address) => ({ host: address.split(':')[0], port: portOf(address) }));
  const client = new Cluster(seeds, { enableOfflineQueue: false });
  try {
    await new Promise<void>((resolve, reject) => {
      client.once('ready', resolve);
      client.once('error', reject);
    });
    await client.set('{cli-test}:key', 'written');
    return await client.get('{cli-test}:key');
  } finally {
    client.disconnect();
  }
}

describe('the infra command line', () => {
  it('topics provisions the prefixed topic set of one expo (TOPIC_PREFIX) on an existing Kafka, once', async () => {
    const brokers = inject('kafkaBrokers');
    const prefix = `cli-${process.pid}-${Date.now()}.`;
    const run = () =>
      spawnSync(process.execPath, ['--import', 'tsx', CLI, 'topics'], {
        env: { ...process.env, KAFKA_BROKERS: brokers, TOPIC_PREFIX: prefix },
        encoding: 'utf8',
      });
    const first = run();
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain(`topics (prefix ${prefix}) provisioned`);
    const admin = createKafka({ brokers, clientId: 'cli-test' }).admin();
    await admin.connect();
    try {
      const ours = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
      expect(ours).toContain(`${prefix}scanning.scans.v1`);
      expect(ours).toContain(`${prefix}scanning.scans.v1.dlq`);
      const { topics } = await admin.fetchTopicMetadata({ topics: [`${prefix}scanning.scans.v1`] });
      expect(topics[0]?.partitions).toHaveLength(12);
      expect(run().stdout).toContain('already up to date');
    } finally {
      await admin.disconnect();
    }
  }, 60_000);

  it('infra:up starts Kafka and Redis in the background and prints how to reach them; infra:down stops them', async () => {
    const env = operatorEnv();
    const up = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'up'], { env, encoding: 'utf8' });
    expect(up.status, up.stderr).toBe(0);
    const { kafkaBrokers, redisUrl } = exported(up.stdout);
    await waitForBroker(kafkaBrokers, 5000);
    expect(await isPortFree(portOf(redisUrl))).toBe(false);

    const again = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'up'], { env, encoding: 'utf8' });
    expect(exported(again.stdout)).toEqual({ kafkaBrokers, redisUrl });

    const down = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'down'], { env, encoding: 'utf8' });
    expect(down.status, down.stderr).toBe(0);
    await expect
      .poll(() => pidsMatching(env.EXPO_DATA_DIR!), { timeout: 10_000, interval: 200, message: 'processes of infra:up still running 10 s after infra:down' })
      .toEqual([]);
    expect(await isPortFree(portOf(kafkaBrokers))).toBe(true);
    expect(await isPortFree(portOf(redisUrl))).toBe(true);
  }, 180_000);

  it('infra:up --cluster starts three Kafka nodes and a Redis Cluster; infra:down leaves nothing behind', async () => {
    const env = operatorEnv();
    const started = Date.now();
    const up = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'up', '--cluster'], { env, encoding: 'utf8' });
    console.log(`infra:up --cluster took ${Date.now() - started} ms`);
    expect(up.status, up.stderr).toBe(0);
    const { kafkaBrokers, redisUrl } = exported(up.stdout);
    expect(kafkaBrokers).toMatch(/^127\.0\.0\.1:\d+(,127\.0\.0\.1:\d+){2}$/);
    expect(redisUrl).toMatch(/^redis:\/\/127\.0\.0\.1:\d+(,127\.0\.0\.1:\d+){2}$/);

    await waitForBroker(kafkaBrokers, 5000);
    const { registered, topics } = await kafkaShape(kafkaBrokers);
    expect(registered).toBe(3);
    expect(topics.length).toBeGreaterThan(0);
    for (const t of topics) {
      expect(t, t.topic).toEqual({ topic: t.topic, replicas: t.replicas.map(() => 3), minInsync: '2' });
    }

    expect(await clusterRoundTrip(redisUrl)).toBe('written');
    const redisPorts = (await clusterNodes(portOf(redisSeeds(redisUrl)[0]!))).map((n) => n.port);
    expect(redisPorts).toHaveLength(6);

    // The run state names every process infra:down stops: the Kafka nodes' guards and the redis-servers.
    const { pids } = JSON.parse(readFileSync(join(env.EXPO_DATA_DIR!, 'infra-up.json'), 'utf8')) as RunState;
    expect(pids).toHaveLength(9);
    const down = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'down'], { env, encoding: 'utf8' });
    expect(down.status, down.stderr).toBe(0);
    // redis-server renames its process (`redis-server 127.0.0.1:<port> [cluster]`): its PIDs and ports tell.
    const left = () => [...pidsMatching(env.EXPO_DATA_DIR!), ...pids.filter(isAlive)];
    await expect.poll(left, { timeout: 10_000, interval: 200, message: 'processes of infra:up still running 10 s after infra:down' }).toEqual([]);
    for (const port of [...kafkaBrokers.split(',').map(portOf), ...redisPorts]) {
      expect(await isPortFree(port), `port ${port}`).toBe(true);
    }
  }, 180_000);

  it('dev starts every service, runs until Ctrl-C and then leaves no java, redis-server or service behind', async () => {
    const env = operatorEnv();
    const dev = spawn(process.execPath, ['--import', 'tsx', CLI, 'dev'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: dev.stdout }).on('line', (line) => {
        output += `${line}\n`;
        if (line.includes('Ctrl-C stops everything')) resolve();
      });
      dev.once('exit', (code) => reject(new Error(`dev exited early (${code}):\n${output}`)));
    });
    const { kafkaBrokers, redisUrl } = exported(output);
    // Secured by default (issue 21): the exports printed are the admin's, each service has its own user.
    expect(output).toContain('[infra] secured: Kafka with SASL/SCRAM');
    expect(output).toContain('export KAFKA_SASL_USERNAME=admin');
    expect(new URL(redisUrl).username).toBe('admin');
    const adminPasswordFile = /export KAFKA_SASL_PASSWORD_FILE=(\S+)/.exec(output)?.[1];
    const sasl = { mechanism: 'scram-sha-512', username: 'admin', password: readFileSync(adminPasswordFile!, 'utf8').trim() } as const;
    await waitForBroker(kafkaBrokers, 5000, undefined, 1, { sasl });
    for (const { name } of discoverServices()) expect(output).toContain(`${name}: http://127.0.0.1:${SERVICE_PORTS[name]}`);
    expect(output).toMatch(/admin: dev-admin-[0-9a-f]{24}/);
    const [, analytics, opsToken] = /dashboard: (http:\/\/\S+)\/dashboard#token=(dev-ops-[0-9a-f]{24})/.exec(output) ?? [];
    expect(opsToken).toBeDefined();

    // The demo expo is seeded and the simulator walks people in: the dashboard's feed shows them.
    const live = async () => {
      const response = await fetch(`${analytics}/v1/live`, { headers: { authorization: `Bearer ${opsToken}` } });
      const body = (await response.json()) as { zones: Array<{ zoneId: string; occupancy: number }> };
      return body.zones.find((z) => z.zoneId === 'necc')?.occupancy ?? 0;
    };
    await expect.poll(live, { timeout: 180_000, interval: 2000 }).toBeGreaterThan(0);
    expect(output).toMatch(/demo expo loaded in [\d.]+ s: 55 zones/);

    // badge-scanning killed with kill -9: dev starts it again and says so, and the simulator waits
    // for it instead of exiting: the new process answers its scans.
    const scanningUrl = `http://127.0.0.1:${SERVICE_PORTS['badge-scanning']}`;
    const scansAnswered = async () => {
      const text = await fetch(`${scanningUrl}/metrics`, { headers: { authorization: `Bearer ${opsToken}` } }).then(
        (r) => r.text(),
        () => '',
      );
      const lines = text
        .split('\n')
        .filter((l) => l.startsWith('http_request_duration_seconds_count{') && l.includes('route="/v1/scans"') && l.includes('status_code="200"'));
      return lines.reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
    };
    const scanning = serviceNodePid(dev.pid!, 'badge-scanning');
    expect(scanning).not.toBeNull();
    process.kill(scanning!, 'SIGKILL');
    await expect.poll(() => output, { timeout: 30_000 }).toContain('[dev] badge-scanning exited (code 137), restarting in 1s');
    await expect
      .poll(
        () =>
          fetch(`${scanningUrl}/readyz`).then(
            (r) => r.status,
            () => 0,
          ),
        { timeout: 120_000, interval: 1000 },
      )
      .toBe(200);
    expect(serviceNodePid(dev.pid!, 'badge-scanning')).not.toBe(scanning);
    await expect.poll(scansAnswered, { timeout: 120_000, interval: 2000 }).toBeGreaterThan(0);

    const exited = new Promise<number | null>((resolve) => dev.once('exit', resolve));
    dev.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(pidsMatching(env.EXPO_DATA_DIR!)).toEqual([]);
    expect(await isPortFree(portOf(kafkaBrokers))).toBe(true);
    expect(await isPortFree(portOf(redisUrl))).toBe(true);
    for (const { name } of discoverServices()) expect(await isPortFree(SERVICE_PORTS[name]!)).toBe(true);
    // Kafka, Redis, four services each waited for until ready, and the demo seeded: minutes on a busy 2-core machine.
  }, 480_000);
});
