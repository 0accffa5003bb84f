/**
 * A failure the operator can fix, with a message that says how. The CLI prints only the message
 * (no stack trace); tests assert on it.
 */
export class InfraError extends Error {
  override readonly name = 'InfraError';
}
