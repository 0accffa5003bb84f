import type { z } from 'zod';

// What every codec of this service's scripts shares: the error a malformed answer is refused with,
// and how an answer is checked against its schema and described without its content.

/** A script's answer this service cannot read: a bug or a script of another version, so never retried. */
export class ScriptAnswerError extends Error {
  override readonly name = 'ScriptAnswerError';
}

/**
 * What a script answered, described for an error message without its content: a decision carries a
 * person's display name, which never reaches a log (docs/conventions.md).
 */
export function shapeOf(value: unknown): string {
  if (typeof value === 'string') return /^[a-z_]{1,24}$/.test(value) ? `"${value}"` : `a string of ${value.length} characters`;
  if (Array.isArray(value)) return `a list of ${value.length} entries`;
  if (typeof value === 'number') return String(value);
  return value === null ? 'null' : `a ${typeof value}`;
}

/** JSON a script wrote (an answer or what it stored), parsed; refused with `what` when it is not JSON. */
export function parseJson(json: string, what: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    throw new ScriptAnswerError(`${what} is not JSON (${shapeOf(json)})`);
  }
}

/** `value` read with `schema`, or refused naming each field that is wrong (zod's messages carry no values). */
export function parsedAnswer<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
  throw new ScriptAnswerError(`${what} is malformed: ${problems}`);
}

/** A script's answer that counts what it was sent (commit.lua, restore.lua): refused unless it is `sent`. */
export function countAnswer(script: string, reply: unknown, sent: number): number {
  if (reply === sent) return sent;
  throw new ScriptAnswerError(`${script} answered ${shapeOf(reply)}: expected the ${sent} entries it was sent`);
}
