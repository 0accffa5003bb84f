import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, recordsOf, setupRegistration } from '../../helper.ts';

let reg: Awaited<ReturnType<typeof setupRegistration>>;
beforeAll(async () => {
  reg = await setupRegistration('reg-import');
});
afterAll(() => reg.close());

const HEADER = 'category,name,nameLocal,email,organisation,country,interests,days,delegationId,subGroupId,exhibitorId,consent';
const importCsv = (csv: string | Buffer) =>
  reg.app.inject({ method: 'POST', url: '/v1/attendees/import', payload: csv, headers: { ...admin, 'content-type': 'text/csv' } });

describe('POST /v1/attendees/import', () => {
  it('registers the good rows, reports each bad one with its row number, and registers nothing twice on a re-run', async () => {
    const s = reg.names.suffix;
    const csv = [
      HEADER,
      `professional_visitor,Li Wei,李伟,li.wei.${s}@example.cn,"Shanghai Foods, Ltd",CN,food;food.dairy,2024-11-05,,,,true`,
      `media,Jane Doe,,jane.${s}@example.org,Daily News,GB,,,,,,yes`,
      `professional_visitor,Bad Country,,bad.${s}@example.org,,XX,,,,,,true`,
      `buyer,No Consent,,nc.${s}@example.org,,FR,,,,,,no`,
      `professional_visitor,Li Wei Again,,li.wei.${s}@example.cn,,CN,,,,,,true`,
    ].join('\n');

    const first = await importCsv(csv);
    expect(first.statusCode).toBe(200);
    const report = first.json<{
      created: number;
      duplicates: number;
      invalid: number;
      rows: Array<{ row: number; status: string; problems?: Array<{ field: string }> }>;
    }>();
    expect(report).toMatchObject({ created: 2, duplicates: 1, invalid: 2 });
    expect(report.rows.map((r) => [r.row, r.status])).toEqual([
      [1, 'created'],
      [2, 'created'],
      [3, 'invalid'],
      [4, 'invalid'],
      [5, 'duplicate'],
    ]);
    expect(report.rows[2]!.problems).toEqual([expect.objectContaining({ field: 'country' })]);
    expect(report.rows[3]!.problems).toEqual([expect.objectContaining({ field: 'consent' })]);
    // No token is signed during an import; the printed badge signs it from the badge record.
    const printed = await reg.app.inject({ method: 'GET', url: `/v1/badges/${(report.rows[0] as { badgeId?: string }).badgeId}/badge.svg`, headers: admin });
    expect(printed.statusCode).toBe(200);
    expect(printed.headers['content-type']).toContain('image/svg+xml');

    const again = (await importCsv(csv)).json<{ created: number; duplicates: number }>();
    expect(again).toMatchObject({ created: 0, duplicates: 3 });
    const records = await recordsOf(reg.topics.attendees);
    expect(records.filter((r) => r.event?.data.email.endsWith(`${s}@example.cn`) || r.event?.data.email.endsWith(`${s}@example.org`))).toHaveLength(2);
  });

  it('rejects a wrong header row with 400 and the missing and unknown columns', async () => {
    const res = await importCsv('category,name,mail,country,consent\nmedia,X,x@example.org,GB,true\n');
    expect(res.statusCode).toBe(400);
    const paths = res.json<{ error: { details: Array<{ path: string }> } }>().error.details.map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['header.email', 'header.mail']));
  });

  it('rejects a file that is not UTF-8 with 400 and registers nothing', async () => {
    const latin1 = Buffer.from(`${HEADER}\nmedia,Jos\xe9 Garc\xeda,,jose.${reg.names.suffix}@example.es,,ES,,,,,,true\n`, 'latin1');
    const res = await importCsv(latin1);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'invalid_request', message: expect.stringContaining('UTF-8') } });
    const records = await recordsOf(reg.topics.attendees);
    expect(records.filter((r) => r.event?.data.email.startsWith('jose.'))).toEqual([]);
  });

  it('needs the admin token', async () => {
    const res = await reg.app.inject({ method: 'POST', url: '/v1/attendees/import', payload: `${HEADER}\n`, headers: { 'content-type': 'text/csv' } });
    expect(res.statusCode).toBe(401);
  });
});
