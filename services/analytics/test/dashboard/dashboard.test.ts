import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type Browser, type Page } from '@expo/testkit';
import type { ServiceApp } from '@expo/service-kit';
import { attendee, exhibitor, meeting } from '../fixtures/registry.ts';
import { OPS_TOKEN, setupAnalytics, waitForConsumed, zoneDefined, type ScanInput, type TestAnalytics } from '../helper.ts';

const artifacts = fileURLToPath(new URL('../artifacts/', import.meta.url));
const ZONES = [
  { id: 'nece', name: 'National Exhibition and Convention Center', capacity: null, parent: null },
  { id: 'hall-1', name: 'Hall 1 · Food and agricultural products', capacity: 10, parent: 'nece' },
  { id: 'hall-2', name: 'Hall 2 · Consumer goods', capacity: 5, parent: 'nece' },
  { id: 'hall-3', name: 'Hall 3 · Trade in services', capacity: 200, parent: 'nece' },
  { id: 'forum-a', name: 'Forum room A', capacity: 80, parent: 'nece' },
];

let seq = 0;
function entries(eventId: string, zone: string, n: number, from = 0): ScanInput[] {
  return Array.from({ length: n }, (_, i) => {
    const at = new Date(Date.now() - 1000).toISOString();
    seq++;
    return {
      type: 'scan.accepted',
      eventId,
      occurredAt: at,
      data: {
        scanId: `dash-${seq}`,
        badgeId: `badge-${zone}-${seq}`,
        attendeeId: `att-${seq}`,
        deviceId: `dev-${zone}`,
        gateId: `${zone}-gate`,
        zoneId: zone,
        fromZoneId: null,
        toZoneId: zone,
        direction: 'in',
        scannedAt: at,
        flags: { inferred: false, offline: false },
        origin: 'device',
        occupancyAfter: from + i + 1,
        decision: 'accepted',
        reason: null,
      },
    } satisfies ScanInput;
  });
}

describe('the ops dashboard in Chromium', () => {
  let t: TestAnalytics;
  let app: ServiceApp;
  let browser: Browser;
  let page: Page;
  let base: string;
  const requested: string[] = [];

  beforeAll(async () => {
    t = await setupAnalytics('dashboard', { LIVE_POLL_MS: '250' });
    const e = t.names.expoId;
    await t.producer.send(
      t.topics.zones,
      ZONES.map((z) => zoneDefined(e, z.id, z.capacity, z.parent, z.name)),
    );
    await t.producer.send(t.topics.attendees, [
      attendee(e, 1, 'buyer', 'KE', ['food']),
      attendee(e, 2, 'media', 'CN', []),
      attendee(e, 3, 'buyer', 'BR', ['food']),
    ]);
    await t.producer.send(t.topics.exhibitors, [exhibitor(e, 'ex-1', 2)]);
    await t.producer.send(t.topics.meetings, [meeting(e, 'm-1', 'held', 250000), meeting(e, 'm-2', 'scheduled')]);
    // hall-1 at 90 % (alert), hall-2 full (alert), some rejections for the chart.
    await t.producer.send(t.topics.scans, [...entries(e, 'hall-1', 9), ...entries(e, 'hall-2', 5), ...entries(e, 'hall-3', 40)]);
    app = await t.instance();
    await waitForConsumed(`${t.config.CONSUMER_GROUP}.reference`, t.topics.zones.name);
    await waitForConsumed(`${t.config.CONSUMER_GROUP}.scans`, t.topics.scans.name);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('request', (r) => requested.push(r.url()));
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  it('signs in with an ops token and shows every zone against its capacity', async () => {
    await page.goto(`${base}/dashboard`);
    await page.fill('#token', OPS_TOKEN);
    await page.click('#sign-in-form button[type=submit]');
    for (const z of ZONES) await page.waitForSelector(`.zone[data-zone-id="${z.id}"]`, { timeout: 10_000 });
    expect(await page.locator('.zone').count()).toBe(ZONES.length);
    expect(await page.textContent('.zone[data-zone-id="hall-1"] .count')).toBe('9 / 10');
    expect(await page.getAttribute('.zone[data-zone-id="hall-2"]', 'class')).toContain('full');
    expect(await page.getAttribute('.zone[data-zone-id="hall-1"]', 'class')).toContain('warn');
    expect(await page.locator('#alerts li').allTextContents()).toEqual([
      'Hall 2 · Consumer goods: 100 % — at capacity',
      'Hall 1 · Food and agricultural products: 90 % — near capacity',
    ]);
  });

  it("changes a zone's count within a second of scans being produced", async () => {
    await page.waitForSelector('#connection.on');
    await page.waitForSelector('.figure');
    expect(await page.textContent('.zone[data-zone-id="hall-3"] .count')).toBe('40 / 200');
    const produced = entries(t.names.expoId, 'hall-3', 3, 40);
    await t.producer.send(t.topics.scans, produced);
    const acknowledged = Date.now();
    await page.waitForSelector('.zone[data-zone-id="hall-3"] .count[data-occupancy="43"]', { timeout: 5000 });
    const elapsed = Date.now() - acknowledged;
    expect(await page.textContent('.zone[data-zone-id="hall-3"] .count')).toBe('43 / 200');
    expect(elapsed).toBeLessThan(1000);
  });

  it('shows the headline figures and switches to Chinese; every asset comes from the service', async () => {
    await page.waitForFunction("document.querySelectorAll('#headline .figure').length === 7");
    await page.waitForFunction("typeof window.echarts === 'object'");
    const figures = await page.locator('#headline .figure .value').allTextContents();
    expect(figures[3]).toBe('2');
    expect(figures[4]).toBe('250,000');
    expect(figures[5]).toBe('2');
    mkdirSync(artifacts, { recursive: true });
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${artifacts}dashboard-en.png`, fullPage: true });
    await page.click('#lang');
    expect(await page.textContent('header h1')).toBe('运营看板');
    expect(await page.locator('#alerts li').first().textContent()).toContain('已满');
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${artifacts}dashboard-zh.png`, fullPage: true });
    expect(requested.length).toBeGreaterThan(3);
    expect(requested.filter((u) => !u.startsWith(base))).toEqual([]);
  });
});
