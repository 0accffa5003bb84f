import type { FastifyInstance } from 'fastify';

export interface PeriodicTaskOptions {
  /** Names the task in its log lines. */
  readonly name: string;
  /** Pause between the end of one pass and the start of the next. */
  readonly everyMs: number;
  /** One pass. A failure is logged and the task tries again on its next turn. */
  readonly run: () => Promise<unknown>;
  /** A pass runs only while this says so (e.g. while the Redis state is whole). */
  readonly when?: () => boolean;
}

export interface PeriodicTask {
  /** Runs one pass now, after any pass in progress (tests and operators' commands). */
  runNow(): Promise<void>;
}

/**
 * A background pass that repeats while the app lives: it starts once the app is ready, never
 * overlaps itself (the next pass is scheduled when the last one ends), and closing the app stops
 * the timer and waits for a pass in progress, so nothing writes to Redis or Kafka after close.
 */
export function registerPeriodicTask(app: FastifyInstance, options: PeriodicTaskOptions): PeriodicTask {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let closed = false;
  const pass = async () => {
    if (closed || options.when?.() === false) return;
    try {
      await options.run();
    } catch (error) {
      app.log.warn({ err: error, task: options.name }, `${options.name} failed; it runs again in ${options.everyMs} ms`);
    }
  };
  const runNow = () => {
    running = running.then(pass);
    return running;
  };
  const schedule = () => {
    if (closed) return;
    timer = setTimeout(() => void runNow().finally(schedule), options.everyMs);
    timer.unref();
  };
  app.addHook('onReady', async () => schedule());
  app.addHook('onClose', async () => {
    closed = true;
    clearTimeout(timer);
    await running;
  });
  return { runNow };
}
