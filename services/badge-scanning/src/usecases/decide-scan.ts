import { randomUUID } from 'node:crypto';
import { isDefiniteRefusal } from '@expo/bus';
import type { ScanRequest, ScanResult } from '@expo/schemas';
import { conflict, dependencyUnavailable, invalidRequest } from '@expo/service-kit';
import type { DecidedScan } from '../domain/decided-scan.ts';
import { scanRecords } from '../domain/scan-records.ts';
import type { TokenCheck } from '../domain/token-checker.ts';
import { countScan } from '../metrics.ts';
import type { DecideInput } from '../store/scan-store.ts';
import type { Device } from '../domain/device.ts';
import type { ScanningDeps } from './deps.ts';
import { publishAgain } from './unconfirmed.ts';

export function resultOf(scanId: string, decision: DecidedScan, replayed: boolean): ScanResult {
  const category = decision.attendeeId === null ? null : decision.category;
  return {
    scanId,
    decision: decision.decision,
    reason: decision.reason,
    zoneId: decision.zoneId,
    occupancy: Math.max(0, decision.occupancy),
    capacity: decision.capacity,
    replayed,
    badge: category ? { badgeId: decision.badgeId, category, displayName: decision.person?.n ?? decision.badgeId } : null,
  };
}

function clockMessage(kind: 'early' | 'late', offline: boolean, deps: ScanningDeps): string {
  const bound = `${deps.clockBoundMs / 1000} s`;
  if (kind === 'late') return `more than ${bound} ahead of the service's clock: set the device's clock (serverTime in GET /v1/devices/sync)`;
  if (offline) return `older than the service's decision memory (${deps.memoryMs / 3_600_000} h): it may have been decided already and cannot be decided again`;
  return `more than ${bound} behind the service's clock: an online scan is of now (set the device's clock, or send older scans to /v1/scans/batch)`;
}

function inputOf(scan: ScanRequest, token: TokenCheck): DecideInput {
  return {
    scanId: scan.scanId,
    scannedAt: scan.scannedAt,
    badgeId: token.badgeId,
    attendeeId: token.payload?.aid ?? null,
    category: token.payload?.cat ?? null,
    direction: scan.direction,
    preReason: token.reason,
    access: token.payload?.acc ?? [],
    scannedAtMs: Date.parse(scan.scannedAt),
  };
}

async function revertAll(deps: ScanningDeps, fresh: ReadonlyArray<{ scanId: string; decision: DecidedScan }>): Promise<void> {
  for (const { scanId, decision } of [...fresh].reverse()) {
    const reverted = await deps.scans.revert(scanId, decision).catch(() => false);
    if (!reverted) deps.log.error({ scanId, badgeId: decision.badgeId }, 'a scan Kafka refused could not be taken back: run reconcile');
  }
}

/**
 * Scans of one device, in its order (one for `POST /v1/scans`, up to 1,000 offline ones for the
 * batch route): tokens checked offline, then one script decides and applies them in order (a chunk of
 * scans per call, so Redis pays its per-call cost once per chunk) and puts them in the outbox, then
 * all their records go to Kafka in one write, then the answer: a decision is answered only once
 * its records are acknowledged (promise 1, docs/promises.md). A write Kafka certainly refused is taken back, newest
 * first; a write whose fate is unknown (a timeout: it may be in the log) is kept and written again
 * by the outbox or the device's retry, and answers 503 meanwhile.
 */
