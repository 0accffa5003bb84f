// `pnpm --filter @expo/badge-scanning reconcile [--repair]`: live occupancy against the scan log.
import { parseArgs } from 'node:util';
import { reconcile } from '../usecases/reconcile.ts';
import { commandContext } from './command-context.ts';

const { values } = parseArgs({ options: { repair: { type: 'boolean', default: false } } });
const context = await commandContext();
try {
  const report = await reconcile(context, values.repair);
  console.table(report.zones);
  const drift = report.zones.reduce((sum, z) => sum + Math.abs(z.drift), 0);
  console.log(`total drift ${drift}, misplaced badges ${report.misplacedBadges}${report.repaired ? ' (repaired from the log)' : ''}`);
  process.exitCode = drift === 0 && report.misplacedBadges === 0 ? 0 : report.repaired ? 0 : 2;
} finally {
  context.close();
}
