import { readdirSync, readFileSync } from 'node:fs';

// Linux reports process CPU in clock ticks; 100 per second on every kernel this runs on (USER_HZ).
const TICK_US = 10_000;

/** Parent pid and CPU time (µs, user + system, all threads) of every process, from /proc. */
function processTable(): Map<number, { ppid: number; cpuUs: number }> {
  const table = new Map<number, { ppid: number; cpuUs: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    table.set(Number(entry), { ppid: Number(fields[1]), cpuUs: (Number(fields[11]) + Number(fields[12])) * TICK_US });
  }
  return table;
}

/** CPU time of a process and all its descendants (Kafka and Redis run under a guard script). */
function treeCpuUs(table: Map<number, { ppid: number; cpuUs: number }>, root: number): number {
  let total = 0;
  const pending = [root];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    total += table.get(pid)?.cpuUs ?? 0;
    for (const [child, info] of table) if (info.ppid === pid) pending.push(child);
  }
  return total;
}

/** Busy and total time of all cores so far (µs), from the first line of /proc/stat. */
function machineCpuUs(): { busy: number; total: number } {
  const ticks = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  const idle = ticks[3]! + ticks[4]!; // idle + iowait
  return { busy: (total - idle) * TICK_US, total: total * TICK_US };
}

export interface CpuShare {
  /** µs of CPU per operation, per named process. */
  readonly perOperationUs: Record<string, number>;
  /** Share of all cores busy during the window (any process), in %. */
  readonly machineBusyPercent: number;
}

/**
 * Where the machine's cores went during a run: the CPU each named process used, divided by the
 * operations the run completed. `self` is this process (the load generator).
 */
export function cpuMeter(pids: Record<string, number>): { stop(operations: number): CpuShare } {
  const own = () => {
    const usage = process.cpuUsage();
    return usage.user + usage.system;
  };
  const read = () => {
    const table = processTable();
    return Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, pid === process.pid ? own() : treeCpuUs(table, pid)]));
  };
  const before = read();
  const machineBefore = machineCpuUs();
  return {
    stop(operations) {
      const after = read();
      const machineAfter = machineCpuUs();
      const perOperationUs = Object.fromEntries(Object.keys(pids).map((name) => [name, Math.round((after[name]! - before[name]!) / operations)]));
      const busy = machineAfter.busy - machineBefore.busy;
      return { perOperationUs, machineBusyPercent: Math.round((100 * busy) / (machineAfter.total - machineBefore.total)) };
    },
  };
}
