import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { REPO_DIR } from '../paths.ts';
import { discoverServices, type ServicePackage } from '../services.ts';
import { openApiMarkdown, type OpenApiDocument } from './openapi-markdown.ts';

/** Where `pnpm docs:http` writes each service's OpenAPI document and its route table. */
export const HTTP_DOCS_DIR = join(REPO_DIR, 'docs', 'http');

const PRINTER = fileURLToPath(new URL('./print-openapi.ts', import.meta.url));
// Absolute, because the printer runs in a scratch folder where `--import tsx` would not resolve.
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const run = promisify(execFile);

/**
 * A service's OpenAPI document, built from its code in a process of its own (so no two services
 * share module state), with no Kafka or Redis needed.
 */
export async function serviceOpenApi(service: ServicePackage): Promise<OpenApiDocument> {
  const scratch = mkdtempSync(join(tmpdir(), `openapi-${service.name}-`));
  try {
    const { stdout } = await run(process.execPath, ['--import', TSX_LOADER, PRINTER, service.dir], {
      cwd: scratch,
      maxBuffer: 64 * 1024 * 1024,
      timeout: 120_000,
    });
    return JSON.parse(stdout) as OpenApiDocument;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`could not build the OpenAPI document of ${service.name}: ${(error as Error).message}\n${stderr}`, { cause: error });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Every file of docs/http/ with the content the services' code gives it: path → text. */
export async function httpDocFiles(services: readonly ServicePackage[] = discoverServices()): Promise<Map<string, string>> {
  const documents = await Promise.all(services.map(async (service) => ({ service, document: await serviceOpenApi(service) })));
  const files = new Map<string, string>();
  for (const { service, document } of documents) {
    files.set(join(HTTP_DOCS_DIR, `${service.name}.openapi.json`), `${JSON.stringify(document, null, 2)}\n`);
    files.set(join(HTTP_DOCS_DIR, `${service.name}.md`), openApiMarkdown(service.name, document));
  }
  return files;
}

/** The files of docs/http/ that differ from `expected`, are missing, or should not be there. */
export function staleHttpDocs(expected: ReadonlyMap<string, string>): string[] {
  const present = existsSync(HTTP_DOCS_DIR) ? readdirSync(HTTP_DOCS_DIR).map((name) => join(HTTP_DOCS_DIR, name)) : [];
  const differing = [...expected].filter(([path, text]) => !existsSync(path) || readFileSync(path, 'utf8') !== text).map(([path]) => path);
  const extra = present.filter((path) => !expected.has(path));
  return [...differing, ...extra].sort();
}
