import type { SeedPhase } from './seed/seed-context.ts';
import type { SimProgress } from './sim/simulate.ts';

/**
 * A live line on a terminal (rewritten in place), or a plain line every few seconds when the
 * output is a file or a pipe.
 */
export function progressPrinter(stream: NodeJS.WriteStream = process.stderr, plainEveryMs = 5000) {
  let lastPlain = 0;
  return (line: string, final = false) => {
    if (stream.isTTY) {
      stream.write(`\r\x1b[2K${line.slice(0, (stream.columns || 160) - 1)}${final ? '\n' : ''}`);
      return;
    }
    const now = Date.now();
    if (final || now - lastPlain >= plainEveryMs) {
      lastPlain = now;
      stream.write(`${line}\n`);
    }
  };
}

export function seedLine(phase: SeedPhase, done: number, total: number): string {
  const width = 24;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `seed ${phase.padEnd(11)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
}

export function simulationLine(p: SimProgress): string {
  const t = p.truth;
  const clock = p.simulatedTime ? new Date(Date.parse(p.simulatedTime) + 8 * 3600_000).toISOString().slice(5, 16).replace('T', ' ') : '--';
  const m = t.meetings;
  return [
    `sim ${clock} (day ${t.day + 1})`,
    `steps ${t.steps} (${p.stepsPerSecond.toFixed(1)}/s)`,
    `scans ${t.scans.posted} (${p.scansPerSecond.toFixed(1)}/s, ${t.scans.accepted} ok, ${t.scans.rejected} rejected)`,
    `offline ${t.scans.offlineQueued}↑${t.scans.offlineUploaded}`,
    `unseen exits ${t.scans.unscannedExits}`,
    `inside ${p.inside}`,
    `leads ${t.leads.captured}`,
    m.skipped ? 'meetings off' : `meetings ${m.requested}/${m.accepted}/${m.held} $${Math.round(m.intendedDealUsd / 1000)}k`,
    t.errorTotal > 0 ? `errors ${t.errorTotal}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
}
