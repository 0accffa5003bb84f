// `pnpm docs:http`: writes docs/http/<service>.openapi.json and docs/http/<service>.md from each
// service's routes, and removes what no service documents any more. A test holds them current.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { REPO_DIR } from '../paths.ts';
import { HTTP_DOCS_DIR, httpDocFiles, staleHttpDocs } from './http-docs.ts';

const files = await httpDocFiles();
mkdirSync(HTTP_DOCS_DIR, { recursive: true });
const changed = staleHttpDocs(files);
for (const path of changed) {
  const text = files.get(path);
  if (text === undefined) rmSync(path);
  else writeFileSync(path, text);
}
console.log(
  changed.length === 0
    ? `docs/http is current (${files.size} files)`
    : `docs/http: ${changed.map((path) => relative(REPO_DIR, path)).join(', ')} written or removed`,
);
