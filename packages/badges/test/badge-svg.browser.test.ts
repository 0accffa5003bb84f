import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeQrFromPng, launchChromium } from '@expo/testkit';
import { renderBadgeSvg, type BadgeSvgInput } from '../src/badge-svg.ts';
import { badgeSvgInput } from './fixtures.ts';

// Kept (git-ignored) so a person can look at what the printer would get.
const ARTIFACTS = fileURLToPath(new URL('../test-artifacts/', import.meta.url));

// The package compiles without the DOM library; this is all the test reads of an SVG text element.
interface TextNode {
  getAttribute(name: string): string | null;
  readonly textContent: string | null;
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());

async function withPage<T>(use: (page: Page) => Promise<T>): Promise<T> {
  // 105 × 148 mm is 397 × 560 CSS pixels; three device pixels each approach a 300 dpi print.
  const page = await browser.newPage({ viewport: { width: 397, height: 560 }, deviceScaleFactor: 3 });
  try {
    return await use(page);
  } finally {
    await page.close();
  }
}

/**
 * Opens the SVG as its own document, parsed as XML the way the badge route serves it, so an
 * escaping mistake shows up as a parser error; then reads back the text of each line.
 */
async function openSvgDocument(name: string, input: BadgeSvgInput) {
  await mkdir(ARTIFACTS, { recursive: true });
  const svgPath = `${ARTIFACTS}${name}.svg`;
  await writeFile(svgPath, renderBadgeSvg(input));
  return withPage(async (page) => {
    await page.goto(pathToFileURL(svgPath).href);
    const parserErrors = await page.locator('parsererror').count();
    const texts = await page
      .locator('text')
      .evaluateAll((nodes: TextNode[]) => Object.fromEntries(nodes.map((n) => [n.getAttribute('class') ?? '', n.textContent ?? ''])));
    return { svgPath, parserErrors, texts };
  });
}

/**
 * Screenshots the badge as an `<img>`, as an admin page would show it. (Headless Chromium's
 * screenshot of a bare SVG document hangs intermittently; an image in an HTML page does not.)
 */
async function screenshot(name: string): Promise<Buffer> {
  const htmlPath = `${ARTIFACTS}${name}.html`;
  await writeFile(htmlPath, `<!doctype html><style>html,body{margin:0}img{display:block;width:105mm;height:148mm}</style><img src="${name}.svg" alt="">`);
  return withPage(async (page) => {
    await page.goto(pathToFileURL(htmlPath).href);
    await page.waitForFunction('document.images[0].complete && document.images[0].naturalWidth > 0', undefined, { timeout: 10_000 });
    const png = await page.screenshot({ type: 'png' });
    await writeFile(`${ARTIFACTS}${name}.png`, png);
    return png;
  });
}

describe('badge SVG in Chromium', () => {
  it('renders a badge whose QR code, read back from the screenshot, is the exact token', async () => {
    const input = badgeSvgInput();
    const { parserErrors, texts } = await openSvgDocument('badge', input);
    expect(parserErrors).toBe(0);
    expect(texts).toMatchObject({ name: 'Xiaoming Wang', 'name-local': '王小明', organisation: 'Huang & Partners Trading Co., Ltd.', country: 'China' });

    const png = await screenshot('badge');
    const { width, height } = PNG.sync.read(png);
    expect([width, height]).toEqual([397 * 3, 560 * 3]);
    expect(decodeQrFromPng(png)).toBe(input.token);
  });

  it('shows hostile names as text, not markup', async () => {
    const hostile = { name: `</text><script>alert("x")</script>`, nameLocal: '王"小"明 & <b>', organisation: `O'Brien & Söhne <GmbH>` };
    const { parserErrors, texts } = await openSvgDocument('badge-hostile', badgeSvgInput(hostile));
    expect(parserErrors).toBe(0);
    expect(texts).toMatchObject({ name: hostile.name, 'name-local': hostile.nameLocal, organisation: hostile.organisation });
    await screenshot('badge-hostile');
  });
});
