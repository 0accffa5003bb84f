import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { BusConsumer } from '@expo/bus';
import { dependencyUnavailable } from './app-error.ts';
import { Counter, Gauge } from './metrics.ts';
import { LeaseLostError, RebuildLease } from './rebuild-lease.ts';
import { withCommandTimeout, whenReady, type RedisClient } from './redis-client.ts';
import { loadLuaDir, rebuildToken, ScriptRunner, type StateKeys } from './redis-scripts.ts';
import { probeState, type StateProbe } from './state-probe.ts';

/** What a service's rebuild is handed while it holds the lease. */
export interface RebuildRun {
  /** Names the state this rebuild makes whole (logged, and in the marker). */
  readonly epoch: string;
  /**
   * The rebuild's own Redis connection: its commands may wait up to `rebuildCommandTimeoutMs` (a
   * Redis busy with the rebuild's large writes, a paused or loaded Redis) instead of the request
   * path's 1 s, after which a CIIE-size rebuild failed and started over. Write the state through it.
   */
  readonly redis: RedisClient;
  /** The service's scripts (guarded, passing as this rebuild) over `redis`. */
  readonly scripts: ScriptRunner;
  /** Call before each batch of writes: renews the lease, or throws once it is lost or the app closes. */
  checkpoint(): Promise<void>;
  /** Records folded so far, added up (progress in `/metrics` and the log). */
  folded(records: number): void;
  /**
   * Starts the service's stateful consumers now (those of the given groups, or all): for a
   * rebuild that folds by consuming (analytics), in stages when one fold reads another's state.
   */
  startConsumers(groupIds?: readonly string[]): void;
}

export type StateStatus = 'starting' | 'whole' | 'lost' | 'waiting' | 'rebuilding';

export interface StateLifecycleOptions {
  /** The state's name: readiness check `<name>-state`, messages and logs. */
  readonly name: string;
  readonly keys: StateKeys;
  /** Clears the service's keys and folds them from the log; answers a report for the log. */
  rebuild(run: RebuildRun): Promise<object>;
  /** Before serving a state found whole (rebuilt here or by another instance): reload what is cached from it. */
  beforeServing?(): Promise<void>;
  /** How often the state is probed (marker, Redis process, evictions); default 1 s. */
  readonly checkIntervalMs?: number;
  /** How long an unrenewed lease lasts: a crashed rebuilder is replaced after this; default 10 s. */
  readonly leaseMs?: number;
  /** Wait after taking the lease, so every other instance has probed, fenced and stopped its consumers. */
  readonly settleMs?: number;
  /** Bound on one command of the rebuild (its connection, `RebuildRun.redis`); default 30 s. */
  readonly rebuildCommandTimeoutMs?: number;
  readonly retryAfterSeconds?: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    stateLifecycle: StateLifecycle;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function lifecycleMetrics(app: FastifyInstance) {
  const registers = [app.metrics];
  return {
    whole: new Gauge({ name: 'state_whole', help: '1 while the Redis state is whole and served, 0 while it is fenced', registers }),
    losses: new Counter({
      name: 'state_losses_total',
      help: 'Times the Redis state was found lost or stale, by why',
      labelNames: ['loss'] as const,
      registers,
    }),
    rebuilds: new Counter({ name: 'state_rebuilds_total', help: 'Rebuilds this instance ran, by outcome', labelNames: ['outcome'] as const, registers }),
    records: new Gauge({ name: 'state_rebuild_records', help: 'Records folded by the running or last rebuild', registers }),
    seconds: new Gauge({ name: 'state_rebuild_duration_seconds', help: 'Duration of the last rebuild that finished', registers }),
    running: new Gauge({ name: 'state_rebuild_running', help: '1 while this instance rebuilds the Redis state (it holds the lease), 0 otherwise', registers }),
  };
}

/**
 * One service's Redis state from lost to whole: probed at start, on every Redis reconnect and every
 * few seconds; fenced (503 on the routes that need it, not ready, stateful consumers stopped) while
 * lost or stale; rebuilt from the log by one instance at a time under a lease; served again, with
 * its consumers resumed, once the marker says whole. Redis is a cache of the Kafka log: the state
 * it holds is served only when it is known to be the fold of that log.
 */
export class StateLifecycle {
  #status: StateStatus = 'starting';
  #detail = 'starting: the state has not been probed yet';
  #epoch: string | null = null;
  #checking: Promise<void> | null = null;
  #lease: RebuildLease | null = null;
  #timer: NodeJS.Timeout | null = null;
  #closing = false;
  #retryAt = 0;
  #stopping: Promise<void> = Promise.resolve();
  #consumingRebuild = false;
  readonly #rebuildRedis: RedisClient;
  readonly #scripts: ScriptRunner;
  readonly #metrics: ReturnType<typeof lifecycleMetrics>;
  readonly #log: FastifyBaseLogger;

