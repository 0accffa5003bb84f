import { describe, expect, it } from 'vitest';
import { AttendeeImportResponse, IdempotencyHeaders, RegisterAttendeeBody, RegisterAttendeeResponse } from '../../../src/http/registration/attendees.ts';

const body = {
  category: 'professional_visitor',
  name: 'Amina Diallo',
  email: 'amina@example.com',
  country: 'SN',
  interests: ['food.seafood'],
  days: ['2024-11-05'],
  consent: true,
};

describe('attendee registration over HTTP', () => {
  it('accepts the body docs/http.md shows, optional fields left out', () => {
    expect(RegisterAttendeeBody.parse(body).country).toBe('SN');
    const { interests: _i, days: _d, ...minimal } = body;
    expect(RegisterAttendeeBody.safeParse(minimal).success).toBe(true);
  });

  it.each([
    ['no consent', { consent: false }],
    ['an unknown country', { country: 'XX' }],
    ['a lower-case country', { country: 'sn' }],
    ['an unknown sector', { interests: ['fish'] }],
    ['a bad email', { email: 'amina' }],
  ])('rejects %s', (_what, change) => {
    expect(RegisterAttendeeBody.safeParse({ ...body, ...change }).success).toBe(false);
  });

  it('describes the 201 answer and the idempotency header', () => {
    const answer = { attendeeId: 'att-1', badgeId: 'bdg-1', badgeToken: 'e30.c2ln', category: 'buyer' };
    expect(RegisterAttendeeResponse.parse(answer)).toEqual(answer);
    expect(IdempotencyHeaders.parse({ 'idempotency-key': 'k-1', host: 'x' })).toEqual({ 'idempotency-key': 'k-1' });
  });

  it('reports import rows one by one', () => {
    const report = {
      created: 1,
      duplicates: 0,
      invalid: 1,
      rows: [
        { row: 1, status: 'created', attendeeId: 'att-1', badgeId: 'bdg-1' },
        { row: 2, status: 'invalid', problems: [{ field: 'country', message: 'not an ISO 3166-1 code' }] },
      ],
    };
    expect(AttendeeImportResponse.safeParse(report).success).toBe(true);
  });
});
