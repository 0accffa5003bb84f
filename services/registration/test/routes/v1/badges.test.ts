import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { decodeQrFromPng, launchChromium, type Browser } from '@expo/testkit';
import { admin, attendeeBody, setupRegistration } from '../../helper.ts';

let reg: Awaited<ReturnType<typeof setupRegistration>>;
let browser: Browser;
beforeAll(async () => {
  reg = await setupRegistration('reg-badges');
  browser = await launchChromium();
});
afterAll(async () => {
  await browser.close();
  await reg.close();
});

describe('GET /v1/badges/:badgeId/badge.svg', () => {
  it('renders in Chromium, and the QR read off the screenshot is exactly the badge token', async () => {
    const res = await reg.app.inject({
      method: 'POST',
      url: '/v1/attendees',
      payload: attendeeBody({ name: 'Wang Xiaoming', nameLocal: '王小明', organisation: 'Jiangsu Trade & Co', country: 'CN', category: 'buyer' }),
    });
    const { badgeId, badgeToken } = res.json<{ badgeId: string; badgeToken: string }>();

    const svg = await reg.app.inject({ url: `/v1/badges/${badgeId}/badge.svg`, headers: { authorization: `Bearer ${badgeToken}` } });
    expect(svg.statusCode).toBe(200);
    expect(svg.headers['content-type']).toContain('image/svg+xml');

    const page = await browser.newPage({ viewport: { width: 840, height: 1184 } });
    await page.setContent(`<html><body style="margin:0;background:#fff">${svg.body.replace(/<svg /, '<svg width="840" height="1184" ')}</body></html>`);
    const png = await page.screenshot({ fullPage: true });
    await page.close();
    mkdirSync(new URL('../../../test-artifacts/', import.meta.url), { recursive: true });
    writeFileSync(new URL('../../../test-artifacts/badge.png', import.meta.url), png);

    expect(decodeQrFromPng(png)).toBe(badgeToken);
  });

  it("opens for an admin, not for another attendee's token, and not without a credential", async () => {
    const a = (await reg.app.inject({ method: 'POST', url: '/v1/attendees', payload: attendeeBody() })).json<{ badgeId: string; badgeToken: string }>();
    const b = (await reg.app.inject({ method: 'POST', url: '/v1/attendees', payload: attendeeBody() })).json<{ badgeId: string; badgeToken: string }>();
    expect((await reg.app.inject({ url: `/v1/badges/${a.badgeId}/badge.svg`, headers: admin })).statusCode).toBe(200);
    expect((await reg.app.inject({ url: `/v1/badges/${a.badgeId}/badge.svg`, headers: { authorization: `Bearer ${b.badgeToken}` } })).statusCode).toBe(403);
    expect((await reg.app.inject({ url: `/v1/badges/${a.badgeId}/badge.svg` })).statusCode).toBe(401);
  });

  it('publishes the public keys as a JWK set', async () => {
    const res = await reg.app.inject({ url: '/v1/badge-keys' });
    expect(res.json()).toEqual({
      keys: [{ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', kid: reg.keyRing.current.kid, x: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) }],
    });
  });
});
