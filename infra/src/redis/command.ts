import { connect } from 'node:net';
import { connect as connectTls } from 'node:tls';

export type RedisReply = string | number | null | RedisReply[];

export class RedisReplyError extends Error {}

/** A Redis that speaks TLS only (RedisOptions.tls): the PEM certificate authority its certificate is checked against. */
export interface RedisCommandTls {
  readonly ca: string;
}

/** An ACL user's name and password (a secured Redis: see RedisAclOptions). */
export interface RedisAuth {
  readonly username: string;
  readonly password: string;
}

type Parsed = { readonly value: RedisReply; readonly end: number } | undefined;

/** One RESP2 reply from `buffer` at `start`; undefined while it is not complete. */
function parseReply(buffer: Buffer, start: number): Parsed {
  const lineEnd = buffer.indexOf('\r\n', start);
  if (lineEnd < 0) return undefined;
  const type = String.fromCharCode(buffer[start] ?? 0);
  const line = buffer.toString('utf8', start + 1, lineEnd);
  const next = lineEnd + 2;
  if (type === '+') return { value: line, end: next };
  if (type === '-') throw new RedisReplyError(line);
  if (type === ':') return { value: Number(line), end: next };
  const length = Number(line);
  if (type === '$') {
    if (length < 0) return { value: null, end: next };
    if (buffer.length < next + length + 2) return undefined;
    return { value: buffer.toString('utf8', next, next + length), end: next + length + 2 };
  }
  if (type === '*') {
    const items: RedisReply[] = [];
    let at = next;
    for (let i = 0; i < length; i += 1) {
      const item = parseReply(buffer, at);
      if (item === undefined) return undefined;
      items.push(item.value);
      at = item.end;
    }
    return { value: length < 0 ? null : items, end: at };
  }
  throw new RedisReplyError(`unexpected reply type ${JSON.stringify(type)}`);
}

/**
 * Sends one command to the Redis on 127.0.0.1:`port` and settles with its reply: what infra needs
 * to watch its own servers (start-up, cluster state) without a client library. An error reply
 * rejects with RedisReplyError; no answer within `timeoutMs` rejects too. With `auth` the command
 * is sent as that ACL user (AUTH first, on the same connection); with `tls` over TLS.
 */
export function redisCommand(port: number, args: readonly string[], timeoutMs = 2000, auth?: RedisAuth, tls?: RedisCommandTls): Promise<RedisReply> {
  return new Promise((resolve, reject) => {
    const socket = tls ? connectTls({ port, host: '127.0.0.1', ca: tls.ca }) : connect({ port, host: '127.0.0.1' });
    let received = Buffer.alloc(0);
    let settled = false;
    const settle = (error: Error | null, value: RedisReply = null) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      if (error) reject(error);
      else resolve(value);
    };
    socket.setTimeout(timeoutMs, () => settle(new Error(`no answer from 127.0.0.1:${port} within ${timeoutMs} ms`)));
    socket.once('error', (error: Error) => settle(error));
    socket.once('close', () => settle(new Error(`127.0.0.1:${port} closed the connection before answering`)));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      try {
        // The AUTH reply comes first; an error in it (WRONGPASS) rejects.
        const authReply = auth ? parseReply(received, 0) : { value: null, end: 0 };
        const reply = authReply && parseReply(received, authReply.end);
        if (reply !== undefined) settle(null, reply.value);
      } catch (error) {
        settle(error as Error);
      }
    });
    socket.once(tls ? 'secureConnect' : 'connect', () => {
      const encode = (command: readonly string[]) => `*${command.length}\r\n${command.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`;
      socket.write((auth ? encode(['AUTH', auth.username, auth.password]) : '') + encode(args));
    });
  });
}

/** The `field:value` lines of an INFO or CLUSTER INFO reply. */
export function infoFields(reply: RedisReply): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of String(reply).split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}
