import { randomUUID } from 'node:crypto';
import { accessAllows, type ScanDirection, type ScanRequest, type ScanResult } from '@expo/schemas';
import { ServiceUnreachable } from '../http/http-client.ts';
import type { VenueZone } from '../venue/venue-types.ts';
import type { BeliefScan } from './platform-belief.ts';
import { ownReplay } from './own-replay.ts';
import { moveTo, schedule, type SimContext } from './sim-context.ts';
import type { Visitor } from './sim-world.ts';
import { dwellMs, exitGate, nextCrossing, planItinerary, walkMs } from './visitor-model.ts';

const RETRIES = 3;

/** A device retries with the same scanId, so a scan the service decided but did not answer is not counted twice. */
async function postScan(ctx: SimContext, deviceKey: string, scan: ScanRequest): Promise<ScanResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      // The same scanId sent again after an attempt that went unanswered: its replay is this scan's own.
      return ownReplay(await ctx.transport.scan(deviceKey, scan), attempt);
    } catch (error) {
      if (!(error instanceof ServiceUnreachable) || attempt >= RETRIES) throw error;
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
}

/** The decision the service took, folded into the belief and the counts; compared with the prediction. */
export function recordDecision(ctx: SimContext, scan: BeliefScan, scanId: string, result: ScanResult): void {
  const predicted = ctx.belief.predict(scan);
  ctx.truth.decided(result.decision, result.reason, result.replayed, scan.badgeId, scan.deviceTimeMs);
  if (predicted.decision !== result.decision || predicted.reason !== result.reason) {
    ctx.truth.mismatch({
      scanId,
      zoneId: scan.zoneId,
      direction: scan.direction,
      predicted: predicted.reason ?? predicted.decision,
      actual: result.reason ?? result.decision,
    });
  }
  if (result.decision === 'accepted' && !result.replayed) ctx.truth.moved(scan.badgeId, ctx.belief.apply(scan), scan.deviceTimeMs);
}

/** One pass through a gate with a scanner; answers whether the person got through. */
async function passGate(ctx: SimContext, visitor: Visitor, zone: VenueZone, gateId: string, direction: ScanDirection, at: number): Promise<boolean> {
  // The time the scanner stamps, by its own clock (a chaos run may set it off): the platform orders a
  // badge's moves by it, so the belief does too.
  const deviceAt = at + (ctx.clock?.skewMs ?? 0);
  const scan: ScanRequest = { scanId: randomUUID(), badgeToken: visitor.token, direction, scannedAt: new Date(deviceAt).toISOString() };
  const belief: BeliefScan = { badgeId: visitor.badgeId, zoneId: zone.zoneId, direction, deviceTimeMs: deviceAt, offline: false, access: visitor.access };
  if (ctx.fleet.isOffline(gateId, at)) {
    // The device decides alone with the public key and the zone rules it synced.
    if (direction === 'in' && !accessAllows(visitor.access, zone)) {
      ctx.truth.scans.locallyRefused++;
      return false;
    }
    ctx.fleet.enqueue(gateId, { scan, visitorIndex: visitor.index, zoneId: zone.zoneId, atMs: deviceAt });
    ctx.truth.scans.offlineQueued++;
    return true;
  }
  const result = await postScan(ctx, ctx.fleet.device(gateId).deviceKey, scan);
  recordDecision(ctx, belief, scan.scanId, result);
  return result.decision === 'accepted' || direction === 'out';
}

/** Forgets a refused zone and the plans inside it. */
function dropTarget(ctx: SimContext, visitor: Visitor, refused: string): void {
  visitor.itinerary = visitor.itinerary.filter((z) => !ctx.tree.chain(z).includes(refused));
}

/** One step of one person: arrive, pass the next gate or door toward the next goal, or linger. */
export async function visitorStep(ctx: SimContext, visitor: Visitor, at: number): Promise<void> {
  if (visitor.phase === 'gone') return;
  if (visitor.phase === 'waiting') {
    visitor.phase = 'inside';
    visitor.itinerary = planItinerary(ctx.random, ctx.tree, visitor);
  }
  const target = visitor.itinerary[0] ?? null;
  const crossing = nextCrossing(ctx.tree, visitor.location, target);
  const next = (delay: number) => schedule(ctx, at + delay, { kind: 'visitor', visitor: visitor.index, day: ctx.day });
  if (crossing.kind === 'there') {
    if (target === null) {
      visitor.phase = 'gone';
      return;
    }
    visitor.itinerary.shift();
    return next(dwellMs(ctx.random, ctx.tree.zone(target), visitor));
  }
  const zone = ctx.tree.zone(crossing.zoneId);
  if (crossing.kind === 'exit') {
    const gateId = exitGate(ctx.random, zone, ctx.behaviour.unscannedExitShare);
    if (gateId === null || !ctx.fleet.has(gateId)) ctx.truth.scans.unscannedExits++;
    else await passGate(ctx, visitor, zone, gateId, 'out', at);
    moveTo(ctx, visitor, zone.parentId);
  } else {
    const gateId = ctx.random.pick(zone.gates).gateId;
    if (await passGate(ctx, visitor, zone, gateId, 'in', at)) moveTo(ctx, visitor, zone.zoneId);
    else dropTarget(ctx, visitor, zone.zoneId);
  }
  next(walkMs(ctx.random));
}

/** A scanner back on the network uploads what it decided alone, in its order. */
export async function uploadOffline(ctx: SimContext, gateId: string): Promise<void> {
  const queued = ctx.fleet.reconnect(gateId);
  const { deviceKey } = ctx.fleet.device(gateId);
  for (let start = 0; start < queued.length; start += 1000) {
    const chunk = queued.slice(start, start + 1000);
    const results = await ctx.transport.scanBatch(
      deviceKey,
      chunk.map((q) => q.scan),
    );
    chunk.forEach((q, i) => {
      const visitor = ctx.world.visitors[q.visitorIndex]!;
      const belief: BeliefScan = {
        badgeId: visitor.badgeId,
        zoneId: q.zoneId,
        direction: q.scan.direction,
        deviceTimeMs: q.atMs,
        offline: true,
        access: visitor.access,
      };
      ctx.truth.scans.offlineUploaded++;
      recordDecision(ctx, belief, q.scan.scanId, results[i]!);
    });
  }
}
