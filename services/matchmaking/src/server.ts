import { runService } from '@expo/service-kit';
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';

const config = loadConfig();
await runService(await buildApp(config), { port: config.PORT, host: config.HOST, graceMs: config.SHUTDOWN_GRACE_MS });
