import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { waitForBroker } from '../src/kafka/admin.ts';
import { isPortFree } from '../src/ports.ts';
import { discoverServices, SERVICE_PORTS } from '../src/services.ts';
import { pidsMatching, waitUntil } from './helpers.ts';

const CLI = join(import.meta.dirname, '..', 'src', 'cli.ts');

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

describe('the infra command line', () => {
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
    expect(await waitUntil(() => pidsMatching(env.EXPO_DATA_DIR!).length === 0, 10_000)).toBe(true);
    expect(await isPortFree(portOf(kafkaBrokers))).toBe(true);
    expect(await isPortFree(portOf(redisUrl))).toBe(true);
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
    await waitForBroker(kafkaBrokers, 5000);
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
