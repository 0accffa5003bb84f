import { describe, expect, it } from 'vitest';
import { attendeeCategoryInfo } from '@expo/schemas';
import { renderBadgeSvg } from '../src/badge-svg.ts';
import { badgeSvgInput } from './fixtures.ts';

const textOf = (svg: string, className: string) => new RegExp(`<text class="${className}"[^>]*>([^<]*)</text>`).exec(svg)?.[1];

describe('renderBadgeSvg', () => {
  it('prints the holder, category band, country and valid days on an A6 page', () => {
    const svg = renderBadgeSvg(badgeSvgInput({ category: 'buyer', country: 'KE' }));
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="105mm" height="148mm" viewBox="0 0 105 148"/);
    expect(svg).toContain(`<rect class="category-band" width="105" height="26" fill="${attendeeCategoryInfo('buyer').colour}"/>`);
    expect(textOf(svg, 'category-en')).toBe('BUYER');
    expect(textOf(svg, 'category-zh')).toBe('采购商');
    expect(textOf(svg, 'name')).toBe('Xiaoming Wang');
    expect(textOf(svg, 'name-local')).toBe('王小明');
    expect(textOf(svg, 'organisation')).toBe('Huang &amp; Partners Trading Co., Ltd.');
    expect(textOf(svg, 'country')).toBe('Kenya');
    expect(textOf(svg, 'validity-en')).toBe('VALID 5–10 Nov 2024');
    expect(textOf(svg, 'validity-zh')).toBe('有效期 2024年11月5日至10日');
    expect(textOf(svg, 'badge-id')).toBe('b_01JC8Z5W3Q9YV7K2M4N6P8R0ST');
    expect(svg).toContain(`font-family="'Noto Sans CJK SC','Source Han Sans SC','PingFang SC'`);
    expect(svg).toMatch(/<svg class="qr" [^>]*shape-rendering="crispEdges"><rect [^>]*fill="#ffffff"\/><path d="M[^"]+" fill="#000000"\/><\/svg>/);
  });

  it('leaves out the lines it was not given', () => {
    const { nameLocal: _n, organisation: _o, expoName: _e, ...bare } = badgeSvgInput();
    const svg = renderBadgeSvg(bare);
    for (const className of ['name-local', 'organisation', 'expo-name']) expect(textOf(svg, className)).toBeUndefined();
    expect(textOf(svg, 'country')).toBe('China');
  });

  it('escapes hostile names everywhere they appear, title included', () => {
    const svg = renderBadgeSvg(
      badgeSvgInput({
        name: `</text><script>alert("pwned")</script>`,
        nameLocal: '王"小"明 & <b>',
        organisation: `O'Brien & Söhne <GmbH>\u0007`,
        expoName: ']]><!-- -->',
      }),
    );
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<b>');
    expect(svg).not.toContain('<!--');
    expect(svg).not.toContain('\u0007');
    expect(textOf(svg, 'name')).toBe('&lt;/text&gt;&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;');
    expect(textOf(svg, 'name-local')).toBe('王&quot;小&quot;明 &amp; &lt;b&gt;');
    expect(textOf(svg, 'organisation')).toBe('O&apos;Brien &amp; Söhne &lt;GmbH&gt;');
    expect(svg).toContain('aria-label="Professional visitor 专业观众: &lt;/text&gt;&lt;script&gt;');
    expect(svg.match(/<text /g)).toHaveLength(svg.match(/<\/text>/g)!.length);
  });

  it('shrinks a long name to fit the badge rather than running off it', () => {
    const svg = renderBadgeSvg(badgeSvgInput({ name: 'Maria Fernanda Gonçalves de Albuquerque e Vasconcelos' }));
    expect(svg).toMatch(/<text class="name" [^>]*font-size="(\d\.\d+|5)"/);
  });

  it('refuses input it cannot print truthfully', () => {
    expect(() => renderBadgeSvg(badgeSvgInput({ country: 'XX' as never }))).toThrow();
    expect(() => renderBadgeSvg(badgeSvgInput({ category: 'astronaut' as never }))).toThrow();
    expect(() => renderBadgeSvg(badgeSvgInput({ validTo: 'soon' }))).toThrow();
  });
});
