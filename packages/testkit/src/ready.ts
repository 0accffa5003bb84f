import { vi } from 'vitest';

/** Anything that answers `inject('/readyz')`: a built fastify service. */
interface Injectable {
  inject(url: string): PromiseLike<{ statusCode: number; body: string }>;
}

/**
 * Waits until a service built for a test answers /readyz with 200: its Kafka and Redis are
 * reachable, its consumers caught up once and its state rebuilt. Fails with the last answer.
 */
export async function waitUntilReady(app: Injectable, label: string, timeoutMs = 60_000): Promise<void> {
  await vi.waitFor(
    async () => {
      const res = await app.inject('/readyz');
      if (res.statusCode !== 200) throw new Error(`${label} did not become ready within ${timeoutMs} ms: ${res.body}`);
    },
    { timeout: timeoutMs, interval: 50 },
  );
}
