import type { FastifyInstance } from 'fastify';

export type CloseOutcome = 'closed' | 'failed' | 'timed_out';

/**
 * Closes the app (stop accepting, drain in-flight requests, then onClose hooks: consumers,
 * producers, Redis) but gives up after `graceMs` so a stuck dependency cannot block a deploy.
 */
export async function closeWithGrace(app: FastifyInstance, graceMs: number): Promise<CloseOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CloseOutcome>((resolve) => {
    timer = setTimeout(() => resolve('timed_out'), graceMs);
  });
  const closing = app.close().then(
    (): CloseOutcome => 'closed',
    (error: unknown): CloseOutcome => {
      app.log.error({ err: error }, 'error while closing');
      return 'failed';
    },
  );
  try {
    return await Promise.race([closing, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface RunOptions {
  readonly port: number;
  readonly host: string;
  /** How long closing may take before the process exits anyway; default 10 s. */
  readonly graceMs?: number;
  readonly signals?: readonly NodeJS.Signals[];
  /** Ends the process; replaceable in tests. */
  readonly exit?: (code: number) => void;
}

/** For server.ts: listen, and on SIGINT/SIGTERM close with a bounded grace period, then exit. */
export async function runService(app: FastifyInstance, options: RunOptions): Promise<void> {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const signals = options.signals ?? ['SIGINT', 'SIGTERM'];
  let closing = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    // A second signal means the operator will not wait: leave now.
    if (closing) return exit(1);
    closing = true;
    app.log.info({ signal }, 'shutting down');
    void closeWithGrace(app, options.graceMs ?? 10_000).then((outcome) => {
      for (const s of signals) process.off(s, onSignal);
      if (outcome !== 'closed') app.log.error({ outcome }, 'shutdown was not clean');
      else app.log.info('shut down');
      exit(outcome === 'closed' ? 0 : 1);
    });
  };
  await app.listen({ port: options.port, host: options.host });
  for (const signal of signals) process.on(signal, onSignal);
}
