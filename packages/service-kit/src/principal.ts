export const ROLES = ['admin', 'ops', 'device', 'exhibitor', 'attendee'] as const;

export type Role = (typeof ROLES)[number];

/** Who is calling, as established from the bearer credential. */
export interface Principal {
  readonly role: Role;
  /** The device, exhibitor or attendee id; for admin/ops a short fingerprint of the token. */
  readonly id?: string;
  /** What the issuing service attached to the key, e.g. `{ gateId }` for a scanner device. */
  readonly claims?: Readonly<Record<string, string>>;
}

/** Who may call a route: some roles, or anyone (`'public'`). */
export type RouteAccess = readonly Role[] | 'public';
