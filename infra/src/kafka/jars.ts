import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InfraError } from '../errors.ts';
import { INFRA_DIR, cacheDir } from '../paths.ts';
import { KAFKA_VERSION } from './version.ts';

const POM = join(INFRA_DIR, 'kafka', 'pom.xml');
const COMPLETE_MARK = '.complete';

export interface JarOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Extra Maven arguments (tests use `-o` with an empty local repository to simulate no network). */
  readonly mavenArgs?: readonly string[];
  readonly log?: (line: string) => void;
}

export function kafkaLibDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir(env), `kafka-${KAFKA_VERSION}`, 'libs');
}

/**
 * The folder of Kafka's jars, fetched from Maven Central on first use into the cache. A folder
 * is used only once a fetch completed (a marker file), so an interrupted download is redone.
 */
export function ensureKafkaJars(options: JarOptions = {}): string {
  const env = options.env ?? process.env;
  const libDir = kafkaLibDir(env);
  if (existsSync(join(libDir, COMPLETE_MARK))) return libDir;

  const staging = `${libDir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  options.log?.(`Fetching Apache Kafka ${KAFKA_VERSION} jars from Maven Central into ${libDir} (once) ...`);
  const args = [
    '-B',
    '-q',
    '-f',
    POM,
    `-Dkafka.version=${KAFKA_VERSION}`,
    ...(options.mavenArgs ?? []),
    'dependency:copy-dependencies',
    `-DoutputDirectory=${staging}`,
    '-DincludeScope=runtime',
  ];
  const result = spawnSync('mvn', args, { encoding: 'utf8', env });
  if (result.error) {
    rmSync(staging, { recursive: true, force: true });
    throw new InfraError(
      "Maven (`mvn`) is needed once to fetch Apache Kafka's jars and was not found. Install it " +
        '(`apt-get install maven`), or use Docker (`docker compose up kafka redis`), or set KAFKA_BROKERS.',
    );
  }
  const fetched = readdirSync(staging).filter((f) => f.endsWith('.jar'));
  if (result.status !== 0 || !fetched.some((f) => f.startsWith('kafka_2.13-'))) {
    rmSync(staging, { recursive: true, force: true });
    const detail = `${result.stdout}\n${result.stderr}`
      .split('\n')
      .filter((l) => l.includes('ERROR'))
      .slice(0, 3)
      .join('\n');
    throw new InfraError(
      `Could not fetch Apache Kafka ${KAFKA_VERSION} jars from Maven Central and none are cached in ${libDir}. ` +
        'Check the network or Maven settings (~/.m2/settings.xml), or set KAFKA_BROKERS to an existing cluster.' +
        (detail ? `\nMaven said:\n${detail}` : ''),
    );
  }
  writeFileSync(join(staging, COMPLETE_MARK), `${new Date().toISOString()}\n`);
  rmSync(libDir, { recursive: true, force: true });
  mkdirSync(join(libDir, '..'), { recursive: true });
  renameSync(staging, libDir);
  return libDir;
}
