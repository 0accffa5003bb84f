import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

// Three registration instances of a cluster start at once on one shared key file (the chaos
// cluster profile does; so does a deployment with a mounted volume). Each instance is a process:
// all of them wait for the same moment, then load the file.
const MODULE = fileURLToPath(new URL('../../src/domain/key-ring-file.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'key-ring-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function instanceLoads(path: string, at: number): Promise<string> {
  const script = `
    const { loadKeyRingFile } = await import(${JSON.stringify(MODULE)});
    while (Date.now() < ${at}) {}
    process.stdout.write(loadKeyRingFile(${JSON.stringify(path)}, () => undefined).current.kid);
  `;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 60_000 });
  return stdout;
}

describe('the badge signing key file', () => {
  it('is created once when instances start together: every instance signs with the same key, none reads a half-written file', async () => {
    const path = join(dir, 'keys', 'badge-signing-keys.json');
    const at = Date.now() + 4000;
    const kids = await Promise.all(Array.from({ length: 6 }, () => instanceLoads(path, at)));
    const onFile = (JSON.parse(readFileSync(path, 'utf8')) as { current: string }).current;
    expect(new Set(kids)).toEqual(new Set([onFile]));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, 'keys'))).toEqual(['badge-signing-keys.json']);
  });
});
