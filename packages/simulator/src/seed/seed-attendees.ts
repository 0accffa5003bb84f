import { ATTENDEE_CSV_COLUMNS, type AttendeeImportResponse, type RegisterAttendeeBody, type RegisterAttendeeResponse } from '@expo/schemas';
import { forEachLimit } from '../concurrency.ts';
import type { PlannedAttendee } from './attendee-plan.ts';
import type { SeedContext } from './seed-context.ts';

const SAVE_EVERY = 500;
const IMPORT_ROWS = 10_000;

function bodyOf(ctx: SeedContext, a: PlannedAttendee): RegisterAttendeeBody {
  const body: RegisterAttendeeBody = { category: a.category, name: a.name, email: a.email, country: a.country, interests: a.interests, consent: true };
  if (a.nameLocal) body.nameLocal = a.nameLocal;
  if (a.organisation) body.organisation = a.organisation;
  if (a.exhibitorKey) body.exhibitorId = ctx.state.exhibitors[a.exhibitorKey]?.exhibitorId;
  if (a.delegationKey && a.subGroupKey) {
    const delegation = ctx.state.delegations[a.delegationKey];
    body.delegationId = delegation?.delegationId;
    body.subGroupId = delegation?.subGroups[a.subGroupKey];
  }
  return body;
}

/**
 * Public registrations, one request each, as a visitor's browser would: the answer carries the
 * badge token. The Idempotency-Key is derived from seed and attendee, so a re-run within the
 * service's key lifetime gets the same answer (token included) instead of a 409.
 */
export async function seedPublicAttendees(ctx: SeedContext): Promise<void> {
  const { plan, state } = ctx;
  const planned = plan.attendees.filter((a) => a.route === 'public');
  const todo = planned.filter((a) => !state.attendees[a.key]?.badgeToken);
  let done = planned.length - todo.length;
  let lost = 0;
  await forEachLimit(todo, ctx.concurrency, async (attendee) => {
    const { status, body } = await ctx.registration.post<RegisterAttendeeResponse | { error: { details?: Array<{ attendeeId?: string }> } }>(
      '/v1/attendees',
      bodyOf(ctx, attendee),
      {
        token: null,
        headers: { 'idempotency-key': `seed-${plan.seed}-${attendee.key}` },
        accept: [409],
      },
    );
    if (status === 201 && 'badgeToken' in body) {
      state.attendees[attendee.key] = { attendeeId: body.attendeeId, badgeId: body.badgeId, badgeToken: body.badgeToken };
    } else if ('error' in body) {
      const attendeeId = body.error.details?.find((d) => d.attendeeId)?.attendeeId;
      if (attendeeId) state.attendees[attendee.key] = { attendeeId };
      lost++;
    }
    if (++done % SAVE_EVERY === 0) await ctx.save();
    ctx.progress('attendees', done, planned.length);
  });
  if (lost > 0)
    ctx.notes.push(
      `${lost} public registrations existed already without a token in the state file (registered earlier and the idempotency key expired): the simulator cannot walk them`,
    );
  await ctx.save();
}

const csvCell = (value: string | undefined) => {
  const text = value ?? '';
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

function csvOf(ctx: SeedContext, attendees: readonly PlannedAttendee[]): string {
  const lines = [ATTENDEE_CSV_COLUMNS.join(',')];
  for (const a of attendees) {
    const body = bodyOf(ctx, a);
    const row: Record<(typeof ATTENDEE_CSV_COLUMNS)[number], string | undefined> = {
      category: body.category,
      name: body.name,
      nameLocal: body.nameLocal,
      email: body.email,
      organisation: body.organisation,
      country: body.country,
      interests: (body.interests ?? []).join(';'),
      days: '',
      delegationId: body.delegationId,
      subGroupId: body.subGroupId,
      exhibitorId: body.exhibitorId,
      consent: 'true',
    };
    lines.push(ATTENDEE_CSV_COLUMNS.map((c) => csvCell(row[c])).join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** The bulk of a large expo through the CSV import; an email registered before answers `duplicate`. */
export async function seedImportedAttendees(ctx: SeedContext): Promise<void> {
  const { plan, state } = ctx;
  const planned = plan.attendees.filter((a) => a.route === 'import');
  const todo = planned.filter((a) => !state.attendees[a.key]);
  let done = planned.length - todo.length;
  let invalid = 0;
  for (let start = 0; start < todo.length; start += IMPORT_ROWS) {
    const chunk = todo.slice(start, start + IMPORT_ROWS);
    const { body } = await ctx.registration.request<AttendeeImportResponse>('POST', '/v1/attendees/import', {
      raw: { text: csvOf(ctx, chunk), contentType: 'text/csv' },
    });
    for (const row of body.rows) {
      const attendee = chunk[row.row - 1];
      if (attendee && row.attendeeId) state.attendees[attendee.key] = { attendeeId: row.attendeeId, ...(row.badgeId ? { badgeId: row.badgeId } : {}) };
      if (row.status === 'invalid') invalid++;
    }
    done += chunk.length;
    ctx.progress('import', done, planned.length);
    await ctx.save();
  }
  if (invalid > 0) ctx.notes.push(`${invalid} imported rows were invalid`);
}