export async function decideScans(deps: ScanningDeps, device: Device, scans: readonly ScanRequest[], offline: boolean): Promise<ScanResult[]> {
  const tokens = await Promise.all(scans.map((scan) => deps.tokens.check(scan.scanId, scan.badgeToken, scan.scannedAt)));
  const now = deps.now();
  // An online scan is of now; an offline one of any time since the decision memory began, but not
  // of the future. Outside that the device's clock is wrong (or a replay could not be recognised).
  const earliestMs = offline ? now - deps.memoryMs : now - deps.clockBoundMs;
  const context = { gateId: device.gateId, deviceId: device.deviceId, offline, earliestMs, latestMs: now + deps.clockBoundMs, callId: randomUUID() };
  const outcomes = await deps.scans.decide(
    context,
    scans.map((scan, i) => inputOf(scan, tokens[i]!)),
  );
  const fresh: Array<{ scanId: string; decision: DecidedScan; scannedAt: string }> = [];
  const unconfirmed: number[] = [];
  let refusal: Error | null = null;
  const offClock: Array<{ path: string; message: string }> = [];
  const results = outcomes.map((outcome, i): ScanResult | null => {
    const scan = scans[i]!;
    if (outcome.kind === 'early' || outcome.kind === 'late') {
      offClock.push({ path: offline ? `scans.${i}.scannedAt` : 'scannedAt', message: clockMessage(outcome.kind, offline, deps) });
      return null;
    }
    if (outcome.kind === 'no_gate' || outcome.kind === 'no_zone') {
      refusal ??= conflict(`Gate ${device.gateId} leads into no known zone`);
      return null;
    }
    if (outcome.kind === 'busy') {
      refusal ??= dependencyUnavailable('Kafka (an earlier move of this badge is not confirmed yet)', 1);
      return null;
    }
    if (outcome.kind === 'new') {
      fresh.push({ scanId: scan.scanId, decision: outcome.decision, scannedAt: scan.scannedAt });
      return resultOf(scan.scanId, outcome.decision, false);
    }
    if (outcome.decision.badgeId !== tokens[i]!.badgeId) refusal ??= conflict(`scanId ${scan.scanId} was already used for another badge`);
    if (!outcome.committed || (outcome.decision.person === null && outcome.decision.attendeeId !== null)) unconfirmed.push(i);
    return resultOf(scan.scanId, outcome.decision, true);
  });
  if (offClock.length > 0) refusal ??= invalidRequest('A scan time is out of bounds: nothing was decided', offClock);
  if (refusal) {
    await revertAll(deps, fresh);
    throw refusal;
  }
  const records = fresh.flatMap((f) => scanRecords(f.decision, { scanId: f.scanId, eventId: deps.expoId, scannedAt: f.scannedAt, offline }));
  try {
    if (records.length > 0) await deps.producer.send(deps.topics.scans, records);
  } catch (error) {
    if (isDefiniteRefusal(error)) await revertAll(deps, fresh);
    else if (fresh.length > 0)
      deps.log.warn({ err: error, scans: fresh.length }, 'Kafka may or may not have these scans: they are kept, and written again until acknowledged');
    throw error;
  }
  if (fresh.length > 0) void deps.scans.markCommitted(fresh.map((f) => f.scanId)).catch(() => undefined);
  for (const f of fresh) countScan(deps.metrics, f.decision, offline ? 'offline' : 'online');
  if (unconfirmed.length > 0) await settleReplays(deps, device, scans, unconfirmed, offline, results);
  return results as ScanResult[];
}

// A decision's own request has settled by then (the producer's send bound is 1.5 s): acknowledged,
// or failed with its fate unknown.
const OWN_REQUEST_MS = 2000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A replay arriving while the decision's own request may still be writing its records (a device
 * that retried early, a double tap) waits for that request instead of writing them a second time.
 */
async function awaitOwnRequest(deps: ScanningDeps, scanId: string) {
  let current = await deps.scans.read(scanId);
  if (!current || current.committed) return current;
  const deadline = Date.now() + OWN_REQUEST_MS - Math.max(0, (await deps.scans.clock()) - current.decision.decidedAtMs);
  while (current && !current.committed && Date.now() < deadline) {
    await sleep(10);
    current = await deps.scans.read(scanId);
  }
  return current;
}

/**
 * Replays of decisions not known to be in Kafka (their request died between the script and the
 * acknowledgement, or its write timed out) write the same records again and answer after the
 * acknowledgement; a replay of a decision restored by a rebuild gets its display details again.
 */
async function settleReplays(
  deps: ScanningDeps,
  device: Device,
  scans: readonly ScanRequest[],
  indexes: readonly number[],
  offline: boolean,
  results: Array<ScanResult | null>,
): Promise<void> {
  const current = await Promise.all(indexes.map((i) => awaitOwnRequest(deps, scans[i]!.scanId)));
  const again = indexes.flatMap((i, n) => {
    const entry = current[n];
    return entry && !entry.committed
      ? [{ member: scans[i]!.scanId, scanId: scans[i]!.scanId, decision: entry.decision, scannedAt: entry.scannedAt, offline: entry.offline, annulment: null }]
      : [];
  });
  await publishAgain(deps, again);
  for (const [n, i] of indexes.entries()) {
    const scan = scans[i]!;
    const decision = current[n]?.decision;
    if (!decision) {
      // Forgotten meanwhile (a revert): decided afresh.
      results[i] = (await decideScans(deps, device, [scan], offline))[0]!;
    } else if (decision.person === null && decision.attendeeId !== null) {
      const person = await deps.registry.person(decision.attendeeId);
      results[i] = resultOf(scan.scanId, { ...decision, person: person ? { n: person.n, c: person.c } : null }, true);
    } else {
      results[i] = resultOf(scan.scanId, decision, true);
    }
  }
}
