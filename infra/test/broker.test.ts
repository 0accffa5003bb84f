import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { waitForBroker } from '../src/kafka/admin.ts';
import { startKafka } from '../src/kafka/broker.ts';
import { pidsMatching } from './helpers.ts';

const newDataDir = () => mkdtempSync(join(tmpdir(), 'expo-broker-test-'));

describe('the local Kafka broker', () => {
  it('starts, answers, and leaves no java process after stop', async () => {
    const dataDir = newDataDir();
    const started = Date.now();
    const kafka = await startKafka({ dataDir, ownerPid: process.pid });
    console.log(`broker up in ${Date.now() - started} ms (jars cached)`);
    expect(kafka.brokers).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(pidsMatching(dataDir).length).toBeGreaterThan(0);
    // Start-up waits for its own cluster, so a broker of another run that took the port is not taken for it.
    const refused = await waitForBroker(kafka.brokers, 1500, 'AAAAAAAAAAAAAAAAAAAAAQ').catch((e: unknown) => e as Error);
    expect(refused).toBeInstanceOf(Error);
    expect(String((refused as Error).cause)).toMatch(/another Kafka cluster \(\S+\) answers/);

    await kafka.stop();
    await expect
      .poll(() => pidsMatching(dataDir), { timeout: 5000, interval: 200, message: 'java processes of the broker still running 5 s after stop' })
      .toEqual([]);
  });

  it('goes away with its owner, even when the owner is killed with SIGKILL', async () => {
    const dataDir = newDataDir();
    const owner = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures', 'start-kafka.ts'), dataDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const firstLine = await new Promise<string>((resolve, reject) => {
      createInterface({ input: owner.stdout }).once('line', resolve);
      owner.once('exit', (code) => reject(new Error(`owner exited early with ${code}`)));
    });
    const announced = JSON.parse(firstLine) as { brokers: string };
    expect(announced.brokers).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(pidsMatching(dataDir).length).toBeGreaterThan(0);

    owner.kill('SIGKILL');
    await expect
      .poll(() => pidsMatching(dataDir), {
        timeout: 20_000,
        interval: 200,
        message: 'java processes of the broker still running 20 s after its owner was killed',
      })
      .toEqual([]);
  });

  it('fails with the tail of its log when the broker exits during start-up', async () => {
    const dataDir = newDataDir();
    // Storage formatted for another node id: Kafka refuses to start on it.
    mkdirSync(join(dataDir, 'kraft-logs'), { recursive: true });
    writeFileSync(
      join(dataDir, 'kraft-logs', 'meta.properties'),
      'version=1\ncluster.id=AAAAAAAAAAAAAAAAAAAAAQ\nnode.id=42\ndirectory.id=AAAAAAAAAAAAAAAAAAAAAg\n',
    );
    await expect(startKafka({ dataDir, ownerPid: process.pid })).rejects.toThrow(
      /Kafka exited during start-up \(code \d+\)\. Last lines of .*kafka\.log:\n[\s\S]*Stored node id 42/,
    );
    expect(pidsMatching(dataDir)).toEqual([]);
  });

  it('is stopped, with its log tail, when it does not answer within the time limit', async () => {
    const dataDir = newDataDir();
    await expect(startKafka({ dataDir, ownerPid: process.pid, startTimeoutMs: 300 })).rejects.toThrow(/Kafka did not come up within 0\.3 s\. Last lines of/);
    await expect
      .poll(() => pidsMatching(dataDir), { timeout: 5000, interval: 200, message: 'java processes of the broker still running 5 s after the failed start' })
      .toEqual([]);
  });
});
