/**
 * A service's topic contracts with every name prefixed (`TOPIC_PREFIX`): several platforms — a
 * test's, the end-to-end test's, a benchmark's — can share one broker without reading each
 * other's records. The empty prefix leaves the platform's topic names as docs/topics-and-envelope.md lists them.
 */
export function withTopicPrefix<T extends { [K in keyof T]: { readonly name: string } }>(topics: T, prefix: string): T {
  if (prefix === '') return topics;
  return Object.fromEntries(
    Object.entries(topics as Record<string, { readonly name: string }>).map(([id, contract]) => [id, { ...contract, name: `${prefix}${contract.name}` }]),
  ) as T;
}
