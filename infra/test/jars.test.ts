import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureKafkaJars, kafkaLibDir } from '../src/kafka/jars.ts';

describe('fetching Kafka jars', () => {
  it('uses the cached jars without calling Maven again', () => {
    const dir = ensureKafkaJars({ mavenArgs: ['-o', '-Dmaven.repo.local=/nonexistent'] });
    expect(dir).toBe(kafkaLibDir());
  });

  it('explains an unreachable Maven Central with no cached jars, without a stack trace', () => {
    const env = { ...process.env, EXPO_CACHE_DIR: mkdtempSync(join(tmpdir(), 'expo-cache-')) };
    // Offline with an empty local repository: what a machine with no network and no cache sees.
    const offline = ['-o', `-Dmaven.repo.local=${mkdtempSync(join(tmpdir(), 'm2-'))}`];
    expect(() => ensureKafkaJars({ env, mavenArgs: offline })).toThrow(
      /Could not fetch Apache Kafka 4\.1\.1 jars from Maven Central and none are cached in .*Check the network/s,
    );
  });
});
