import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { InfraError } from './errors.ts';

export const MIN_JAVA_MAJOR = 17;

const FIX =
  'Install Java 17 or newer (e.g. `apt-get install openjdk-17-jre-headless`, or set JAVA_HOME to it), ' +
  'or run Kafka some other way: `docker compose up kafka redis`, or set KAFKA_BROKERS to an existing cluster.';

/** `java -version` prints e.g. `openjdk version "17.0.15"` or, before Java 9, `java version "1.8.0_392"`. */
export function parseJavaMajor(versionOutput: string): number | null {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match?.[1]) return null;
  const first = Number(match[1]);
  return first === 1 && match[2] ? Number(match[2]) : first;
}

export function javaExecutable(env: NodeJS.ProcessEnv = process.env): string {
  return env.JAVA_HOME ? join(env.JAVA_HOME, 'bin', 'java') : 'java';
}

/** Finds a Java of at least MIN_JAVA_MAJOR or throws an InfraError naming the fix. */
export function requireJava(env: NodeJS.ProcessEnv = process.env): { executable: string; major: number } {
  const executable = javaExecutable(env);
  const result = spawnSync(executable, ['-version'], { encoding: 'utf8', env });
  if (result.error) {
    throw new InfraError(`Kafka needs Java ${MIN_JAVA_MAJOR}+, but \`${executable}\` was not found. ${FIX}`);
  }
  const major = parseJavaMajor(`${result.stderr}${result.stdout}`);
  if (major === null || major < MIN_JAVA_MAJOR) {
    throw new InfraError(`Kafka needs Java ${MIN_JAVA_MAJOR}+, but \`${executable}\` is version ${major ?? 'unknown'}. ${FIX}`);
  }
  return { executable, major };
}
