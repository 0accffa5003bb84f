import { randomUUID } from 'node:crypto';
import type { Endpoints } from '../http/endpoints.ts';
import { Random } from '../random.ts';
import { planExpo, type SeedPlan } from '../seed/seed-plan.ts';
import { loadState, type SeedState } from '../seed/seed-state.ts';
import { VenueTree } from '../venue/venue-tree.ts';
import { endDay, flushOffline, startDay } from './day-cycle.ts';
import { EventQueue, type SimEvent } from './event-queue.ts';
import { GroundTruth, type GroundTruthSnapshot } from './ground-truth.ts';
import { httpTransport } from './http-transport.ts';
import { leadStep } from './lead-action.ts';
import { meetingAnswerStep, meetingOutcomeStep, meetingRequestStep, scheduleSessionStep } from './meeting-actions.ts';
import { PlatformBelief } from './platform-belief.ts';
import { ScannerFleet } from './scanner-fleet.ts';
import { physicallyInside, type Behaviour, type SimAction, type SimContext } from './sim-context.ts';
import { buildWorld } from './sim-world.ts';
import type { SimTransport } from './transport.ts';
import { uploadOffline, visitorStep } from './visitor-step.ts';

export interface SimulateOptions {
  /** Service addresses and the admin token; or a `transport` of one's own. */
  readonly endpoints?: Endpoints;
  readonly transport?: SimTransport;
  /** The seed's state: given, or read from `stateDir`. */
  readonly state?: SeedState;
  readonly stateDir?: string;
  /** The plan the state was seeded from (recomputed from the state's seed and size when absent). */
  readonly plan?: SeedPlan;
  /** Seed of the visitors' behaviour (default: the expo's seed). */
  readonly seed?: number;
  /** Steps per second; absent: as fast as the services answer. */
  readonly rate?: number;
  /** Stop after this many steps; absent: run until `signal` aborts. */
  readonly steps?: number;
  readonly signal?: AbortSignal;
  /** Steps in flight at once (one person never has two). Default 4. */
  readonly concurrency?: number;
  /** Upload what offline scanners still hold when the run ends, so the services see every scan (default true). */
  readonly flushAtEnd?: boolean;
  /**
   * Sweep every badge out before the first step (default true): the ground truth starts from an
   * empty venue, so a second run on the same expo starts from the same place as the platform.
   */
  readonly sweepAtStart?: boolean;
  readonly behaviour?: Partial<Behaviour>;
  /** The scanners' clocks, read at each scan: a skew set during the run shifts every device time from then on. */
  readonly clock?: { readonly skewMs: number };
  readonly onProgress?: (progress: SimProgress) => void;
  readonly progressIntervalMs?: number;
}

export interface SimProgress {
  readonly steps: number;
  readonly elapsedSeconds: number;
  readonly stepsPerSecond: number;
  readonly scansPerSecond: number;
  readonly truth: GroundTruth;
  readonly simulatedTime: string | null;
  readonly inside: number;
}

export interface SimulationResult {
  readonly truth: GroundTruthSnapshot;
  readonly stoppedBy: 'steps' | 'signal';
  readonly seconds: number;
}

export const DEFAULT_BEHAVIOUR: Behaviour = {
  unscannedExitShare: 0.25,
  offlineShare: 0.1,
  outageMinutes: [10, 45],
  leadEveryMinutes: 25,
  meetingsPerBuyer: 3,
  sweepBetweenDays: true,
};

async function contextOf(options: SimulateOptions): Promise<SimContext> {
  const state = options.state ?? (options.stateDir ? await loadState(options.stateDir) : null);
  if (!state) throw new Error('simulate needs a seed state: run seed first or pass state/stateDir');
  const plan = options.plan ?? planExpo(state.seed, state.size, { openingDay: state.openingDay });
  const transport = options.transport ?? (options.endpoints ? httpTransport(options.endpoints) : null);
  if (!transport) throw new Error('simulate needs endpoints or a transport');
  const tree = new VenueTree(plan.venue);
  const world = buildWorld(plan, state);
  if (world.visitors.length === 0) throw new Error('the seed state holds no badge tokens: nobody to simulate');
  const devices = Object.entries(state.devices).map(([gateId, d]) => ({ gateId, zoneId: state.gates[gateId] ?? '', deviceKey: d.deviceKey }));
  return {
    tree,
    world,
    fleet: new ScannerFleet(devices),
    belief: new PlatformBelief(tree),
    truth: new GroundTruth(),
    transport,
    random: new Random(options.seed ?? state.seed),
    behaviour: { ...DEFAULT_BEHAVIOUR, ...options.behaviour },
    ...(options.clock ? { clock: options.clock } : {}),
    queue: new EventQueue<SimAction>(),
    presence: new Map(),
    meetings: new Map(),
    requestedPairs: new Set(),
    runId: randomUUID().slice(0, 8),
    day: 0,
    dayStartMs: 0,
    matchmaking: true,
    counter: 0,
  };
}

