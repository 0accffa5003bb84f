import type { ScanRequest, ScanResult } from '@expo/schemas';
import { conflict } from '@expo/service-kit';
import type { Decision } from '../domain/decision.ts';
import { scanRecords } from '../domain/scan-records.ts';
import type { TokenCheck } from '../domain/token-checker.ts';
import type { DecideInput } from '../store/scan-store.ts';
import type { Device, ScanningDeps } from './deps.ts';

// A replay of a scan whose records are still on their way to Kafka waits for them (promise 1:
// nothing is answered before it is in Kafka). Past this age an unmarked decision is one whose
// acknowledgement mark was lost, since a failed write removes the decision instead.
const COMMIT_WAIT_MS = 5000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function resultOf(scanId: string, decision: Decision, replayed: boolean): ScanResult {
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

function inputOf(scan: ScanRequest, token: TokenCheck): DecideInput {
  return {
    scanId: scan.scanId,
    badgeId: token.badgeId,
    attendeeId: token.payload?.aid ?? null,
    category: token.payload?.cat ?? null,
    direction: scan.direction,
    preReason: token.reason,
    access: token.payload?.acc ?? [],
    scannedAtMs: Date.parse(scan.scannedAt),
  };
}

async function awaitCommit(deps: ScanningDeps, scanId: string, decision: Decision): Promise<Decision | null> {
  while (deps.now() - decision.decidedAtMs < COMMIT_WAIT_MS) {
    await sleep(25);
    const current = await deps.scans.read(scanId);
    if (!current) return null;
    if (current.committed) return current.decision;
  }
  return decision;
}

async function revertAll(deps: ScanningDeps, fresh: ReadonlyArray<{ scanId: string; decision: Decision }>): Promise<void> {
  for (const { scanId, decision } of [...fresh].reverse()) {
    const reverted = await deps.scans.revert(scanId, decision).catch(() => false);
    if (!reverted) deps.log.error({ scanId, badgeId: decision.badgeId }, 'a scan Kafka refused could not be taken back: run reconcile');
  }
}

/**
 * Scans of one device, in its order (one for `POST /v1/scans`, up to 1,000 offline ones for the
 * batch route): tokens checked offline, then one script decides and applies them in order (a chunk of
 * scans per call, so Redis pays its per-call cost once per chunk), then all their records go to
 * Kafka in one write, then the answer. A write Kafka refuses is taken back, newest first, so a 503
 * leaves Redis as it was and the device's retry is decided afresh.
 */
export async function decideScans(deps: ScanningDeps, device: Device, scans: readonly ScanRequest[], offline: boolean): Promise<ScanResult[]> {
  const tokens = await Promise.all(scans.map((scan) => deps.tokens.check(scan.scanId, scan.badgeToken, scan.scannedAt)));
  const context = { gateId: device.gateId, deviceId: device.deviceId, offline, nowMs: deps.now() };
  const outcomes = await deps.scans.decide(context, scans.map((scan, i) => inputOf(scan, tokens[i]!)));
  const fresh: Array<{ scanId: string; decision: Decision; scannedAt: string }> = [];
  const pending: number[] = [];
  let refusal: Error | null = null;
  const results = outcomes.map((outcome, i): ScanResult | null => {
    const scan = scans[i]!;
    if (outcome.kind === 'no_gate' || outcome.kind === 'no_zone') {
      refusal ??= conflict(`Gate ${device.gateId} leads into no known zone`);
      return null;
    }
    if (outcome.kind === 'new') {
      fresh.push({ scanId: scan.scanId, decision: outcome.decision, scannedAt: scan.scannedAt });
      return resultOf(scan.scanId, outcome.decision, false);
    }
    if (outcome.decision.badgeId !== tokens[i]!.badgeId) refusal ??= conflict(`scanId ${scan.scanId} was already used for another badge`);
    if (!outcome.committed || (outcome.decision.person === null && outcome.decision.attendeeId !== null)) pending.push(i);
    return resultOf(scan.scanId, outcome.decision, true);
  });
  if (refusal) {
    await revertAll(deps, fresh);
    throw refusal as Error;
  }
  const records = fresh.flatMap((f) => scanRecords(f.decision, { scanId: f.scanId, eventId: deps.expoId, scannedAt: f.scannedAt, offline }));
  try {
    if (records.length > 0) await deps.producer.send(deps.topics.scans, records);
  } catch (error) {
    await revertAll(deps, fresh);
    throw error;
  }
  if (fresh.length > 0) void deps.scans.markCommitted(fresh.map((f) => f.scanId)).catch(() => undefined);
  for (const i of pending) results[i] = await settlePending(deps, device, scans[i]!, outcomes[i] as { decision: Decision }, offline);
  return results as ScanResult[];
}

async function settlePending(deps: ScanningDeps, device: Device, scan: ScanRequest, outcome: { decision: Decision }, offline: boolean): Promise<ScanResult> {
  const decision = (await deps.scans.read(scan.scanId))?.committed ? outcome.decision : await awaitCommit(deps, scan.scanId, outcome.decision);
  if (decision?.person === null && decision.attendeeId !== null) {
    // A decision restored by a rebuild: the gate's display details come from registration's records.
    const person = await deps.registry.person(decision.attendeeId);
    return resultOf(scan.scanId, { ...decision, person: person ? { n: person.n, c: person.c } : null }, true);
  }
  if (decision) return resultOf(scan.scanId, decision, true);
  const [again] = await decideScans(deps, device, [scan], offline);
  return again!;
}
