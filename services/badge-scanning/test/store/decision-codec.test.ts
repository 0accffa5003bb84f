import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisClient, ScriptRunner } from '@expo/service-kit';
import type { DecidedScan } from '../../src/domain/decided-scan.ts';
import { decodeDecision, decodeScanReply, encodeDecision, encodeDecisionArgs, type DecideContext, type DecideInput } from '../../src/store/decision-codec.ts';
import type { ScanningKeys } from '../../src/store/keys.ts';
import { ScriptAnswerError } from '../../src/store/script-answer.ts';
import { RegistryStore } from '../../src/store/registry-store.ts';
import type { ScanStore } from '../../src/store/scan-store.ts';
import { DEVICE, SCANNED_AT_MS, scriptFixture, type ScriptFixture } from './script-fixture.ts';

// The scan script's arguments and answers, and the decision JSON it stores, through the real
// scripts on the shared Redis: what the codec sends is what scan.lua reads, and what scan.lua (or a
// rebuild) stores is read back field by field.

const scannedAtMs = SCANNED_AT_MS;
let fixture: ScriptFixture;
let redis: RedisClient;
let scripts: ScriptRunner;
let keys: ScanningKeys;
let scans: ScanStore;

const context = (offline = false): DecideContext => ({
  gateId: 'gate-hall-1',
  deviceId: DEVICE,
  offline,
  earliestMs: scannedAtMs - 3_600_000,
  latestMs: scannedAtMs + 3_600_000,
  callId: `call-${Math.random()}`,
});

const input = (scanId: string, badgeId: string, overrides: Partial<DecideInput> = {}): DecideInput => ({
  scanId,
  scannedAt: new Date(scannedAtMs).toISOString(),
  badgeId,
  attendeeId: `attendee-of-${badgeId}`,
  category: 'buyer',
  direction: 'in',
  preReason: null,
  access: ['hall'],
  scannedAtMs,
  ...overrides,
});

/** One scan script call, encoded, run and decoded as ScanStore does it, but each step in view. */
async function runScan(ctx: DecideContext, inputs: readonly DecideInput[]) {
  const fixed = [
    keys.zoneMeta(),
    keys.gates(),
    keys.location(),
    keys.lastMove(),
    keys.occupancy(),
    keys.revoked(),
    keys.people(),
    keys.badgeAttendee(),
    keys.unconfirmed(),
    keys.unconfirmedBadges(),
  ];
  const args = encodeDecisionArgs({ context: ctx, scans: inputs, firstPosition: 0, ttlSeconds: 600 });
  const reply = await scripts.run('scan', [...fixed, ...inputs.map((i) => keys.decision(i.scanId))], args);
  return decodeScanReply(reply, inputs.length);
}

const redisNow = async () => {
  const [seconds, micros] = await redis.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
};

beforeAll(async () => {
  fixture = await scriptFixture('decision-codec');
  ({ redis, scripts, keys, scans } = fixture);
  await new RegistryStore(redis, scripts, keys).putPerson('attendee-of-badge-1', 'Li Wei', 'CN', []);
});

afterAll(() => fixture.close());

describe('scan.lua through the decision codec', () => {
  let accepted: DecidedScan;

  it('decides an encoded scan and answers a decision whose named fields are the scan sent', async () => {
    const before = await redisNow();
    const [outcome] = await runScan(context(), [input('scan-1', 'badge-1')]);
    expect(outcome?.kind).toBe('new');
    accepted = (outcome as { decision: DecidedScan }).decision;
    expect(accepted).toEqual({
      badgeId: 'badge-1',
      attendeeId: 'attendee-of-badge-1',
      category: 'buyer',
      deviceId: 'device-7',
      gateId: 'gate-hall-1',
      zoneId: 'hall-1',
      zoneKind: 'hall',
      direction: 'in',
      decidedAtMs: expect.any(Number),
      scannedAtMs,
      decision: 'accepted',
      reason: null,
      occupancy: 1,
      capacity: 100,
      person: { n: 'Li Wei', c: 'CN' },
      moves: [
        { zoneId: 'necc', direction: 'in', fromZoneId: null, toZoneId: 'necc', occupancyAfter: 1, origin: 'inferred' },
        { zoneId: 'hall-1', direction: 'in', fromZoneId: 'necc', toZoneId: 'hall-1', occupancyAfter: 1, origin: 'device' },
      ],
      previousLocation: null,
      previousLastMoveMs: 0,
      conflict: null,
      stale: false,
    });
    expect(accepted.decidedAtMs).toBeGreaterThanOrEqual(before);
    expect(accepted.decidedAtMs).toBeLessThanOrEqual(await redisNow());
  });

  it('answers the same scan again as a replay of the stored decision, read back the same', async () => {
    const [outcome] = await runScan(context(), [input('scan-1', 'badge-1')]);
    expect(outcome).toEqual({ kind: 'replay', decision: accepted, committed: false });
    expect((await scans.read('scan-1'))?.decision).toEqual(accepted);
  });

  // Offline scans are facts: only a token of another expo is still refused, the rest is a conflict.
  it('reads a rejection (no moves: cjson writes the empty list as {}) and an offline conflict, one call', async () => {
    const outcomes = await runScan(context(true), [
      input('scan-2', 'badge-2', { direction: 'out', preReason: 'wrong_event' }),
      input('scan-3', 'badge-3', { access: ['forum_room'], attendeeId: null, category: null }),
    ]);
    expect(outcomes.map((o) => o.kind)).toEqual(['new', 'new']);
    const [rejected, conflict] = outcomes.map((o) => (o as { decision: DecidedScan }).decision);
    expect(rejected).toMatchObject({ badgeId: 'badge-2', direction: 'out', decision: 'rejected', reason: 'wrong_event', moves: [], previousLocation: null });
    expect(conflict).toMatchObject({ badgeId: 'badge-3', attendeeId: null, category: null, person: null, decision: 'accepted', conflict: 'zone_not_allowed' });
    expect(conflict?.moves.map((m) => m.zoneId)).toEqual(['necc', 'hall-1']);
  });

  it('answers the outcomes that carry no decision by their kind', async () => {
    const [busy] = await runScan(context(), [input('scan-4', 'badge-1', { direction: 'out' })]);
    const [late] = await runScan(context(), [input('scan-5', 'badge-5', { scannedAtMs: scannedAtMs + 7_200_000 })]);
    const [noGate] = await runScan({ ...context(), gateId: 'gate-nowhere' }, [input('scan-6', 'badge-6')]);
    expect([busy, late, noGate]).toEqual([{ kind: 'busy' }, { kind: 'late' }, { kind: 'no_gate' }]);
  });
});

