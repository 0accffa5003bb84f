import { ATTENDEE_CSV_COLUMNS, RegisterAttendeeBody } from '@expo/schemas';
import type { FieldProblem } from './field-problem.ts';

export type CsvRecord = Readonly<Record<(typeof ATTENDEE_CSV_COLUMNS)[number], string>>;

const list = (cell: string) =>
  cell
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);

/** One CSV row as the registration body it stands for, or the problems of its cells. */
export function bodyFromCsv(record: CsvRecord): { body: RegisterAttendeeBody } | { problems: FieldProblem[] } {
  const optional = (cell: string) => (cell.trim() === '' ? undefined : cell.trim());
  const candidate = {
    category: record.category.trim(),
    name: record.name.trim(),
    nameLocal: optional(record.nameLocal),
    email: record.email.trim(),
    organisation: optional(record.organisation),
    country: record.country.trim(),
    interests: list(record.interests),
    days: list(record.days),
    delegationId: optional(record.delegationId),
    subGroupId: optional(record.subGroupId),
    exhibitorId: optional(record.exhibitorId),
    consent: ['true', 'yes'].includes(record.consent.trim().toLowerCase()) ? true : record.consent,
  };
  const parsed = RegisterAttendeeBody.safeParse(candidate);
  if (parsed.success) return { body: parsed.data };
  return { problems: parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(row)', message: i.message })) };
}

/** What is wrong with a header row: missing and unknown columns. */
export function headerProblems(header: readonly string[]): FieldProblem[] {
  const expected: readonly string[] = ATTENDEE_CSV_COLUMNS;
  const missing = expected.filter((c) => !header.includes(c)).map((c) => ({ field: c, message: 'column missing from the header row' }));
  const unknown = header.filter((c) => !expected.includes(c)).map((c) => ({ field: c, message: 'unknown column' }));
  return [...missing, ...unknown];
}
