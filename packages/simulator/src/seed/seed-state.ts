import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

const SeedSizeShape = z.object({
  name: z.string(),
  exhibitors: z.number(),
  exhibitorCountries: z.number(),
  fortuneGlobal500: z.number(),
  governmentDelegations: z.number(),
  industryDelegations: z.number(),
  subGroups: z.number(),
  requirementsPerSubGroup: z.number(),
  attendees: z.number(),
  categoryCounts: z.record(z.string(), z.number()),
  publicRegistrations: z.number(),
  capacityScale: z.number(),
  matchmakingTables: z.number(),
});

/**
 * What a seed run created and what the simulator needs to act: ids the services assigned, and the
 * secrets they show once (device keys, exhibitor keys, badge tokens). Written after every phase,
 * so a second run skips what exists instead of creating it twice.
 */
export const SeedState = z.object({
  version: z.literal(1),
  seed: z.number().int(),
  size: SeedSizeShape,
  openingDay: z.string(),
  zones: z.array(z.string()),
  gates: z.record(z.string(), z.string()),
  devices: z.record(z.string(), z.object({ deviceId: z.string(), deviceKey: z.string() })),
  exhibitors: z.record(z.string(), z.object({ exhibitorId: z.string(), exhibitorKey: z.string() })),
  delegations: z.record(z.string(), z.object({ delegationId: z.string(), subGroups: z.record(z.string(), z.string()) })),
  attendees: z.record(z.string(), z.object({ attendeeId: z.string(), badgeId: z.string().optional(), badgeToken: z.string().optional() })),
  requirements: z.record(z.string(), z.number().int()),
  session: z.object({ sessionId: z.string(), defined: z.boolean() }).nullable(),
  validity: z.object({ from: z.string(), to: z.string() }).nullable(),
});
export type SeedState = z.infer<typeof SeedState>;

export const STATE_FILE = 'seed-state.json';

export function emptyState(seed: number, size: SeedState['size'], openingDay: string): SeedState {
  return {
    version: 1,
    seed,
    size,
    openingDay,
    zones: [],
    gates: {},
    devices: {},
    exhibitors: {},
    delegations: {},
    attendees: {},
    requirements: {},
    session: null,
    validity: null,
  };
}

export async function loadState(dir: string): Promise<SeedState | null> {
  let text: string;
  try {
    text = await readFile(join(dir, STATE_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return SeedState.parse(JSON.parse(text));
}

/** Written to a temporary file and renamed, so an interrupted run never leaves half a file. */
export async function saveState(dir: string, state: SeedState): Promise<void> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, STATE_FILE);
  await writeFile(`${path}.tmp`, JSON.stringify(state), { mode: 0o600 });
  await rename(`${path}.tmp`, path);
}
