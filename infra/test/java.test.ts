import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJavaMajor, requireJava } from '../src/java.ts';

function fakeJavaHome(versionLine: string): string {
  const home = mkdtempSync(join(tmpdir(), 'fake-java-'));
  mkdirSync(join(home, 'bin'));
  const java = join(home, 'bin', 'java');
  writeFileSync(java, `#!/bin/sh\necho '${versionLine}' >&2\n`);
  chmodSync(java, 0o755);
  return home;
}

describe('the Java check before starting Kafka', () => {
  it('reads the major version of old and new version strings', () => {
    expect(parseJavaMajor('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(parseJavaMajor('openjdk version "25" 2025-09-16')).toBe(25);
    expect(parseJavaMajor('java version "1.8.0_392"')).toBe(8);
    expect(parseJavaMajor('something else')).toBeNull();
  });

  it('accepts the Java of this machine', () => {
    expect(requireJava().major).toBeGreaterThanOrEqual(17);
  });

  it('names the fix when Java is too old', () => {
    const env = { ...process.env, JAVA_HOME: fakeJavaHome('openjdk version "11.0.22" 2024-01-16') };
    expect(() => requireJava(env)).toThrow(/needs Java 17\+, but .* is version 11\. Install Java 17 or newer.*KAFKA_BROKERS/s);
  });

  it('names the fix when there is no Java at all', () => {
    const env = { ...process.env, JAVA_HOME: join(tmpdir(), 'no-such-java-home') };
    expect(() => requireJava(env)).toThrow(/was not found\. Install Java 17 or newer.*docker compose up/s);
  });
});
