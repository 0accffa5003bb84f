import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { BadgeKeyRing } from '@expo/badges';

/**
 * The signing keys from their file (a secret: mode 0600, never in the repository). A missing file
 * is created with one new key, so a first start works; rotating is adding a key and making it
 * current, keeping the old one while its badges are still valid.
 */
export function loadKeyRingFile(path: string, log: (message: string) => void): BadgeKeyRing {
  if (existsSync(path)) return BadgeKeyRing.fromSerialized(JSON.parse(readFileSync(path, 'utf8')));
  const ring = BadgeKeyRing.generate();
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(ring.serialize(), null, 2)}\n`, { mode: 0o600 });
  log(`no badge signing keys at ${path}: created one (kid ${ring.current.kid})`);
  return ring;
}
