import net from 'node:net';

export interface TcpProxyOptions {
  readonly targetHost: string;
  readonly targetPort: number;
  /** Where to listen on 127.0.0.1; any free port by default. */
  readonly listenPort?: number;
}

/**
 * Bytes a direction may hold back (latency) before it stops reading its source: the backpressure
 * of the far side reaches the near side as it would without a proxy in between.
 */
const MAX_QUEUED_BYTES = 1024 * 1024;

/**
 * One direction of a connection: chunks from `source` reach `sink` in order, each `delayMs()` after
 * it arrived. The source's end becomes the sink's end once everything before it was written.
 */
class DelayedPipe {
  readonly #queue: Array<{ chunk: Buffer; due: number }> = [];
  #queuedBytes = 0;
  #lastDue = 0;
  #timer: NodeJS.Timeout | null = null;
  #sourceEnded = false;
  /** The sink was told to end: every byte of the source was handed over. */
  finished = false;

  constructor(
    private readonly source: net.Socket,
    private readonly sink: net.Socket,
    private readonly delayMs: () => number,
  ) {
    source.on('data', (chunk: Buffer) => this.#push(chunk));
    source.on('end', () => {
      this.#sourceEnded = true;
      this.#flush();
    });
    sink.on('drain', () => this.#flush());
  }

  #push(chunk: Buffer): void {
    // Never before the chunk ahead of it, even if the latency was lowered since.
    this.#lastDue = Math.max(Date.now() + this.delayMs(), this.#lastDue);
    this.#queue.push({ chunk, due: this.#lastDue });
    this.#queuedBytes += chunk.length;
    if (this.#queuedBytes > MAX_QUEUED_BYTES) this.source.pause();
    this.#flush();
  }

  #flush(): void {
    if (this.#timer || this.sink.destroyed) return;
    const now = Date.now();
    while (this.#queue.length > 0 && !this.sink.writableNeedDrain) {
      const head = this.#queue[0]!;
      if (head.due > now) {
        this.#timer = setTimeout(() => {
          this.#timer = null;
          this.#flush();
        }, head.due - now);
        return;
      }
      this.#queue.shift();
      this.#queuedBytes -= head.chunk.length;
      this.sink.write(head.chunk);
    }
    if (this.#queue.length > 0) return; // waits for 'drain'
    if (this.#sourceEnded && !this.finished) {
      this.finished = true;
      this.sink.end();
    } else if (!this.sink.writableNeedDrain && this.source.isPaused()) {
      this.source.resume();
    }
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#queue.length = 0;
    this.#queuedBytes = 0;
  }
}

/** A client's connection and the one the proxy opened to the target for it. */
class ConnectionPair {
  readonly #toUpstream: DelayedPipe;
  readonly #toClient: DelayedPipe;
  #done = false;

  constructor(
    readonly client: net.Socket,
    readonly upstream: net.Socket,
    delayMs: () => number,
    private readonly onDone: (pair: ConnectionPair) => void,
  ) {
    this.#toUpstream = new DelayedPipe(client, upstream, delayMs);
    this.#toClient = new DelayedPipe(upstream, client, delayMs);
    // A reset or refused connection on either side closes the pair; it never reaches the process.
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
    client.on('close', () => this.#closed(client, upstream, this.#toClient));
    upstream.on('close', () => this.#closed(upstream, client, this.#toUpstream));
  }

  /**
   * A side closed. If it closed cleanly (it ended its half and took every byte meant for it), the
   * other side finishes on its own; otherwise (a reset, a refused target) it is destroyed too.
   */
  #closed(side: net.Socket, other: net.Socket, intoSide: DelayedPipe): void {
    const clean = side.readableEnded && intoSide.finished;
    if (!clean) this.destroy(false);
    else if (other.closed) this.#finish();
  }

  #finish(): void {
    if (this.#done) return;
    this.#done = true;
    this.#toUpstream.stop();
    this.#toClient.stop();
    this.onDone(this);
  }

  /** Closes both sides now: with a TCP reset when `reset`, so the client sees the connection broken. */
  destroy(reset: boolean): void {
    for (const socket of [this.client, this.upstream]) {
      if (socket.destroyed) continue;
      if (reset && !socket.connecting) socket.resetAndDestroy();
      else socket.destroy();
    }
    this.#finish();
  }
}

/**
 * A TCP proxy the chaos harness puts between the services and Redis (or another plain TCP peer):
 * it adds latency, breaks connections, refuses new ones and moves to another target on demand.
 */
export class TcpProxy {
  /** Where it listens on 127.0.0.1 (still known after close). */
  readonly port: number;
  readonly #server: net.Server;
  readonly #targetHost: string;
  #targetPort: number;
  #latencyMs = 0;
  #refusing = false;
  readonly #pairs = new Set<ConnectionPair>();

  private constructor(server: net.Server, options: TcpProxyOptions) {
    this.#server = server;
    this.port = (server.address() as net.AddressInfo).port;
    this.#targetHost = options.targetHost;
    this.#targetPort = options.targetPort;
    server.on('connection', (client) => this.#accept(client));
    // A failing accept (descriptors exhausted) must not end the process: the client sees it fail.
    server.on('error', () => undefined);
  }

  static async start(options: TcpProxyOptions): Promise<TcpProxy> {
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.listenPort ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new TcpProxy(server, options);
  }

  get connections(): number {
    return this.#pairs.size;
  }

  /** Delays every chunk, both ways, by `ms` from now on (order kept per direction); 0 for none. */
  setLatency(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`latency must be a non-negative number of ms, got ${ms}`);
    this.#latencyMs = ms;
  }

  /** Breaks every open connection (a TCP reset to both ends); answers how many there were. */
  dropConnections(): number {
    const pairs = [...this.#pairs];
    for (const pair of pairs) pair.destroy(true);
    return pairs.length;
  }

  /** While true, a new connection is accepted and reset at once; open ones go on. */
  setRefusing(refusing: boolean): void {
    this.#refusing = refusing;
  }

  /** Connections opened from now on go to `targetPort` (same host); open ones stay where they are. */
  retarget(targetPort: number): void {
    this.#targetPort = targetPort;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const pair of [...this.#pairs]) pair.destroy(false);
    await closed;
  }

  #accept(client: net.Socket): void {
    if (this.#refusing) {
      client.on('error', () => undefined);
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect({ host: this.#targetHost, port: this.#targetPort, allowHalfOpen: true });
    const pair = new ConnectionPair(
      client,
      upstream,
      () => this.#latencyMs,
      (done) => this.#pairs.delete(done),
    );
    this.#pairs.add(pair);
    client.resume();
  }
}