async function perform(ctx: SimContext, event: SimEvent<SimAction>): Promise<void> {
  const action = event.data;
  switch (action.kind) {
    case 'visitor':
      return visitorStep(ctx, ctx.world.visitors[action.visitor]!, event.at);
    case 'reconnect':
      return uploadOffline(ctx, action.gateId);
    case 'lead':
      return leadStep(ctx, action.exhibitor, event.at);
    case 'meeting-request':
      return meetingRequestStep(ctx, action.buyer, event.at, action.left);
    case 'meeting-answer':
      return meetingAnswerStep(ctx, action.meetingId);
    case 'schedule-session':
      return scheduleSessionStep(ctx, event.at);
    case 'meeting-outcome':
      return meetingOutcomeStep(ctx, action.meetingId);
    case 'day-end':
      return endDay(ctx);
  }
}

/** An event left over from a day that has ended. */
function stale(ctx: SimContext, action: SimAction): boolean {
  return 'day' in action && action.day !== ctx.day;
}

/**
 * Runs visitors, scanners, exhibitors and buyers against the platform and keeps the ground truth.
 * Steps are taken in simulated-time order; a person's next step waits for the answer to their
 * last, and uploads, scheduling rounds and the close run alone.
 */
export async function simulate(options: SimulateOptions): Promise<SimulationResult> {
  const ctx = await contextOf(options);
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const maxSteps = options.steps ?? Number.POSITIVE_INFINITY;
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  const held = new Set<string>();
  let failure: unknown = null;
  let exclusive = false;
  if (options.sweepAtStart ?? true) await ctx.transport.sweep();
  startDay(ctx, 0);

  const report = () => {
    const elapsed = (performance.now() - started) / 1000;
    options.onProgress?.({
      steps: ctx.truth.steps,
      elapsedSeconds: elapsed,
      stepsPerSecond: ctx.truth.steps / Math.max(elapsed, 1e-3),
      scansPerSecond: ctx.truth.scans.posted / Math.max(elapsed, 1e-3),
      truth: ctx.truth,
      simulatedTime: ctx.truth.simulatedMs === null ? null : new Date(ctx.truth.simulatedMs).toISOString(),
      inside: physicallyInside(ctx),
    });
  };
  const timer = options.onProgress ? setInterval(report, options.progressIntervalMs ?? 500) : null;

  const launch = (event: SimEvent<SimAction>) => {
    ctx.truth.steps++;
    ctx.truth.simulatedMs = Math.max(ctx.truth.simulatedMs ?? 0, event.at);
    const locks = event.locks.includes('*') ? [] : event.locks;
    if (event.locks.includes('*')) exclusive = true;
    for (const l of locks) held.add(l);
    const work: Promise<void> = perform(ctx, event)
      .catch((error: unknown) => void (failure ??= error))
      .finally(() => {
        for (const l of locks) held.delete(l);
        if (event.locks.includes('*')) exclusive = false;
        inFlight.delete(work);
      });
    inFlight.add(work);
  };

  try {
    while (failure === null && ctx.truth.steps < maxSteps && !options.signal?.aborted) {
      if (options.rate) {
        const due = started + (ctx.truth.steps / options.rate) * 1000;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      if (exclusive || inFlight.size >= concurrency) {
        await Promise.race(inFlight);
        continue;
      }
      const event = ctx.queue.popFree(held);
      if (!event) {
        if (inFlight.size === 0) throw new Error('the simulation ran out of things to do');
        await Promise.race(inFlight);
        continue;
      }
      if (stale(ctx, event.data)) continue;
      if (event.locks.includes('*') && inFlight.size > 0) {
        ctx.queue.push(event);
        await Promise.all(inFlight);
        continue;
      }
      launch(event);
    }
    await Promise.all(inFlight);
    if (failure !== null) throw failure instanceof Error ? failure : new Error('a step failed', { cause: failure });
    if (options.flushAtEnd ?? true) await flushOffline(ctx);
  } finally {
    if (timer) clearInterval(timer);
    report();
  }
  return {
    truth: ctx.truth.snapshot(ctx.belief, { pendingOffline: ctx.fleet.pending(), physicallyInside: physicallyInside(ctx) }),
    stoppedBy: ctx.truth.steps >= maxSteps ? 'steps' : 'signal',
    seconds: Math.round(performance.now() - started) / 1000,
  };
}
