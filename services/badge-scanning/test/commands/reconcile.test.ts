import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, asDevice, defineVenue, OPS_TOKEN, scanBody, setupScanning, type TestScanning } from '../helper.ts';

// `pnpm --filter @expo/badge-scanning reconcile`, as an operator runs it, on a platform whose
// topics carry a TOPIC_PREFIX (several platforms on one broker): it must fold that platform's own
// scan log, not the unprefixed topics of another.
const SERVICE_DIR = fileURLToPath(new URL('../..', import.meta.url));
let t: TestScanning;

beforeAll(async () => {
  t = await setupScanning('reconcile-command');
});
afterAll(async () => t.close());

async function runReconcile(env: Record<string, string>): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/commands/reconcile.ts'], {
      cwd: SERVICE_DIR,
      env: { ...process.env, ...env },
      timeout: 60_000,
    });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

describe('reconcile command', () => {
  it('folds the scan log of the platform named by TOPIC_PREFIX: occupancy 3 in the hall, drift 0', async () => {
    const devices = await defineVenue(t.app, [{ zoneId: 'hall-1', parentId: null }]);
    const badges = await t.issueBadges(3);
    for (const badge of badges) {
      const answer = await t.app.inject({ method: 'POST', url: '/v1/scans', headers: asDevice(devices['hall-1']!), payload: scanBody(badge, 'in') });
      expect(answer.json()).toMatchObject({ decision: 'accepted' });
    }

    const { code, output } = await runReconcile({
      KAFKA_BROKERS: t.config.KAFKA_BROKERS,
      REDIS_URL: t.config.REDIS_URL,
      EXPO_ID: t.names.expoId,
      ADMIN_TOKENS: ADMIN_TOKEN,
      OPS_TOKENS: OPS_TOKEN,
      TOPIC_PREFIX: t.names.topicPrefix,
      LOG_LEVEL: 'warn',
    });
    expect(output).toContain('total drift 0, misplaced badges 0');
    expect(output).toMatch(/hall-1\W+3\W+3\W+0/);
    expect(code).toBe(0);
  });
});
