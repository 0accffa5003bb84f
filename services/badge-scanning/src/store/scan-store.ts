import type { ScriptRunner, RedisClient } from '@expo/service-kit';
import { locationAfter, zoneDeltas, type DecidedScan } from '../domain/decided-scan.ts';
import { decodeAnnulReply, encodeAnnulArgs, type AnnulOutcome } from './annul-codec.ts';
import { decodeCommitReply, decodeOutboxMember, encodeCommitArgs, encodeOutboxMember } from './commit-codec.ts';
import { decodeDecision, decodeScanReply, encodeDecisionArgs, type DecideContext, type DecideInput, type DecideOutcome } from './decision-codec.ts';
import type { ScanningKeys } from './keys.ts';
import { decodeRestoreReply, encodeRestoreArgs, type RestoreEntry } from './restore-codec.ts';
import { decodeRevertReply, encodeRevertArgs, type RevertArgs } from './revert-codec.ts';

export type { AnnulOutcome } from './annul-codec.ts';
export type { DecideContext, DecideInput, DecideOutcome } from './decision-codec.ts';
export type { RestoreEntry } from './restore-codec.ts';

/**
 * Scans per script call: large enough that Redis's cost per call is shared by many scans, small
 * enough that an offline batch does not stall the online gates between its chunks (README,
 * "Measurements behind code choices").
 */
const SCRIPT_CHUNK = 50;

/** A decision (or annulment) whose records Kafka has not acknowledged, as the outbox holds it. */
export interface Unconfirmed {
  /** The outbox member: the scanId, or `annul:<scanId>`. */
  readonly member: string;
  readonly scanId: string;
  readonly decision: DecidedScan;
  readonly scannedAt: string;
  readonly offline: boolean;
  /** For an annulment: when, and the occupancy after it. */
  readonly annulment: { readonly atMs: number; readonly occupancy: number } | null;
}

/** The scan scripts and the decision memory; every state change of a scan is one script call. */
export class ScanStore {
  private toCommit: string[] = [];
  private committing: Promise<void> | null = null;

  constructor(
    private readonly redis: RedisClient,
    private readonly scripts: ScriptRunner,
    private readonly keys: ScanningKeys,
    private readonly memorySeconds: number,
  ) {}

  /** Decides the scans in order, each against the state the previous ones left. */
  async decide(context: DecideContext, inputs: readonly DecideInput[]): Promise<DecideOutcome[]> {
    const chunks: Array<Promise<DecideOutcome[]>> = [];
    for (let from = 0; from < inputs.length; from += SCRIPT_CHUNK) chunks.push(this.decideChunk(context, inputs.slice(from, from + SCRIPT_CHUNK), from));
    return (await Promise.all(chunks)).flat();
  }

  private async decideChunk(context: DecideContext, inputs: readonly DecideInput[], first: number): Promise<DecideOutcome[]> {
    const k = this.keys;
    const keys = [
      k.zoneMeta(),
      k.gates(),
      k.location(),
      k.lastMove(),
      k.occupancy(),
      k.revoked(),
      k.people(),
      k.badgeAttendee(),
      k.unconfirmed(),
      k.unconfirmedBadges(),
    ];
    for (const input of inputs) keys.push(k.decision(input.scanId));
    const args = encodeDecisionArgs({ context, scans: inputs, firstPosition: first, ttlSeconds: this.memorySeconds });
    return decodeScanReply(await this.scripts.run('scan', keys, args), inputs.length);
  }

  /**
   * Kafka acknowledged these records (outbox members: scanIds, or `annul:<scanId>`): replays may
   * now answer them. One produce request acknowledges the scans of many requests at once; their
   * marks are gathered until the event loop has run them all and written with one script call,
   * instead of one Redis call per request.
   */
  markCommitted(members: readonly string[]): Promise<void> {
    this.toCommit.push(...members);
    this.committing ??= new Promise<void>((resolve, reject) =>
      setImmediate(() => {
        const batch = this.toCommit;
        this.toCommit = [];
        this.committing = null;
        const k = this.keys;
        const keys = [k.unconfirmed(), k.unconfirmedBadges(), ...batch.map((m) => k.decision(decodeOutboxMember(m).scanId))];
        this.scripts
          .run('commit', keys, encodeCommitArgs(batch))
          .then((reply) => {
            decodeCommitReply(reply, batch.length);
          })
          .then(resolve, reject);
      }),
    );
    return this.committing;
  }

  /**
   * Decisions a rebuild took from the scan log, each acknowledged (its records are there), or the
   * occupancy after its annulment; one script call for many, instead of two commands each.
   */
  async restore(decisions: readonly RestoreEntry[]): Promise<void> {
    const keys = decisions.map((d) => this.keys.decision(d.scanId));
    const reply = await this.scripts.run('restore', keys, encodeRestoreArgs({ ttlSeconds: this.memorySeconds, entries: decisions }));
    decodeRestoreReply(reply, decisions.length);
  }

  async read(scanId: string): Promise<{ decision: DecidedScan; committed: boolean; scannedAt: string; offline: boolean } | null> {
    const [json, committed, scannedAt, offline] = await this.redis.hmget(this.keys.decision(scanId), 'j', 'c', 's', 'o');
    if (!json) return null;
    const decision = decodeDecision(json);
    return { decision, committed: committed === '1', scannedAt: scannedAt ?? new Date(decision.scannedAtMs).toISOString(), offline: offline === '1' };
  }

