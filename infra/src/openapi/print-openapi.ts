// Prints one service's OpenAPI document as JSON on stdout: what its `GET /openapi.json` serves, built
// from its routes without a broker or a Redis. `http-docs.ts` runs it once per service, as
// `node --import tsx print-openapi.ts <serviceDir>`, in a scratch folder: building a service may
// write files relative to its working folder (registration creates its signing keys).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The part of a built service this needs: a fastify instance with @fastify/swagger registered. */
interface DocumentedApp {
  ready(): Promise<unknown>;
  swagger(): unknown;
}

const DOCUMENT_WAIT_MS = 30_000;

const serviceDir = process.argv[2];
if (serviceDir === undefined) {
  console.error('usage: print-openapi.ts <service folder>');
  process.exit(2);
}

// Every service has the house's shape: src/config.ts exports loadConfig(env), src/app.ts exports
// buildApp(config), which registers the routes without starting anything.
const { loadConfig } = (await import(pathToFileURL(join(serviceDir, 'src', 'config.ts')).href)) as {
  loadConfig: (env: NodeJS.ProcessEnv) => unknown;
};
const { buildApp } = (await import(pathToFileURL(join(serviceDir, 'src', 'app.ts')).href)) as {
  buildApp: (config: unknown) => Promise<DocumentedApp>;
};

// Only what the config requires, so the document never depends on the caller's environment.
// Nothing listens on port 1: the Redis client gives up its first connection (a service builds
// without Redis), and Kafka is not dialled before the app is ready.
const app = await buildApp(loadConfig({ KAFKA_BROKERS: '127.0.0.1:1', REDIS_URL: 'redis://127.0.0.1:1', LOG_LEVEL: 'silent' }));

// @fastify/swagger writes the document only once its onReady hook has run. That hook is the app's
// first (service-kit registers OpenAPI before anything else); the hooks after it start consumers
// and publish to Kafka, which without a broker would wait or fail. So the document is taken as soon
// as it exists, and the process exits without waiting for the rest of start-up.
void app.ready().catch(() => undefined);
const deadline = Date.now() + DOCUMENT_WAIT_MS;
let document: unknown;
for (;;) {
  try {
    document = app.swagger();
    break;
  } catch (error) {
    if (Date.now() > deadline) throw error;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
process.stdout.write(`${JSON.stringify(document, null, 2)}\n`, () => process.exit(0));
