import { z } from 'zod';
import { AttendeeCategory, attendeeCategoryInfo, CountryCode, countryName, DisplayName, Id, IsoDate, text, type AttendeeCategoryInfo } from '@expo/schemas';
import { qrSymbol } from './qr-symbol.ts';
import { fitText } from './text-fit.ts';
import { validityLabelEn, validityLabelZh } from './validity-label.ts';
import { escapeXml } from './xml-escape.ts';

export const BadgeSvgInput = z.object({
  token: z.string().min(1),
  badgeId: Id,
  name: DisplayName,
  nameLocal: DisplayName.optional(),
  organisation: DisplayName.optional(),
  country: CountryCode,
  category: AttendeeCategory,
  validFrom: IsoDate,
  validTo: IsoDate,
  expoName: text(200).optional(),
});
export type BadgeSvgInput = z.infer<typeof BadgeSvgInput>;

// Latin faces first for names typed in Latin script, CJK faces after them so a Chinese name in the
// Latin field still renders; the CJK stack leads with SC faces so shared Han glyphs take the
// simplified-Chinese forms.
const CJK_FACES = `'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Hiragino Sans GB','Microsoft YaHei','WenQuanYi Micro Hei'`;
const LATIN_FONT = `'Noto Sans','Helvetica Neue',Arial,'Liberation Sans',${CJK_FACES},sans-serif`;
const CJK_FONT = `${CJK_FACES},'Noto Sans',Arial,sans-serif`;
const MONO_FONT = `'DejaVu Sans Mono','Noto Sans Mono',Menlo,Consolas,monospace`;

// A6 portrait, in millimetres.
const WIDTH = 105;
const HEIGHT = 148;
const MARGIN = 6;
const CENTRE = WIDTH / 2;
const LINE_WIDTH = WIDTH - 2 * MARGIN;
const TOP_BAND = 26;
const QR_SIDE = 60;
const QR_TOP = 71.5;
const BOTTOM_BAND = 11;

interface Line {
  readonly text: string;
  readonly baseline: number;
  readonly maxSize: number;
  readonly minSize?: number;
  readonly className: string;
  readonly font?: string;
  readonly bold?: boolean;
  readonly fill?: string;
  readonly lang?: string;
}

/** A printable badge: a standalone SVG document, 105 × 148 mm. */
export function renderBadgeSvg(input: BadgeSvgInput): string {
  const badge = BadgeSvgInput.parse(input);
  const category = attendeeCategoryInfo(badge.category);
  const label = `${category.en} ${category.zh}: ${badge.name}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}mm" height="${HEIGHT}mm" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="${LATIN_FONT}" role="img" aria-label="${escapeXml(label)}">`,
    `<title>${escapeXml(label)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    ...topBand(category, badge.expoName),
    ...holder(badge),
    qrCode(badge.token),
    textLine({ text: badge.badgeId, baseline: QR_TOP + QR_SIDE + 2.6, maxSize: 2.6, className: 'badge-id', font: MONO_FONT, fill: '#555555' }),
    ...bottomBand(category, badge.validFrom, badge.validTo),
    '</svg>',
    '',
  ].join('\n');
}

function topBand(category: AttendeeCategoryInfo, expoName: string | undefined): string[] {
  const white = '#ffffff';
  const lines = [
    `<rect class="category-band" width="${WIDTH}" height="${TOP_BAND}" fill="${category.colour}"/>`,
    textLine({
      text: category.en.toUpperCase(),
      baseline: expoName ? 15.6 : 12.8,
      maxSize: 6.8,
      minSize: 4.5,
      className: 'category-en',
      bold: true,
      fill: white,
    }),
    textLine({
      text: category.zh,
      baseline: expoName ? 23 : 21.4,
      maxSize: 5.6,
      className: 'category-zh',
      font: CJK_FONT,
      bold: true,
      fill: white,
      lang: 'zh-Hans',
    }),
  ];
  if (expoName) lines.splice(1, 0, textLine({ text: expoName, baseline: 6.4, maxSize: 3.4, className: 'expo-name', fill: white }));
  return lines;
}

function holder(badge: BadgeSvgInput): string[] {
  const specs: Array<Omit<Line, 'baseline'>> = [{ text: badge.name, maxSize: 9, minSize: 5, className: 'name', bold: true, fill: '#111111' }];
  if (badge.nameLocal) {
    specs.push({ text: badge.nameLocal, maxSize: 8, minSize: 5, className: 'name-local', font: CJK_FONT, bold: true, fill: '#111111', lang: 'zh-Hans' });
  }
  if (badge.organisation) specs.push({ text: badge.organisation, maxSize: 4.8, minSize: 3, className: 'organisation', fill: '#222222' });
  specs.push({ text: countryName(badge.country), maxSize: 4.2, minSize: 3, className: 'country', fill: '#555555' });

  let cursor = TOP_BAND + 3;
  return specs.map((spec) => {
    const size = fitText(spec.text, LINE_WIDTH, spec.maxSize, spec.minSize ?? spec.maxSize).size;
    const baseline = cursor + size * 0.95;
    cursor = baseline + size * 0.3 + 1.6;
    return textLine({ ...spec, baseline });
  });
}

function qrCode(token: string): string {
  const qr = qrSymbol(token);
  const x = (WIDTH - QR_SIDE) / 2;
  return [
    `<svg class="qr" x="${x}" y="${QR_TOP}" width="${QR_SIDE}" height="${QR_SIDE}" viewBox="0 0 ${qr.size} ${qr.size}" shape-rendering="crispEdges">`,
    `<rect width="${qr.size}" height="${qr.size}" fill="#ffffff"/>`,
    `<path d="${qr.path}" fill="#000000"/>`,
    '</svg>',
  ].join('');
}

function bottomBand(category: AttendeeCategoryInfo, from: string, to: string): string[] {
  const top = HEIGHT - BOTTOM_BAND;
  const white = '#ffffff';
  return [
    `<rect class="validity-band" y="${top}" width="${WIDTH}" height="${BOTTOM_BAND}" fill="${category.colour}"/>`,
    textLine({ text: `VALID ${validityLabelEn(from, to)}`, baseline: top + 4.6, maxSize: 4, className: 'validity-en', bold: true, fill: white }),
    textLine({
      text: `有效期 ${validityLabelZh(from, to)}`,
      baseline: top + 9,
      maxSize: 3.4,
      className: 'validity-zh',
      font: CJK_FONT,
      fill: white,
      lang: 'zh-Hans',
    }),
  ];
}

function textLine(line: Line): string {
  const fit = fitText(line.text, LINE_WIDTH, line.maxSize, line.minSize ?? line.maxSize);
  const attributes = [
    `class="${line.className}"`,
    `x="${CENTRE}"`,
    `y="${round(line.baseline)}"`,
    'text-anchor="middle"',
    line.font ? `font-family="${line.font}"` : '',
    `font-size="${fit.size}"`,
    line.bold ? 'font-weight="700"' : '',
    `fill="${line.fill ?? '#000000'}"`,
    line.lang ? `xml:lang="${line.lang}"` : '',
    fit.squeeze ? `textLength="${LINE_WIDTH}" lengthAdjust="spacingAndGlyphs"` : '',
  ].filter(Boolean);
  return `<text ${attributes.join(' ')}>${escapeXml(line.text)}</text>`;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
