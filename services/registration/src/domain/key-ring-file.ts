import { randomUUID } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BadgeKeyRing } from '@expo/badges';

/**
 * The signing keys from their file (a secret: mode 0600, never in the repository). A missing file
 * is created with one new key, so a first start works; rotating is adding a key and making it
 * current, keeping the old one while its badges are still valid.
 *
 * Several instances may start at once on one shared file: the new ring is written whole to a file
 * of this instance's own and then linked into place, which fails if another instance got there
 * first; then that instance's ring is the one read. No instance reads a half-written file, and all
 * sign with the same keys.
 */
export function loadKeyRingFile(path: string, log: (message: string) => void): BadgeKeyRing {
  const read = () => BadgeKeyRing.fromSerialized(JSON.parse(readFileSync(path, 'utf8')));
  if (existsSync(path)) return read();
  const ring = BadgeKeyRing.generate();
  mkdirSync(dirname(path), { recursive: true });
  const own = join(dirname(path), `.${randomUUID()}.keys.tmp`);
  writeFileSync(own, `${JSON.stringify(ring.serialize(), null, 2)}\n`, { mode: 0o600 });
  try {
    linkSync(own, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return read();
  } finally {
    unlinkSync(own);
  }
  log(`no badge signing keys at ${path}: created one (kid ${ring.current.kid})`);
  return ring;
}
