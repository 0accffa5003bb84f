import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import * as jsqr from 'jsqr';
import { PNG } from 'pngjs';

type JsQr = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
// jsqr is a UMD bundle: Node's ESM loader hands over `module.exports` (whose `default` is the
// function) while vitest's interop may already unwrap it.
const loaded = jsqr as unknown as { default: JsQr | { default: JsQr } };
const jsQR: JsQr = typeof loaded.default === 'function' ? loaded.default : loaded.default.default;

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Debian's Chromium, headless, with the flags this closed network needs (no background
 * networking or component updates, which would try to reach the internet). The caller closes it.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`No Chromium at ${CHROMIUM_PATH}: install Debian's package (apt-get install chromium) or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

/** The text of the QR code in a PNG image (a screenshot), or null when none is found. */
export function decodeQrFromPng(png: Buffer): string | null {
  const image = PNG.sync.read(png);
  const pixels = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length);
  return jsQR(pixels, image.width, image.height)?.data ?? null;
}
export type { Browser, Page } from 'playwright-core';
