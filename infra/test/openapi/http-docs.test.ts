import { relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_DIR } from '../../src/paths.ts';
import { HTTP_DOCS_DIR, httpDocFiles, staleHttpDocs } from '../../src/openapi/http-docs.ts';

// Each service is built in a process of its own under tsx: seconds apiece on a busy machine.
const BUILD_TIMEOUT_MS = 180_000;

describe('docs/http', () => {
  let files: Map<string, string>;
  beforeAll(async () => {
    files = await httpDocFiles();
  }, BUILD_TIMEOUT_MS);

  it('holds every service’s OpenAPI document and route table exactly as the code declares them', () => {
    const stale = staleHttpDocs(files).map((path) => relative(REPO_DIR, path));
    expect(stale, `stale: ${stale.join(', ')}; run pnpm docs:http and commit docs/http`).toEqual([]);
  });

  it('documents each service in both forms, with its routes, credentials and bodies', () => {
    const names = [...files.keys()].map((path) => relative(HTTP_DOCS_DIR, path)).sort();
    for (const service of ['analytics', 'badge-scanning', 'matchmaking', 'registration']) {
      expect(names).toContain(`${service}.md`);
      expect(names).toContain(`${service}.openapi.json`);
    }
    const scanning = files.get(`${HTTP_DOCS_DIR}/badge-scanning.md`) ?? '';
    expect(scanning).toContain('| POST | `/v1/scans` | bearer | — | `{ scanId, badgeToken, direction, scannedAt, gateId? }` |');
    const registration = files.get(`${HTTP_DOCS_DIR}/registration.md`) ?? '';
    expect(registration).toMatch(/\| GET \| `\/v1\/badge-keys` \| none \|/);
    const document = JSON.parse(files.get(`${HTTP_DOCS_DIR}/registration.openapi.json`) ?? '{}') as { openapi?: string; paths?: object };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths ?? {})).toContain('/v1/attendees');
  });
});
