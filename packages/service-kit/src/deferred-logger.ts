import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, LogFn } from 'pino';

const LEVEL_VALUES: Readonly<Record<string, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

/**
 * A child logger that pino only builds when a line is written at an enabled level. Fastify makes
 * a child per request (its `reqId`) and the auth hook another (`role`, `principalId`); with the
 * redaction paths of `loggerOptions`, building both is a noticeable share of a scan request's
 * time (README, "Measurements behind code choices"), and almost no request writes a line.
 * Lines that are written carry exactly the bindings a plain child would.
 */
export class DeferredLogger implements FastifyBaseLogger {
  private built: FastifyBaseLogger | null = null;
  private ownLevel: string | undefined;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions = {},
  ) {
    this.ownLevel = options.level;
  }

  get level(): string {
    return this.built?.level ?? this.ownLevel ?? this.parent.level;
  }

  set level(level: string) {
    this.ownLevel = level;
    if (this.built) this.built.level = level;
  }

  fatal(...args: Parameters<LogFn>): void {
    this.write('fatal', args);
  }
  error(...args: Parameters<LogFn>): void {
    this.write('error', args);
  }
  warn(...args: Parameters<LogFn>): void {
    this.write('warn', args);
  }
  info(...args: Parameters<LogFn>): void {
    this.write('info', args);
  }
  debug(...args: Parameters<LogFn>): void {
    this.write('debug', args);
  }
  trace(...args: Parameters<LogFn>): void {
    this.write('trace', args);
  }
  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return new DeferredLogger(this, bindings, options);
  }

  /** The pino child itself, built on first use (its parent first, when that is deferred too). */
  logger(): FastifyBaseLogger {
    if (this.built) return this.built;
    const parent = this.parent instanceof DeferredLogger ? this.parent.logger() : this.parent;
    const options = this.ownLevel === undefined ? this.options : { ...this.options, level: this.ownLevel };
    this.built = parent.child(this.bindings, options);
    return this.built;
  }

  private write(level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace', args: Parameters<LogFn>): void {
    const threshold = LEVEL_VALUES[this.level];
    if (threshold !== undefined && LEVEL_VALUES[level]! < threshold) return;
    this.logger()[level](...args);
  }
}

/** Fastify's `childLoggerFactory`: request loggers built only when they write. */
export function deferredChildLogger(logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  return new DeferredLogger(logger, bindings, options);
}