describe('the stored decision JSON', () => {
  it('encodes a decision as scan.lua stores it: decoded back whole, restored and read back, and annulled by annul.lua', async () => {
    const [outcome] = await runScan(context(), [input('scan-7', 'badge-7')]);
    const decided = (outcome as { decision: DecidedScan }).decision;
    expect(decodeDecision(encodeDecision(decided))).toEqual(decided);

    // A rebuild restores the decision under its scan id; annul.lua reads the JSON the codec wrote.
    await redis.del(keys.decision('scan-7'));
    await scans.restore([{ scanId: 'scan-7', decision: decided, annulledOccupancy: null }]);
    expect(await scans.read('scan-7')).toMatchObject({ decision: decided, committed: true });
    const annulled = await scans.annul('scan-7', 'device-7', 60_000);
    expect(annulled).toMatchObject({ kind: 'annulled', decision: decided, occupancy: decided.occupancy - 1 });
  });
});

describe('a malformed answer', () => {
  it('is refused with an error naming what is wrong, never the person it carries', () => {
    const wrongTime = JSON.stringify({ ...JSON.parse(encodeDecision(decisionLike())), t: 'soon' });
    const refusal = (() => {
      try {
        decodeDecision(wrongTime);
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(ScriptAnswerError);
    expect((refusal as Error).message).toMatch(/^a stored scan decision is malformed: t: .*expected number/);
    expect((refusal as Error).message).not.toContain('Li Wei');

    expect(() => decodeDecision('{"b":"badge-1"')).toThrow(/a stored scan decision is not JSON/);
    expect(() => decodeScanReply(['new', encodeDecision(decisionLike()), ''], 2)).toThrow(
      /scan\.lua answered a list of 3 entries: expected 3 strings for each of its 2 scans/,
    );
    expect(() => decodeScanReply(['maybe', '', ''], 1)).toThrow(/scan\.lua answered an unknown outcome "maybe" for scan 1 of 1/);
    expect(() => decodeScanReply(7, 1)).toThrow(ScriptAnswerError);
  });

  it('is refused when scan.lua replays a stored decision that is not one', async () => {
    await runScan(context(), [input('scan-8', 'badge-8')]);
    const stored = JSON.parse((await redis.hget(keys.decision('scan-8'), 'j'))!) as Record<string, unknown>;
    await redis.hset(keys.decision('scan-8'), 'j', JSON.stringify({ ...stored, d: 'maybe', m: 'none' }));
    await expect(scans.decide(context(), [input('scan-8', 'badge-8')])).rejects.toThrow(/^a stored scan decision is malformed: d: .*; m: /);
  });
});

function decisionLike(): DecidedScan {
  return {
    badgeId: 'badge-1',
    attendeeId: 'attendee-of-badge-1',
    category: 'buyer',
    deviceId: 'device-7',
    gateId: 'gate-hall-1',
    zoneId: 'hall-1',
    zoneKind: 'hall',
    direction: 'in',
    decidedAtMs: scannedAtMs,
    scannedAtMs,
    decision: 'rejected',
    reason: 'capacity_full',
    occupancy: 100,
    capacity: 100,
    person: { n: 'Li Wei', c: 'CN' },
    moves: [],
    previousLocation: 'necc',
    previousLastMoveMs: 0,
    conflict: null,
    stale: false,
  };
}
