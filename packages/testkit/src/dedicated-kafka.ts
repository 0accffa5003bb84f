import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKafka, type KafkaCredentials, type KafkaOptions, type RunningKafka } from '@expo/infra';

export interface DedicatedKafka {
  readonly brokers: string;
  /** The running broker's guard process (its JVM is the guard's child), for tests that pause it; null while stopped. */
  readonly pid: number | null;
  /** The secured mode's users and passwords (started with `secured` only). */
  readonly credentials?: KafkaCredentials;
  /** Stops the broker (the data stays), as an outage would. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  restart(): Promise<void>;
  /** Stops it and removes its data. */
  destroy(): Promise<void>;
}

/**
 * A broker of the test's own, for fault tests that stop and restart Kafka without disturbing the
 * run's shared broker. Always the local runner (Apache Kafka's jars), bound to this process.
 * `secured`: SASL/SCRAM and ACLs; `tls`: a TLS client listener (certificates from makeTlsCerts).
 */
export async function startDedicatedKafka(options: Pick<KafkaOptions, 'secured' | 'tls'> = {}): Promise<DedicatedKafka> {
  const dataDir = mkdtempSync(join(tmpdir(), 'expo-dedicated-kafka-'));
  let running: RunningKafka | null = await startKafka({ dataDir, ownerPid: process.pid, ...options });
  const port = Number(running.brokers.split(':').at(-1));
  return {
    brokers: running.brokers,
    ...(running.credentials ? { credentials: running.credentials } : {}),
    get pid() {
      return running?.pid ?? null;
    },
    async stop() {
      await running?.stop();
      running = null;
    },
    async restart() {
      if (running) return;
      running = await startKafka({ dataDir, port, ownerPid: process.pid, ...options });
    },
    async destroy() {
      await running?.stop();
      running = null;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
