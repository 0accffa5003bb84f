import { Readable, pipeline } from 'node:stream';
import { parse } from 'csv-parse';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AttendeeImportResponse, type AttendeeImportRowResult, type RegisterAttendeeBody } from '@expo/schemas';
import { ErrorBodySchema, invalidRequest } from '@expo/service-kit';
import { bodyFromCsv, headerProblems, type CsvRecord } from '../../domain/csv-row.ts';
import { registerAttendees } from '../../usecases/register-attendees.ts';

const MAX_ROWS = 50_000;
const CHUNK = 1000;
const CHUNKS_IN_FLIGHT = 4;
const MiB = 1024 * 1024;

/** Rejects bytes that are not UTF-8 (a spreadsheet saved as GBK or Latin-1) instead of importing mojibake. */
async function* utf8Checked(body: Readable): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of body) yield decoder.decode(chunk as Buffer, { stream: true });
    yield decoder.decode();
  } catch (error) {
    if (error instanceof TypeError) throw invalidRequest('The CSV is not UTF-8 encoded; save it as UTF-8 and upload again');
    throw error;
  }
}

export const importRoutes: FastifyPluginAsyncZod = async (app) => {
  // The body stays a stream: 50,000 rows are parsed and registered in chunks as they arrive.
  app.addContentTypeParser('text/csv', (_request, payload, done) => done(null, payload));

  app.post(
    '/v1/attendees/import',
    {
      bodyLimit: 64 * MiB,
      config: { roles: ['admin'] },
      schema: { tags: ['attendees'], consumes: ['text/csv'], response: { 200: AttendeeImportResponse, 400: ErrorBodySchema, 413: ErrorBodySchema } },
    },
    async (request) => {
      const rows: AttendeeImportRowResult[] = [];
      let pending: Array<{ row: number; body: RegisterAttendeeBody }> = [];
      // A few chunks in flight at once: while one waits for Kafka's acknowledgement, the next is
      // parsed, validated and signed. A failure stops the import after the chunks in hand.
      const inFlight = new Set<Promise<void>>();
      let failure: unknown;
      const record = (batch: typeof pending, outcomes: Awaited<ReturnType<typeof registerAttendees>>) =>
        outcomes.forEach((outcome, i) => {
          const row = batch[i]!.row;
          if (outcome.status === 'created') rows.push({ row, status: 'created', attendeeId: outcome.attendee.attendeeId, badgeId: outcome.attendee.badgeId });
          else if (outcome.status === 'duplicate') rows.push({ row, status: 'duplicate', attendeeId: outcome.attendeeId });
          else rows.push({ row, status: 'invalid', problems: [...outcome.problems] });
        });
      const submit = async () => {
        const batch = pending;
        pending = [];
        if (batch.length === 0) return;
        const work: Promise<void> = registerAttendees(
          app.registration,
          batch.map((p) => p.body),
        )
          .then(
            (outcomes) => record(batch, outcomes),
            (error: unknown) => void (failure ??= error),
          )
          .finally(() => inFlight.delete(work));
        inFlight.add(work);
        if (inFlight.size >= CHUNKS_IN_FLIGHT) await Promise.race(inFlight);
        if (failure) throw asError(failure);
      };
      const parser = parse({
        columns: (header: string[]) => {
          const problems = headerProblems(header.map((h) => h.trim()));
          if (problems.length > 0)
            throw invalidRequest(
              'The CSV header row does not match the import columns',
              problems.map((p) => ({ path: `header.${p.field}`, message: p.message })),
            );
          return header.map((h) => h.trim());
        },
        bom: true,
        skip_empty_lines: true,
        relax_column_count: true,
      });
      // pipeline() destroys the parser with the source's error (not UTF-8), so the loop below ends with it.
      pipeline(Readable.from(utf8Checked(request.body as Readable)), parser, () => undefined);
      let row = 0;
      try {
        for await (const record of parser) {
          row++;
          if (row > MAX_ROWS) throw invalidRequest(`An import holds at most ${MAX_ROWS} rows; split the file`);
          const parsed = bodyFromCsv(record as CsvRecord);
          if ('problems' in parsed) rows.push({ row, status: 'invalid', problems: parsed.problems });
          else pending.push({ row, body: parsed.body });
          if (pending.length >= CHUNK) await submit();
        }
      } catch (error) {
        parser.destroy();
        await Promise.all(inFlight);
        if (error instanceof Error && 'code' in error && String(error.code).startsWith('CSV_'))
          throw invalidRequest(`The CSV could not be read: ${error.message}`);
        throw error;
      }
      await submit();
      await Promise.all(inFlight);
      if (failure) throw asError(failure);
      rows.sort((a, b) => a.row - b.row);
      const count = (status: AttendeeImportRowResult['status']) => rows.filter((r) => r.status === status).length;
      return { created: count('created'), duplicates: count('duplicate'), invalid: count('invalid'), rows };
    },
  );
};

const asError = (value: unknown): Error => (value instanceof Error ? value : new Error(String(value)));
