// Rewrites compat/ from today's schemas: run it only when a change is meant to be accepted (a new
// event type, an added optional field) or when a breaking change moves to a new version. The
// compat test holds every schema against these files.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compatibilityProblems } from '../src/compat.ts';
import type { JsonSchema } from '../src/json-schema.ts';
import { publishedSchemas } from '../src/published-schemas.ts';

const compatDir = fileURLToPath(new URL('../compat/', import.meta.url));
mkdirSync(compatDir, { recursive: true });

const current = publishedSchemas();
const existing = new Set(readdirSync(compatDir).filter((f) => f.endsWith('.json')));

for (const { file, schema } of current) {
  const text = `${JSON.stringify(schema, null, 2)}\n`;
  if (existing.has(file)) {
    const old = readFileSync(`${compatDir}${file}`, 'utf8');
    if (old === text) continue;
    const problems = compatibilityProblems(JSON.parse(old) as JsonSchema, schema);
    console.log(`updated ${file}${problems.length > 0 ? ` (accepting breaking changes: ${problems.join('; ')})` : ''}`);
  } else {
    console.log(`added ${file}`);
  }
  writeFileSync(`${compatDir}${file}`, text);
}
const kept = new Set(current.map((s) => s.file));
for (const file of existing) {
  if (kept.has(file)) continue;
  rmSync(`${compatDir}${file}`);
  console.log(`removed ${file} (no such event type any more)`);
}