  constructor(
    private readonly app: FastifyInstance,
    private readonly options: StateLifecycleOptions,
  ) {
    // The lease is taken, renewed and finished on the rebuild's connection too: a renewal that waits
    // behind the rebuild's own writes must not fail the rebuild.
    this.#rebuildRedis = withCommandTimeout(app.redis, options.rebuildCommandTimeoutMs ?? 30_000);
    this.#rebuildRedis.on('error', () => undefined); // app.redis, to the same server, logs the outage
    this.#scripts = new ScriptRunner(this.#rebuildRedis, loadLuaDir(fileURLToPath(new URL('./lua', import.meta.url))));
    this.#metrics = lifecycleMetrics(app);
    this.#log = app.log.child({ state: options.name });
  }

  /** The rebuild's own connection (its lease and its writes), beside `app.redis`. */
  get rebuildRedis(): RedisClient {
    return this.#rebuildRedis;
  }

  get status(): StateStatus {
    return this.#status;
  }

  get whole(): boolean {
    return this.#status === 'whole';
  }

  /**
   * Whether stateful consumers may apply records now: while whole, and during a rebuild that folds
   * by consuming (it started them); never on a lost state, where a record would act on nothing.
   */
  get consuming(): boolean {
    return this.#status === 'whole' || (this.#status === 'rebuilding' && this.#consumingRebuild);
  }

  /** Why the state is not served, for `/readyz`; empty while whole. */
  get detail(): string {
    return this.#detail;
  }

  /**
   * An onRequest hook for the routes that need the state: 503 with Retry-After while it is not
   * whole. Between probes it looks at the marker itself (one EXISTS), so a request that comes right
   * after a flush is refused too, never answered from the emptied Redis.
   */
  readonly fence = async (): Promise<void> => {
    if (await this.servable()) return;
    throw dependencyUnavailable(`The ${this.options.name} state (rebuilt from Kafka)`, this.options.retryAfterSeconds ?? 5);
  };

