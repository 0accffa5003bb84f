/** A zone as the dashboard names and sizes it (the zone tree's node). */
export interface ZoneInfo {
  readonly name: string;
  readonly kind: string;
  readonly parentId: string | null;
  readonly capacity: number | null;
}
