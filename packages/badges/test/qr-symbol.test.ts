import type { Buffer } from 'node:buffer';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { decodeQrFromPng } from '@expo/testkit';
import { QR_QUIET_ZONE, qrSymbol } from '../src/qr-symbol.ts';
import { BadgeKeyRing } from '../src/key-ring.ts';
import { badgeClaims } from './fixtures.ts';

/** Paints the symbol's path, run by run, into a PNG as a scanner would see the printed modules. */
function rasterise(size: number, path: string, scale: number): Buffer {
  const width = size * scale;
  const png = new PNG({ width, height: width });
  const pixels = png.data.fill(255);
  for (const [, x, y, w] of path.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
    for (let py = Number(y) * scale; py < (Number(y) + 1) * scale; py++) {
      for (let px = Number(x) * scale; px < (Number(x) + Number(w)) * scale; px++) {
        pixels.fill(0, (py * width + px) * 4, (py * width + px) * 4 + 3);
      }
    }
  }
  return PNG.sync.write(png);
}

describe('qrSymbol', () => {
  it('encodes the exact token with a 4-module quiet zone', () => {
    const token = BadgeKeyRing.generate().sign(badgeClaims());
    const qr = qrSymbol(token);
    expect(qr.size).toBe(17 + 4 * qr.version + 2 * QR_QUIET_ZONE);
    expect(qr.path).toMatch(/^(M\d+ \d+h\d+v1h-\d+z)+$/);
    const coordinates = [...qr.path.matchAll(/M(\d+) (\d+)/g)].map(([, x, y]) => [Number(x), Number(y)]);
    expect(Math.min(...coordinates.flat())).toBe(QR_QUIET_ZONE);
    expect(decodeQrFromPng(rasterise(qr.size, qr.path, 4))).toBe(token);
  });
});