  /**
   * Whole, and its marker still in Redis: what the fence and `/readyz` both answer by, so a flush
   * since the last probe makes neither claim the state (a probe is started at once).
   */
  async servable(): Promise<boolean> {
    if (this.#status !== 'whole') return false;
    if ((await this.app.redis.exists(this.options.keys.marker)) === 1) return true;
    if (this.#status === 'whole') void this.check();
    return false;
  }

  /** Probes now (single flight: a probe already running is awaited instead). */
  check(): Promise<void> {
    this.#checking ??= this.#probeAndAct().finally(() => (this.#checking = null));
    return this.#checking;
  }

  start(): void {
    void this.check();
    this.#timer = setInterval(() => void this.check(), this.options.checkIntervalMs ?? 1000);
    this.#timer.unref();
  }

  async close(): Promise<void> {
    this.#closing = true;
    if (this.#timer) clearInterval(this.#timer);
    // A rebuild under way stops at its next checkpoint and frees the lease itself; freeing it
    // first would let another instance start while this one still writes.
    await Promise.race([this.#checking, sleep(2000)]);
    await this.#lease?.release();
    this.#rebuildRedis.disconnect();
  }

  async #probeAndAct(): Promise<void> {
    if (this.#closing) return;
    let probe: StateProbe;
    try {
      probe = await probeState(this.app.redis, this.options.keys.marker);
    } catch {
      return; // Redis unreachable: its own readiness check and 503s say so; probed again on reconnect.
    }
    const { verdict } = probe;
    if (verdict.whole) return this.#becomeWhole(verdict.epoch);
    const wasServing = this.#status === 'whole' || this.#status === 'starting';
    this.#fence('lost', verdict.detail);
    if (wasServing) {
      this.#metrics.losses.inc({ loss: verdict.loss });
      this.#log.warn({ loss: verdict.loss, detail: verdict.detail }, 'Redis state is not whole: fenced until it is rebuilt');
      void this.#stopConsumers();
    }
    if (Date.now() >= this.#retryAt) await this.#rebuild(probe);
  }

  #fence(status: StateStatus, detail: string): void {
    this.#status = status;
    this.#detail = detail;
    this.#metrics.whole.set(0);
  }

  async #becomeWhole(epoch: string): Promise<void> {
    if (this.#status === 'whole' && this.#epoch === epoch) return;
    try {
      await this.options.beforeServing?.();
    } catch (error) {
      this.#log.warn({ err: error }, 'preparing to serve the state failed; probed again');
      return;
    }
    if (this.#status !== 'whole') this.#log.info({ epoch }, 'Redis state is whole: serving');
    this.#status = 'whole';
    this.#detail = '';
    this.#epoch = epoch;
    this.#metrics.whole.set(1);
    this.#startConsumers();
  }

  #startConsumers(groupIds?: readonly string[]): void {
    void this.#stopping.then(() => {
      // The state may have been lost again while a stop was under way.
      if (this.#closing || !this.consuming) return;
      for (const consumer of this.#consumers()) if (!groupIds || groupIds.includes(consumer.groupId)) void consumer.start();
    });
  }

  /**
   * Not awaited by the probe: leaving a group can take seconds (a fetch in flight, a rebalance), and
   * the rebuild need not wait for it; a start waits for the stop in progress.
   */
  #stopConsumers(): Promise<void> {
    const stopping = Promise.all(this.#consumers().map((c) => c.stop())).then(
      () => undefined,
      (error: unknown) => this.#log.warn({ err: error }, 'stopping a consumer failed'),
    );
    this.#stopping = stopping;
    return stopping;
  }

  #consumers(): readonly BusConsumer[] {
    return this.app.hasDecorator('statefulConsumers') ? this.app.statefulConsumers : [];
  }

  async #rebuild(probe: StateProbe): Promise<void> {
    const { keys, leaseMs = 10_000, checkIntervalMs = 1000 } = this.options;
    if (!(await whenReady(this.#rebuildRedis, 2000))) return; // probed again; app.redis says why
    const lease = await RebuildLease.acquire(this.#scripts, keys, leaseMs, `${this.options.name} state`, probe.verdict.epoch).catch(() => null);
    if (!lease) {
      this.#fence('waiting', `${this.#detail}; another instance is rebuilding it`);
      return;
    }
    this.#lease = lease;
    this.#fence('rebuilding', 'rebuilding from the Kafka log');
    const started = Date.now();
    const epoch = randomUUID();
    let records = 0;
    this.#metrics.records.set(0);
    this.#metrics.running.set(1);
    const run: RebuildRun = {
      epoch,
      redis: this.#rebuildRedis,
      scripts: this.app.redisScripts.on(this.#rebuildRedis),
      checkpoint: async () => {
        if (this.#closing) throw new LeaseLostError(`${this.options.name} state (closing)`);
        await lease.checkpoint();
      },
      folded: (n) => {
        records += n;
        this.#metrics.records.set(records);
      },
      startConsumers: (groupIds) => {
        this.#consumingRebuild = true;
        this.#startConsumers(groupIds);
      },
    };
    try {
      this.#log.info({ epoch }, 'rebuilding the Redis state from the Kafka log');
      // Never shorter than one and a half probes: every other instance must have looked by then.
      await sleep(Math.max(this.options.settleMs ?? 2 * checkIntervalMs, 1.5 * checkIntervalMs));
      await run.checkpoint();
      const report = await rebuildToken.run(lease.token, () => this.options.rebuild(run));
      await lease.finish(epoch, probe.now);
      const seconds = (Date.now() - started) / 1000;
      this.#metrics.rebuilds.inc({ outcome: 'done' });
      this.#metrics.seconds.set(seconds);
      this.#log.info({ ...report, epoch, records, seconds }, 'Redis state rebuilt from the Kafka log');
      await this.#becomeWhole(epoch);
    } catch (error) {
      await lease.release();
      void this.#stopConsumers();
      this.#metrics.rebuilds.inc({ outcome: error instanceof LeaseLostError ? 'lease_lost' : 'failed' });
      this.#fence('lost', 'the last rebuild failed; it is tried again');
      this.#retryAt = Date.now() + 2 * checkIntervalMs;
      if (!this.#closing) this.#log.error({ err: error, epoch }, 'rebuilding the Redis state failed; trying again');
    } finally {
      this.#lease = null;
      this.#consumingRebuild = false;
      this.#metrics.running.set(0);
    }
  }
}

function stateLifecycleImpl(app: FastifyInstance, options: StateLifecycleOptions, done: (error?: Error) => void): void {
  const lifecycle = new StateLifecycle(app, options);
  app.decorate('stateLifecycle', lifecycle);
  app.readiness.add(`${options.name}-state`, async () => {
    const ok = await lifecycle.servable().catch(() => false);
    return { ok, detail: ok || lifecycle.detail ? lifecycle.detail : 'the state marker is gone since the last probe: probing again' };
  });
  const onRedisReady = () => void lifecycle.check();
  app.addHook('onReady', async () => {
    app.redis.on('ready', onRedisReady);
    lifecycle.start();
  });
  app.addHook('onClose', async () => {
    app.redis.off('ready', onRedisReady);
    await lifecycle.close();
  });
  done();
}

/**
 * `app.stateLifecycle`: register after the Redis and Kafka plugins, then put the routes that need
 * the state in a scope with `scope.addHook('onRequest', app.stateLifecycle.fence)`.
 */
export const stateLifecyclePlugin = fp(stateLifecycleImpl, {
  name: 'state-lifecycle',
  fastify: '5.x',
  dependencies: ['redis'],
  decorators: { fastify: ['readiness', 'metrics', 'redis', 'redisScripts'] },
});
