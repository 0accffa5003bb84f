// A key segment may hold anything but the braces that delimit the hash tag.
const NO_BRACES = /^[^{}]+$/;

function checkSegment(kind: string, value: string): string {
  if (!NO_BRACES.test(value)) throw new Error(`${kind} "${value}" must be non-empty and contain no braces`);
  return value;
}

/**
 * A Redis key of one expo: `{<eventId>}:<service>:<parts...>`. The `{eventId}` hash tag puts every
 * key of an expo on one Redis Cluster slot, so one Lua script may touch all keys of a scan.
 *
 * expoKey('ciie-2024', 'scanning', 'zone', 'hall-1') → '{ciie-2024}:scanning:zone:hall-1'
 */
export function expoKey(eventId: string, service: string, ...parts: readonly (string | number)[]): string {
  const segments = [checkSegment('service', service), ...parts.map((p) => checkSegment('key part', String(p)))];
  return `{${checkSegment('eventId', eventId)}}:${segments.join(':')}`;
}

/** `expoKey` with the expo and service bound: `const key = expoKeys(eventId, 'scanning'); key('zone', id)`. */
export function expoKeys(eventId: string, service: string): (...parts: readonly (string | number)[]) => string {
  return (...parts) => expoKey(eventId, service, ...parts);
}

/**
 * The state lifecycle's keys of a service in an expo: outside the service's own key prefix, so a
 * rebuild that clears the service's keys by prefix never clears its own lease or marker.
 */
export function stateKeys(eventId: string, service: string): { marker: string; lease: string } {
  return { marker: expoKey(eventId, 'lifecycle', service, 'marker'), lease: expoKey(eventId, 'lifecycle', service, 'lease') };
}
