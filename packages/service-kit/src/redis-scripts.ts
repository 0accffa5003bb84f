import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { RedisClient } from './redis-client.ts';

/** Lua sources by name. */
export type LuaScripts = Readonly<Record<string, string>>;

/** Every `<name>.lua` file of a directory, by name. */
export function loadLuaDir(dir: string): LuaScripts {
  const scripts: Record<string, string> = {};
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.lua'))
    .sort()) {
    scripts[basename(file, '.lua')] = readFileSync(join(dir, file), 'utf8');
  }
  return scripts;
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

/** The keys of a service's state lifecycle (see state-lifecycle.ts): its marker and rebuild lease. */
export interface StateKeys {
  readonly marker: string;
  readonly lease: string;
}

/**
 * The lease token of the rebuild this call belongs to: set around a rebuild (and what it starts, as
 * analytics' consumers), so only its own script calls pass the guard of an unmarked state, not a
 * request or a sweep of the same instance that was already under way.
 */
export const rebuildToken = new AsyncLocalStorage<string>();

/** The reply error of a guarded script that found the state not whole. */
export const STATE_LOST_REPLY = 'STATELOST';

// Prepended to every script of a guarded runner: the two keys and the one argument the runner
// appends are taken off KEYS and ARGV (positions, #KEYS and #ARGV stay as the script was written),
// and the script refuses to run unless the state is whole (marker) or the caller is the rebuild
// that holds the lease (its token): right after a FLUSHALL, and while another instance rebuilds.
const GUARD_PRELUDE = [
  'local __stateLease = table.remove(KEYS)',
  'local __stateMarker = table.remove(KEYS)',
  'local __rebuilder = table.remove(ARGV)',
  "if redis.call('EXISTS', __stateMarker) == 0 and (__rebuilder == '' or redis.call('GET', __stateLease) ~= __rebuilder) then",
  `  return redis.error_reply('${STATE_LOST_REPLY} the service state is not whole: it is rebuilt from Kafka')`,
  'end',
  '',
].join('\n');

interface LoadedScript {
  readonly source: string;
  readonly sha: string;
}

/**
 * Runs scripts by name with EVALSHA, so only the 40-character digest travels per call. Redis may
 * have lost its script cache (restart, failover); then the source is sent once with EVAL, which
 * caches it again.
 */
export class ScriptRunner {
  readonly #redis: RedisClient;
  readonly #scripts = new Map<string, LoadedScript>();
  readonly #guardKeys: readonly string[];
  readonly #raw: LuaScripts;
  readonly #guard: StateKeys | undefined;

  /**
   * With `guard`, every script refuses (STATELOST) while the service's state is lost, so no write
   * lands in an emptied Redis as if it were whole before the lifecycle notices.
   */
  constructor(redis: RedisClient, scripts: LuaScripts, guard?: StateKeys) {
    this.#redis = redis;
    this.#raw = scripts;
    this.#guard = guard;
    this.#guardKeys = guard ? [guard.marker, guard.lease] : [];
    for (const [name, raw] of Object.entries(scripts)) {
      const source = guard ? GUARD_PRELUDE + raw : raw;
      this.#scripts.set(name, { source, sha: createHash('sha1').update(source, 'utf8').digest('hex') });
    }
  }

  /** The same scripts and guard over another connection (the rebuild's, with its own timeouts). */
  on(redis: RedisClient): ScriptRunner {
    return new ScriptRunner(redis, this.#raw, this.#guard);
  }

  get names(): string[] {
    return [...this.#scripts.keys()];
  }

  async run<T = unknown>(name: string, keys: readonly string[], args: readonly (string | number)[] = []): Promise<T> {
    const script = this.#scripts.get(name);
    if (!script) throw new Error(`no Lua script named "${name}" (known: ${this.names.join(', ') || 'none'})`);
    const guarded = this.#guardKeys.length > 0;
    const all = guarded ? [...keys, ...this.#guardKeys] : keys;
    const argv = guarded ? [...args, rebuildToken.getStore() ?? ''] : args;
    try {
      return (await this.#redis.evalsha(script.sha, all.length, ...all, ...argv)) as T;
    } catch (error) {
      if (!isNoScript(error)) throw error;
      return (await this.#redis.eval(script.source, all.length, ...all, ...argv)) as T;
    }
  }
}
