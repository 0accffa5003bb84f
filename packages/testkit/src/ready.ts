/** Anything that answers `inject('/readyz')`: a built fastify service. */
interface Injectable {
  inject(url: string): PromiseLike<{ statusCode: number; body: string }>;
}

/**
 * Waits until a service built for a test answers /readyz with 200: its Kafka and Redis are
 * reachable, its consumers caught up once and its state rebuilt. Fails with the last answer.
 */
export async function waitUntilReady(app: Injectable, label: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await app.inject('/readyz');
    if (res.statusCode === 200) return;
    if (Date.now() > deadline) throw new Error(`${label} did not become ready within ${timeoutMs} ms: ${res.body}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
