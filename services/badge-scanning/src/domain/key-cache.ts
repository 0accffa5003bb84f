import type { Principal } from '@expo/service-kit';

/**
 * Remembers who a key hash is for a moment, so a gate posting scans does not cost a Redis read per
 * request. A device rotated or revoked on this instance is dropped at once (`clear`); on another
 * instance the old key works at most `ttlMs` longer.
 */
export class KeyCache {
  private readonly entries = new Map<string, { principal: Principal | null; until: number }>();

  constructor(
    private readonly lookup: (keyHash: string) => Promise<Principal | null>,
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  async resolve(keyHash: string): Promise<Principal | null> {
    const now = Date.now();
    const hit = this.entries.get(keyHash);
    if (hit && hit.until > now) return hit.principal;
    const principal = await this.lookup(keyHash);
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(keyHash, { principal, until: now + this.ttlMs });
    return principal;
  }

  clear(): void {
    this.entries.clear();
  }
}
