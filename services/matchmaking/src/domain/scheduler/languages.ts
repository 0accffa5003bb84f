/**
 * The language rule of a meeting table: a pair that shares a language can sit anywhere; otherwise
 * the table's interpreter must speak a language of each side. Unknown languages (empty) are no rule.
 */
export function tableServesPair(first: readonly string[], second: readonly string[], table: readonly string[]): boolean {
  if (first.length === 0 || second.length === 0) return true;
  if (first.some((l) => second.includes(l))) return true;
  return table.some((l) => first.includes(l)) && table.some((l) => second.includes(l));
}
