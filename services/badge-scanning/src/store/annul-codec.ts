import { z } from 'zod';
import type { DecidedScan } from '../domain/decided-scan.ts';
import { decodeDecision } from './decision-codec.ts';
import { parsedAnswer, ScriptAnswerError, shapeOf } from './script-answer.ts';

// The one place that knows how annul.lua takes an annulment and what it answers.

/** One annul.lua call, by name. */
export interface AnnulArgs {
  readonly scanId: string;
  /** Only the device that made the scan may annul it. */
  readonly deviceId: string;
  /** How long after its decision a scan may be annulled, on Redis's clock. */
  readonly windowMs: number;
}

export type AnnulOutcome =
  | {
      readonly kind: 'annulled' | 'already';
      readonly decision: DecidedScan;
      readonly occupancy: number;
      readonly annulledAtMs: number;
      readonly committed: boolean;
    }
  | { readonly kind: 'rejected' | 'expired' | 'moved'; readonly decision: DecidedScan }
  | { readonly kind: 'not_found' }
  | { readonly kind: 'other_device' };

/** ARGV: 1 deviceId, 2 unused (''), 3 window ms, 4 scanId. */
export function encodeAnnulArgs(args: AnnulArgs): [string, string, number, string] {
  return [args.deviceId, '', args.windowMs, args.scanId];
}

/** An integer as Redis gives it back: a Lua number arrives as a number, a hash field as its string. */
const Integer = z.preprocess((value) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value), z.number().int());

const Bare = z.tuple([z.string()]);
const WithDecision = z.tuple([z.string(), z.string()]);
/** kind, decision JSON, occupancy after the annulment, annulled at (ms; '0' when kept before it was), '1' once acknowledged. */
const Annulled = z.tuple([z.string(), z.string(), Integer, Integer, z.enum(['0', '1'])]);

/** annul.lua's answer: `{kind, decision JSON[, occupancy after, annulled at ms, committed]}`. */
export function decodeAnnulReply(reply: unknown): AnnulOutcome {
  const kind: unknown = Array.isArray(reply) ? reply[0] : undefined;
  const what = `annul.lua's answer ${shapeOf(kind)}`;
  switch (kind) {
    case 'not_found':
    case 'other_device':
      parsedAnswer(Bare, reply, what);
      return { kind };
    case 'rejected':
    case 'expired':
    case 'moved':
      return { kind, decision: decodeDecision(parsedAnswer(WithDecision, reply, what)[1]) };
    case 'annulled':
    case 'already': {
      const [, json, occupancy, annulledAtMs, committed] = parsedAnswer(Annulled, reply, what);
      return { kind, decision: decodeDecision(json), occupancy, annulledAtMs, committed: committed === '1' };
    }
    default:
      throw new ScriptAnswerError(
        Array.isArray(reply) ? `annul.lua answered an unknown outcome ${shapeOf(kind)}` : `annul.lua answered ${shapeOf(reply)}: expected a list`,
      );
  }
}
