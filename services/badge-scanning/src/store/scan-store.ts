import type { Redis } from 'ioredis';
import type { ScriptRunner } from '@expo/service-kit';
import type { ScanDirection } from '@expo/schemas';
import { locationAfter, parseDecision, zoneDeltas, type Decision } from '../domain/decision.ts';
import type { ScanningKeys } from './keys.ts';

/** What every scan of one call shares: the device that sent them, and when they are decided. */
export interface DecideContext {
  readonly gateId: string;
  readonly deviceId: string;
  readonly offline: boolean;
  readonly nowMs: number;
}

export interface DecideInput {
  readonly scanId: string;
  readonly badgeId: string;
  readonly attendeeId: string | null;
  readonly category: string | null;
  readonly direction: ScanDirection;
  readonly preReason: string | null;
  readonly access: readonly string[];
  readonly scannedAtMs: number;
}

/**
 * Scans per script call. Redis pays about 12 µs per call on top of 25-31 µs per scan (measured with
 * INFO commandstats: 41 µs a scan one per call, 25-31 µs in chunks of 10 to 250), and a chunk of 50
 * holds Redis about 1.5 ms, so an offline batch does not stall the online gates between its chunks.
 */
const SCRIPT_CHUNK = 50;

export type DecideOutcome =
  | { readonly kind: 'new'; readonly decision: Decision }
  | { readonly kind: 'replay'; readonly decision: Decision; readonly committed: boolean }
  | { readonly kind: 'no_gate' }
  | { readonly kind: 'no_zone' };

export type AnnulOutcome =
  | { readonly kind: 'annulled' | 'already'; readonly decision: Decision; readonly occupancy: number }
  | { readonly kind: 'rejected' | 'expired' | 'moved'; readonly decision: Decision }
  | { readonly kind: 'not_found' }
  | { readonly kind: 'other_device' };

/** The scan scripts and the decision memory; every state change of a scan is one script call. */
export class ScanStore {
  private toCommit: string[] = [];
  private committing: Promise<void> | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly scripts: ScriptRunner,
    private readonly keys: ScanningKeys,
    private readonly memorySeconds: number,
  ) {}

  /** Decides the scans in order, each against the state the previous ones left. */
  async decide(context: DecideContext, inputs: readonly DecideInput[]): Promise<DecideOutcome[]> {
    const chunks: Array<Promise<DecideOutcome[]>> = [];
    for (let from = 0; from < inputs.length; from += SCRIPT_CHUNK) chunks.push(this.decideChunk(context, inputs.slice(from, from + SCRIPT_CHUNK)));
    return (await Promise.all(chunks)).flat();
  }

  private async decideChunk(context: DecideContext, inputs: readonly DecideInput[]): Promise<DecideOutcome[]> {
    const k = this.keys;
    const keys = [k.zoneMeta(), k.gates(), k.location(), k.lastMove(), k.occupancy(), k.revoked(), k.people(), k.badgeAttendee()];
    const args: Array<string | number> = [context.gateId, context.deviceId, context.offline ? 'offline' : 'online', context.nowMs, this.memorySeconds];
    for (const input of inputs) {
      keys.push(k.decision(input.scanId));
      args.push(input.badgeId, input.attendeeId ?? '', input.direction, input.preReason ?? '', input.access.join('\n'), input.scannedAtMs, input.category ?? '');
    }
    const reply = await this.scripts.run<string[]>('scan', keys, args);
    const outcomes: DecideOutcome[] = [];
    for (let i = 0; i < reply.length; i += 3) {
      const kind = reply[i];
      if (kind === 'no_gate' || kind === 'no_zone') outcomes.push({ kind });
      else if (kind === 'replay') outcomes.push({ kind, decision: parseDecision(reply[i + 1]!), committed: reply[i + 2] === '1' });
      else outcomes.push({ kind: 'new', decision: parseDecision(reply[i + 1]!) });
    }
    return outcomes;
  }

  /**
   * Kafka acknowledged these scans' records: replays may now answer them. One produce request
   * acknowledges the scans of many requests at once; their marks are gathered until the event loop
   * has run them all and written with one script call, instead of one Redis call per request.
   */
  markCommitted(scanIds: readonly string[]): Promise<void> {
    for (const scanId of scanIds) this.toCommit.push(this.keys.decision(scanId));
    this.committing ??= new Promise<void>((resolve, reject) =>
      setImmediate(() => {
        const keys = this.toCommit;
        this.toCommit = [];
        this.committing = null;
        this.scripts.run('commit', keys).then(() => resolve(), reject);
      }),
    );
    return this.committing;
  }

  async read(scanId: string): Promise<{ decision: Decision; committed: boolean } | null> {
    const [json, committed] = await this.redis.hmget(this.keys.decision(scanId), 'j', 'c');
    return json ? { decision: parseDecision(json), committed: committed === '1' } : null;
  }

  /** Takes back a decision whose records Kafka refused; false if the badge has moved on since. */
  async revert(scanId: string, decision: Decision): Promise<boolean> {
    const deltas = [...zoneDeltas(decision.moves, -1)].flatMap(([zone, delta]) => [zone, delta]);
    const restoreLastMove = decision.decision === 'accepted' && !decision.stale ? String(decision.previousLastMoveMs) : '';
    const done = await this.scripts.run<number>(
      'revert',
      [this.keys.decision(scanId), this.keys.location(), this.keys.lastMove(), this.keys.occupancy()],
      [decision.badgeId, locationAfter(decision) ?? '', decision.previousLocation ?? '', restoreLastMove, 'del', ...deltas],
    );
    return done === 1;
  }

  async annul(scanId: string, deviceId: string, nowMs: number, windowMs: number): Promise<AnnulOutcome> {
    const [kind, json, after] = await this.scripts.run<[string, string?, string?]>(
      'annul',
      [this.keys.decision(scanId), this.keys.location(), this.keys.occupancy()],
      [deviceId, nowMs, windowMs],
    );
    if (kind === 'not_found' || kind === 'other_device') return { kind };
    const decision = parseDecision(json ?? '');
    if (kind === 'annulled' || kind === 'already') return { kind, decision, occupancy: Number(after) };
    return { kind: kind as 'rejected' | 'expired' | 'moved', decision };
  }

  /** Restores an annulled scan's move when the annul record could not be written. */
  async unannul(scanId: string, decision: Decision): Promise<void> {
    const own = decision.moves.find((m) => m.origin === 'device');
    if (!own) return;
    await this.scripts.run(
      'revert',
      [this.keys.decision(scanId), this.keys.location(), this.keys.lastMove(), this.keys.occupancy()],
      [decision.badgeId, own.fromZoneId ?? '', own.toZoneId ?? '', '', 'unannul', own.zoneId, own.direction === 'in' ? 1 : -1],
    );
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
