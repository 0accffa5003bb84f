export interface TextFit {
  /** Font size in the SVG's user units (mm on a badge). */
  readonly size: number;
  /** Even the smallest size overflows: squeeze the glyphs into the width with `textLength`. */
  readonly squeeze: boolean;
}

/**
 * A string SVG cannot measure before it is rendered, so the width is estimated from typical
 * advances of a bold sans face. Erring wide is fine: a name a little smaller than possible still
 * reads, a name running off the badge does not.
 */
export function estimateWidthEm(text: string): number {
  let em = 0;
  for (const char of text) em += advanceEm(char.codePointAt(0) ?? 0);
  return em;
}

export function fitText(text: string, width: number, maxSize: number, minSize: number): TextFit {
  const em = estimateWidthEm(text);
  if (em * maxSize <= width) return { size: maxSize, squeeze: false };
  const size = width / em;
  return size >= minSize ? { size: round(size), squeeze: false } : { size: minSize, squeeze: true };
}

function advanceEm(cp: number): number {
  if (isWide(cp)) return 1;
  if (cp === 0x20) return 0.3;
  if (cp === 0x4d || cp === 0x57 || cp === 0x6d || cp === 0x77) return 0.92;
  if (cp >= 0x41 && cp <= 0x5a) return 0.72;
  if (cp === 0x69 || cp === 0x6c || cp === 0x6a || cp === 0x2e || cp === 0x2c || cp === 0x27) return 0.32;
  return 0.6;
}

/** Full-width scripts: CJK, kana, hangul, full-width forms. */
function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

function round(size: number): number {
  return Math.floor(size * 100) / 100;
}
