import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// One test run for the whole repository: the global setup starts one real Kafka and one real
// Redis (packages/testkit), shared by every package's tests. Each workspace package is a project
// named after its package.json, so `vitest run --project @expo/bus` runs one package's tests.
const workspaceDirs = ['infra', ...['packages', 'services'].flatMap((top) => (existsSync(top) ? readdirSync(top).map((d) => join(top, d)) : []))];
const projects = workspaceDirs
  .filter((dir) => existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'test')))
  .map((dir) => ({
    extends: true as const,
    test: {
      name: (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string }).name,
      include: [`${dir}/test/**/*.test.ts`],
      // An explicit group (not vitest's default 0): with `--no-file-parallelism` vitest would put
      // default-order files in a group of their own that runs last, after the invariants below.
      sequence: { groupOrder: 1 },
    },
  }));

// Checks of what the suites above left in the shared Kafka and Redis (reconcile drift 0, analytics
// equal to a fresh fold): a project of its own whose files live in each service
// (`services/<name>/test-after/`), run once every project of group 1 has finished.
const invariants = {
  extends: true as const,
  test: {
    name: '@expo/suite-invariants',
    include: ['services/*/test-after/**/*.test.ts'],
    sequence: { groupOrder: 2 },
    // Each check builds service instances of its own: a few expos at a time on a 2-core machine.
    maxConcurrency: 4,
  },
};

export default defineConfig({
  test: {
    projects: [...projects, invariants],
    globalSetup: ['./packages/testkit/src/global-setup.ts'],
    reporters: ['default', './packages/testkit/src/summary-reporter.ts'],
    // Two test files at a time even on 2 cores (vitest's default there is one): the files mostly
    // wait on Kafka (group joins, acks) and Redis, each with its own topics, groups and expo id. On
    // the CI machine the suite took 877 s with two against about 2,000 s with one.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
  },
});
