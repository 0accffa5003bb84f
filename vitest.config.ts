import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// One test run for the whole repository: the global setup starts one real Kafka and one real
// Redis (packages/testkit), shared by every package's tests. Each workspace package is a project
// named after its package.json, so `vitest run --project @expo/bus` runs one package's tests.
const workspaceDirs = [
  'infra',
  ...['packages', 'services'].flatMap((top) => (existsSync(top) ? readdirSync(top).map((d) => join(top, d)) : [])),
];
const projects = workspaceDirs
  .filter((dir) => existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'test')))
  .map((dir) => ({
    extends: true as const,
    test: {
      name: (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string }).name,
      include: [`${dir}/test/**/*.test.ts`],
    },
  }));

export default defineConfig({
  test: {
    projects,
    globalSetup: ['./packages/testkit/src/global-setup.ts'],
    reporters: ['default', './packages/testkit/src/summary-reporter.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
  },
});
