/**
 * A failure the operator can fix, with a message that says how. The CLI prints only the message
 * (no stack trace); tests assert on it.
 */
export class InfraError extends Error {
  override readonly name = 'InfraError';
}

/** A port chosen free was bound by another process before the server could bind it. */
export class PortLostError extends InfraError {}
