// `pnpm --filter @expo/badge-scanning rebuild`: Redis state of the expo from the topics alone.
import { rebuildState } from '../usecases/rebuild.ts';
import { commandContext } from './command-context.ts';

const context = await commandContext();
try {
  const report = await rebuildState(context);
  await context.redis.set(context.keys.stateMarker(), new Date().toISOString());
  console.log(`rebuilt ${context.expoId}: ${report.zones} zone records, ${report.scanRecords} scan records, ${report.badgesInside} badges inside, ${report.decisions} decisions remembered, in ${report.seconds.toFixed(1)} s`);
} finally {
  context.close();
}
