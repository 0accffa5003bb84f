import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Redis } from 'ioredis';

/** Lua sources by name. */
export type LuaScripts = Readonly<Record<string, string>>;

/** Every `<name>.lua` file of a directory, by name. */
export function loadLuaDir(dir: string): LuaScripts {
  const scripts: Record<string, string> = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.lua')).sort()) {
    scripts[basename(file, '.lua')] = readFileSync(join(dir, file), 'utf8');
  }
  return scripts;
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

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
  readonly #redis: Redis;
  readonly #scripts = new Map<string, LoadedScript>();

  constructor(redis: Redis, scripts: LuaScripts) {
    this.#redis = redis;
    for (const [name, source] of Object.entries(scripts)) {
      this.#scripts.set(name, { source, sha: createHash('sha1').update(source, 'utf8').digest('hex') });
    }
  }

  get names(): string[] {
    return [...this.#scripts.keys()];
  }

  async run<T = unknown>(name: string, keys: readonly string[], args: readonly (string | number)[] = []): Promise<T> {
    const script = this.#scripts.get(name);
    if (!script) throw new Error(`no Lua script named "${name}" (known: ${this.names.join(', ') || 'none'})`);
    try {
      return (await this.#redis.evalsha(script.sha, keys.length, ...keys, ...args)) as T;
    } catch (error) {
      if (!isNoScript(error)) throw error;
      return (await this.#redis.eval(script.source, keys.length, ...keys, ...args)) as T;
    }
  }
}
