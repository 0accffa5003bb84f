import { hash } from 'node:crypto';

/**
 * A record id that follows from what the record is (its parts, joined by `|`), shaped as a UUID
 * (version 5 layout, SHA-256): written again after a lost acknowledgement or by an outbox, a
 * record gets the same id, and consumers that dedupe on ids apply it once. The layout may never
 * change: ids already on the log would stop matching.
 */
export function derivedRecordId(...parts: ReadonlyArray<string | number>): string {
  const hex = hash('sha256', parts.join('|'), 'hex');
  const variant = ((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}
