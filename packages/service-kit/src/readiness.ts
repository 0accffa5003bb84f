import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Gauge } from './metrics.ts';

/** A check's answer with the reason it is not ready, for the operator reading `/readyz`. */
export interface ReadinessVerdict {
  readonly ok: boolean;
  readonly detail?: string;
  /**
   * With `ok`: the instance can serve, yet something needs an operator (`status: 'warn'` with the
   * detail); `/readyz` still answers 200, since taking instances out of rotation would not help.
   */
  readonly warn?: boolean;
}

/** Resolves true (or ok) when the dependency can serve; false or a throw means not ready. */
export type ReadinessCheck = () => Promise<boolean | ReadinessVerdict>;

export interface ReadinessCheckResult {
  readonly name: string;
  readonly status: 'ok' | 'warn' | 'failed' | 'timeout';
  readonly detail?: string;
}

export interface Readiness {
  /** Adds a named check; `/readyz` answers 200 only while every check passes (`ok` or `warn`). */
  add(name: string, check: ReadinessCheck, options?: { timeoutMs?: number }): void;
  run(): Promise<{ ready: boolean; checks: ReadinessCheckResult[] }>;
}

declare module 'fastify' {
  interface FastifyInstance {
    readiness: Readiness;
  }
}

export const ReadinessReportSchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.array(z.object({ name: z.string(), status: z.enum(['ok', 'warn', 'failed', 'timeout']), detail: z.string().optional() })),
});

type StatusListener = (result: ReadinessCheckResult, error?: unknown) => void;

async function runCheck(name: string, check: ReadinessCheck, timeoutMs: number): Promise<[ReadinessCheckResult, unknown?]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const outcome = await Promise.race([check(), timeout]);
    if (outcome === 'timeout') return [{ name, status: 'timeout' }];
    if (typeof outcome === 'boolean') return [{ name, status: outcome ? 'ok' : 'failed' }];
    const status = outcome.ok ? (outcome.warn ? 'warn' : 'ok') : 'failed';
    return [{ name, status, ...(outcome.detail ? { detail: outcome.detail } : {}) }];
  } catch (error) {
    return [{ name, status: 'failed' }, error];
  } finally {
    clearTimeout(timer);
  }
}

/** `onChange` hears a check only when its status changes: probes every few seconds would flood logs. */
export function createReadiness(defaultTimeoutMs: number, onChange: StatusListener): Readiness {
  const checks = new Map<string, { check: ReadinessCheck; timeoutMs: number }>();
  const last = new Map<string, ReadinessCheckResult['status']>();
  const record = ([result, error]: [ReadinessCheckResult, unknown?]): ReadinessCheckResult => {
    if (last.get(result.name) !== result.status) onChange(result, error);
    last.set(result.name, result.status);
    return result;
  };
  return {
    add(name, check, options = {}) {
      if (checks.has(name)) throw new Error(`readiness check "${name}" is already registered`);
      checks.set(name, { check, timeoutMs: options.timeoutMs ?? defaultTimeoutMs });
    },
    async run() {
      const results = await Promise.all([...checks].map(async ([name, { check, timeoutMs }]) => record(await runCheck(name, check, timeoutMs))));
      return { ready: results.every((r) => r.status === 'ok' || r.status === 'warn'), checks: results };
    },
  };
}

/** `/healthz` says the process is up; `/readyz` says whether it can do its job right now. */
export function registerHealthRoutes(app: FastifyInstance, checkTimeoutMs: number): void {
  const onChange: StatusListener = ({ name, status }, error) => {
    if (status === 'ok') app.log.info({ check: name }, 'readiness check passes');
    else if (status === 'warn') app.log.warn({ check: name, status }, 'readiness check warns');
    else app.log.warn({ check: name, status, err: error }, 'readiness check fails');
  };
  app.decorate('readiness', createReadiness(checkTimeoutMs, onChange));
  // Asked at each scrape, of the very checks `/readyz` runs: the two never disagree.
  new Gauge({
    name: 'service_ready',
    help: '1 while /readyz would answer ready (every readiness check passes), 0 otherwise',
    registers: [app.metrics],
    async collect() {
      this.set((await app.readiness.run()).ready ? 1 : 0);
    },
  });
  const routes = app.withTypeProvider<ZodTypeProvider>();
  routes.get('/healthz', { schema: { tags: ['operations'], response: { 200: z.object({ status: z.literal('ok') }) } } }, () => ({ status: 'ok' as const }));
  routes.get('/readyz', { schema: { tags: ['operations'], response: { 200: ReadinessReportSchema, 503: ReadinessReportSchema } } }, async (_request, reply) => {
    const { ready, checks } = await app.readiness.run();
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
  });
}
