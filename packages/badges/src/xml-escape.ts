const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/**
 * Text for an SVG element or attribute. Characters XML 1.0 forbids (control characters, lone
 * surrogates) are dropped rather than escaped: no escape makes them legal, and one of them in a
 * pasted name would otherwise make the whole badge an unreadable document.
 */
export function escapeXml(text: string): string {
  let out = '';
  for (const char of text) {
    if (!isXmlChar(char.codePointAt(0) ?? 0)) continue;
    out += ENTITIES[char] ?? char;
  }
  return out;
}

function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}
