import { createServer } from 'node:net';
import { InfraError, PortLostError } from './errors.ts';

function listenOnce(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(null));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : null;
      server.close(() => resolve(bound));
    });
  });
}

export async function isPortFree(port: number): Promise<boolean> {
  return (await listenOnce(port)) === port;
}

/**
 * A port the OS reports free right now on loopback, other than those in `exclude`. The OS may
 * hand back a port it just released, so a caller needing two distinct ports passes the first.
 */
export async function freePort(exclude: readonly number[] = []): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const port = await listenOnce(0);
    if (port === null) break;
    if (!exclude.includes(port)) return port;
  }
  throw new InfraError('No free TCP port on 127.0.0.1');
}

/**
 * The port to use for a service: the one asked for explicitly must be free (else a message naming
 * it); a preferred default is used when free, otherwise any free port.
 */
export async function choosePort(what: string, explicit: number | undefined, preferred?: number): Promise<number> {
  if (explicit !== undefined) {
    if (await isPortFree(explicit)) return explicit;
    throw new InfraError(`${what}: port ${explicit} is already in use on 127.0.0.1; free it or pick another port.`);
  }
  if (preferred !== undefined && (await isPortFree(preferred))) return preferred;
  return freePort();
}

/**
 * Starts a server, again on new ports when it lost one (`startOnce` throws PortLostError): a port
 * chosen free can be taken by another process before the server binds it, as when several test
 * projects start servers at once. Up to three times; a port set explicitly is never swapped.
 */
export async function restartOnLostPort<T>(
  what: string,
  explicitPort: number | undefined,
  startOnce: () => Promise<T>,
  log?: (line: string) => void,
): Promise<T> {
  const attempts = explicitPort === undefined ? 3 : 1;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startOnce();
    } catch (error) {
      if (!(error instanceof PortLostError) || attempt >= attempts) throw error;
      log?.(`${what} lost its port to another process; starting again on new ports (${error.message.split('\n')[0]})`);
    }
  }
}