  /** Redis's clock (ms), the one decision times are taken from. */
  async clock(): Promise<number> {
    const [seconds, micros] = await this.redis.time();
    return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  }

  /** Outbox entries decided more than `graceMs` ago (RedisClient's clock), oldest first; entries whose decision expired are dropped. */
  async unconfirmed(graceMs: number, limit: number): Promise<Unconfirmed[]> {
    const beforeMs = (await this.clock()) - graceMs;
    // Scored decided-at ms * 1024 + position in its request (scan.lua): oldest first, in order.
    const members = await this.redis.zrangebyscore(this.keys.unconfirmed(), '-inf', `(${beforeMs * 1024}`, 'LIMIT', 0, limit);
    const found: Unconfirmed[] = [];
    const gone: string[] = [];
    // One round trip for the whole page (the reads are pipelined), not one per entry.
    const fields = await Promise.all(members.map((m) => this.redis.hmget(this.keys.decision(decodeOutboxMember(m).scanId), 'j', 's', 'o', 'a', 'at')));
    for (const [i, member] of members.entries()) {
      const { scanId, annulment: annul } = decodeOutboxMember(member);
      const [json, scannedAt, offline, after, at] = fields[i]!;
      if (!json || (annul && after === null)) {
        gone.push(member);
        continue;
      }
      const decision = decodeDecision(json);
      found.push({
        member,
        scanId,
        decision,
        scannedAt: scannedAt ?? new Date(decision.scannedAtMs).toISOString(),
        offline: offline === '1',
        annulment: annul ? { atMs: Number(at), occupancy: Number(after) } : null,
      });
    }
    if (gone.length > 0) await this.redis.zrem(this.keys.unconfirmed(), ...gone);
    return found;
  }

  /** How many decisions and annulments wait for Kafka's acknowledgement. */
  unconfirmedCount(): Promise<number> {
    return this.redis.zcard(this.keys.unconfirmed());
  }

  private async runRevert(scanId: string, args: RevertArgs): Promise<boolean> {
    const k = this.keys;
    const keys = [k.decision(scanId), k.location(), k.lastMove(), k.occupancy(), k.unconfirmed(), k.unconfirmedBadges()];
    return decodeRevertReply(await this.scripts.run('revert', keys, encodeRevertArgs(args)));
  }

  /** Takes back a decision whose records Kafka certainly did not write; false if the badge has moved on since. */
  async revert(scanId: string, decision: DecidedScan): Promise<boolean> {
    return this.runRevert(scanId, {
      badgeId: decision.badgeId,
      leftAt: locationAfter(decision),
      restoreLocation: decision.previousLocation,
      restoreLastMoveMs: decision.decision === 'accepted' && !decision.stale ? decision.previousLastMoveMs : null,
      decisionHash: 'forget',
      outboxMember: encodeOutboxMember({ scanId, annulment: false }),
      occupancyDeltas: [...zoneDeltas(decision.moves, -1)],
    });
  }

  async annul(scanId: string, deviceId: string, windowMs: number): Promise<AnnulOutcome> {
    const k = this.keys;
    const reply = await this.scripts.run(
      'annul',
      [k.decision(scanId), k.location(), k.occupancy(), k.unconfirmed()],
      encodeAnnulArgs({ scanId, deviceId, windowMs }),
    );
    return decodeAnnulReply(reply);
  }

  /** Restores an annulled scan's move when the annul record certainly was not written; false if the badge has moved on since. */
  async unannul(scanId: string, decision: DecidedScan): Promise<boolean> {
    const own = decision.moves.find((m) => m.origin === 'device');
    if (!own) return false;
    return this.runRevert(scanId, {
      badgeId: decision.badgeId,
      leftAt: own.fromZoneId,
      restoreLocation: own.toZoneId,
      restoreLastMoveMs: null,
      decisionHash: 'unannul',
      outboxMember: encodeOutboxMember({ scanId, annulment: true }),
      occupancyDeltas: [[own.zoneId, own.direction === 'in' ? 1 : -1]],
    });
  }

  /** Claims a leadId; null when this call claimed it, else what the first claim stored. */
  async claimLead(leadId: string, json: string): Promise<{ exhibitorId: string; badgeId: string } | null> {
    const key = this.keys.lead(leadId);
    const claimed = await this.redis.set(key, json, 'EX', this.memorySeconds, 'NX');
    if (claimed === 'OK') return null;
    const existing = await this.redis.get(key);
    return existing ? (JSON.parse(existing) as { exhibitorId: string; badgeId: string }) : null;
  }

  async releaseLead(leadId: string): Promise<void> {
    await this.redis.del(this.keys.lead(leadId));
  }

  /** The exhibitor's own list, with its note and rating (these never leave this service). */
  async keepLead(exhibitorId: string, leadId: string, json: string): Promise<void> {
    await this.redis.hset(this.keys.exhibitorLeads(exhibitorId), leadId, json);
  }

  async leadsOf(exhibitorId: string): Promise<Array<[string, string]>> {
    return Object.entries(await this.redis.hgetall(this.keys.exhibitorLeads(exhibitorId)));
  }
}
