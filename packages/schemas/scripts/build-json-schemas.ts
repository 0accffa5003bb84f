// Writes dist/json-schema/<type>.v<version>.json for every event type and an index.json by topic
// (the package's `build`). dist/ is generated, so it is emptied first: a removed type leaves no file.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { publishedSchemaIndex, publishedSchemas } from '../src/published-schemas.ts';

const outDir = fileURLToPath(new URL('../dist/json-schema/', import.meta.url));
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

const schemas = publishedSchemas();
for (const { file, schema } of schemas) {
  writeFileSync(`${outDir}${file}`, `${JSON.stringify(schema, null, 2)}\n`);
}
writeFileSync(`${outDir}index.json`, `${JSON.stringify(publishedSchemaIndex(), null, 2)}\n`);
console.log(`wrote ${schemas.length} event schemas and index.json to ${outDir}`);
