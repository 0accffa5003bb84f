import { createService, type ServiceApp, type ServiceOptions } from '../src/index.ts';

export interface CapturedLogs {
  readonly lines: Record<string, unknown>[];
  /** Every log line as raw text, to search for things that must never appear. */
  text(): string;
}

export function captureLogs(): { stream: { write(line: string): void }; logs: CapturedLogs } {
  const raw: string[] = [];
  const lines: Record<string, unknown>[] = [];
  return {
    stream: {
      write(line: string) {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
    logs: { lines, text: () => raw.join('') },
  };
}

export const ADMIN_TOKEN = 'admin-token-0123456789abcdef';
export const OPS_TOKEN = 'ops-token-0123456789abcdef';

/** A service app for a test: quiet process metrics, logs captured, the caller closes it. */
export async function buildTestApp(options: Partial<ServiceOptions> = {}): Promise<{ app: ServiceApp; logs: CapturedLogs }> {
  const { stream, logs } = captureLogs();
  const app = await createService({
    name: 'test-service',
    defaultMetrics: false,
    logLevel: 'info',
    logStream: stream,
    auth: { adminTokens: [ADMIN_TOKEN], opsTokens: [OPS_TOKEN] },
    ...options,
  });
  return { app, logs };
}
