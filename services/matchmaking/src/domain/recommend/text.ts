const STOPWORDS = new Set([
  'a',
  'an',
  'and',
  'are',
  'as',
  'at',
  'be',
  'by',
  'for',
  'from',
  'in',
  'into',
  'is',
  'it',
  'of',
  'on',
  'or',
  'the',
  'to',
  'with',
  'our',
  'we',
  'your',
]);
const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
const RUNS = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[\p{L}\p{N}]+/gu;

/** A light English stem: plural and a few suffixes, so "tractors" matches "tractor". */
function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('es') && /(ch|sh|x|ss)es$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/**
 * Terms for ranking: English (and other space-separated scripts) as lower-cased, stemmed words;
 * Chinese and other CJK text, which has no spaces, as overlapping character bigrams (a lone
 * character stays a unigram), the usual indexing unit for CJK retrieval.
 */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const run of text.toLowerCase().normalize('NFKC').match(RUNS) ?? []) {
    if (CJK.test(run)) {
      const chars = [...run];
      if (chars.length === 1) out.push(run);
      for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
    } else if (!STOPWORDS.has(run) && run.length > 1) out.push(stem(run));
  }
  return out;
}
