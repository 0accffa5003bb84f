// What every script codec of this service shares: the shape of one call, and the two ways a call
// can fail to mean what its codec says.

/** The KEYS and ARGV of one script call. */
export interface ScriptCall {
  readonly keys: string[];
  readonly args: Array<string | number>;
}

/** A script's answer this service cannot read: a bug or a script of another version, so never retried. */
export class ScriptAnswerError extends Error {
  override readonly name = 'ScriptAnswerError';
}

/** A script's arguments that do not describe what the codec sends: a bug, refused before the script runs. */
export class ScriptArgumentsError extends Error {
  override readonly name = 'ScriptArgumentsError';
}

/** A raw answer in a few words, for a refusal's message: `2`, `a string`, `a list of 3 entries`. */
export function shapeOf(reply: unknown): string {
  if (typeof reply === 'number') return String(reply);
  if (Array.isArray(reply)) return `a list of ${reply.length} entries`;
  return reply === null ? 'nil' : `a ${typeof reply}`;
}
