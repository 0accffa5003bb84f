import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { discoverServices, freePort, startRedis } from '@expo/infra';
import { serviceAclUsers } from '@expo/schemas';
import type { ChaosPlatform } from '../platform/chaos-platform.ts';
import { ServiceInstance } from '../platform/service-instance.ts';
import { waitForAnalyticsEqual } from './analytics-equal.ts';
import type { CheckResult } from './check-result.ts';

export interface AnalyticsFreshOptions {
  readonly platform: ChaosPlatform;
  /** Where the fresh instance's Redis and log go. */
  readonly dir: string;
  readonly days: readonly string[];
  readonly zoneIds: readonly string[];
  readonly log: (line: string) => void;
  readonly timeoutMs?: number;
}

/**
 * Every analytics figure the platform shows equals what a fresh analytics instance computes by
 * folding the topics from the start into an empty Redis of its own, with consumer groups of its
 * own (and no footfall records published, so the log it checks stays as it was).
 */
export async function checkAnalyticsAgainstFresh(options: AnalyticsFreshOptions): Promise<CheckResult> {
  const service = discoverServices().find((s) => s.name === 'analytics');
  if (!service) throw new Error('no analytics service found');
  // A Redis of its own with the services' ACL users, as the platform's: the instance connects as analytics.
  const redis = await startRedis({ dataDir: join(options.dir, 'redis'), ownerPid: process.pid, acl: { users: serviceAclUsers() } });
  const port = await freePort();
  const env = {
    ...options.platform.serviceEnv('analytics'),
    REDIS_URL: redis.userUrls.analytics ?? redis.url,
    // Under the service's name, as its Kafka user may join only groups named `analytics.…`.
    CONSUMER_GROUP: `analytics.fresh-${randomBytes(4).toString('hex')}`,
    FOOTFALL_PUBLISH_INTERVAL_MS: String(2 ** 31 - 1),
  };
  const fresh = new ServiceInstance(service, 9, port, env, options.dir);
  fresh.start();
  try {
    if (!(await fresh.waitReady(180_000))) throw new Error(`the fresh analytics instance is not ready (log: ${fresh.logFile})`);
    options.log(`fresh analytics folding the topics from the start on ${fresh.url}`);
    const first = options.days[0]!;
    const last = options.days.at(-1)!;
    const from = new Date(`${first}T00:00:00+08:00`).toISOString();
    const to = new Date(Date.parse(`${last}T00:00:00+08:00`) + 86_400_000).toISOString();
    const results = [];
    for (const live of options.platform.addresses.analytics) {
      results.push(
        await waitForAnalyticsEqual({
          live,
          fresh: fresh.url,
          token: options.platform.opsToken,
          days: options.days,
          zoneIds: options.zoneIds,
          from,
          to,
          timeoutMs: options.timeoutMs ?? 120_000,
        }),
      );
    }
    return {
      name: 'analytics-fresh',
      ok: results.every((r) => r.ok),
      checked: results.reduce((n, r) => n + r.checked, 0),
      counts: { instances: results.length, differences: results.reduce((n, r) => n + (r.counts.differences ?? 0), 0) },
      problems: results.flatMap((r) => r.problems).slice(0, 20),
    };
  } finally {
    await fresh.stop();
    await redis.stop();
  }
}
